package io.vigil.server.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vigil.event.Category;
import io.vigil.event.Outcome;
import io.vigil.ledger.AuditQuery;
import io.vigil.ledger.EvidenceBundle;
import io.vigil.ledger.Hash;
import io.vigil.ledger.LedgerEntry;
import io.vigil.ledger.LedgerProofs;
import io.vigil.ledger.LedgerReader;
import io.vigil.ledger.QueryPage;
import io.vigil.ledger.StoredCheckpoint;
import io.vigil.ledger.VerificationReport;
import io.vigil.ledger.checkpoint.SignedCheckpoint;
import io.vigil.ledger.checkpoint.VerifierKey;
import io.vigil.server.ApiKey;
import io.vigil.server.ApiKeys;
import io.vigil.server.CreatedKey;
import io.vigil.server.Scope;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The HTTP API: every route, its authentication and scope, and its answers. Everything but {@code /health} needs a
 * key ({@code Authorization: Bearer vk_...}); a key acts for its own tenant only, so no route names a tenant and no
 * answer can hold another tenant's events. Errors are JSON: {@code {"error": "..."}}, or for a refused batch
 * {@code {"errors": [{"line", "field", "message"}]}}.
 */
public final class ApiHandler extends Handler.Abstract {
    private static final Logger LOG = LoggerFactory.getLogger(ApiHandler.class);
    private static final String JSON_TYPE = "application/json";
    private static final String NDJSON_TYPE = "application/x-ndjson";
    private static final String EVENTS = "/v1/events";
    private static final String CHECKPOINT = "/v1/checkpoints/latest";
    private static final String CONSISTENCY = "/v1/proofs/consistency";
    private static final String VERIFY = "/v1/verify";
    private static final String EXPORT = "/v1/export";
    private static final String TIMELINE = "/v1/timeline";
    private static final String KEYS = "/v1/keys";
    private static final String SCOPES = "ingest, read, admin";
    private static final String OPENAPI = "/openapi.json";
    private static final String OPENAPI_RESOURCE = "/io/vigil/server/openapi.json";
    private static final int DEFAULT_PAGE = 100;
    /** Set on a request once its body has been read to the end. */
    private static final String BODY_READ = "io.vigil.server.bodyRead";

    private final ObjectMapper json;
    private final ApiKeys keys;
    private final TenantLedgers tenants;
    private final SystemAudit audit;
    private final Verifications verifications;
    private final IngestParser parser;
    private final RateLimiter rates;
    private final PrometheusMeterRegistry metrics;
    private final VerifierKey verifierKey;
    private final int maxBodyBytes;
    private final int maxBatchEvents;
    private final Counter ingested;
    private final Map<String, List<Route>> routes;
    private final ViewerAssets viewer = new ViewerAssets();

    public ApiHandler(ObjectMapper json, ApiKeys keys, TenantLedgers tenants, SystemAudit audit,
                      Verifications verifications, IngestParser parser,
                      RateLimiter rates, PrometheusMeterRegistry metrics, VerifierKey verifierKey, int maxBodyBytes,
                      int maxBatchEvents) {
        this.json = json;
        this.keys = keys;
        this.tenants = tenants;
        this.audit = audit;
        this.verifications = verifications;
        this.parser = parser;
        this.rates = rates;
        this.metrics = metrics;
        this.verifierKey = verifierKey;
        this.maxBodyBytes = maxBodyBytes;
        this.maxBatchEvents = maxBatchEvents;
        this.ingested = Counter.builder("vigil.server.events.ingested")
                .description("Events written durably, re-posts not counted").register(metrics);
        this.routes = routes();
    }

    /** What a route does for an authenticated request. */
    @FunctionalInterface
    private interface Action {
        Answer answer(Request request, Principal p, String path) throws IOException;
    }

    /** A method on a route, the scope it needs (none: any key), and what it does. */
    private record Route(String method, Optional<Scope> scope, Action action) {
        static Route of(String method, Scope scope, Action action) {
            return new Route(method, Optional.of(scope), action);
        }
    }

    /**
     * Every route but {@code /health}, by its name ({@link #routeOf}), with its methods in the order a 405 lists them.
     */
    private Map<String, List<Route>> routes() {
        Map<String, List<Route>> r = new LinkedHashMap<>();
        r.put("/metrics", List.of(Route.of("GET", Scope.READ, (q, p, path) -> new Answer(HttpStatus.OK_200,
                metrics.scrape().getBytes(StandardCharsets.UTF_8), 0, "text/plain; version=0.0.4; charset=utf-8",
                Optional.empty()))));
        r.put(EVENTS, List.of(Route.of("GET", Scope.READ, (q, p, path) -> query(q, p)),
                Route.of("POST", Scope.INGEST, (q, p, path) -> ingest(q, p))));
        r.put(EVENTS + "/{id}", List.of(Route.of("GET", Scope.READ,
                (q, p, path) -> event(path.substring(EVENTS.length() + 1), p))));
        r.put(CHECKPOINT, List.of(Route.of("GET", Scope.READ, (q, p, path) -> latestCheckpoint(p))));
        r.put(CONSISTENCY, List.of(Route.of("GET", Scope.READ, (q, p, path) -> consistency(q, p))));
        r.put(VERIFY, List.of(Route.of("GET", Scope.READ, (q, p, path) -> lastVerification(p)),
                Route.of("POST", Scope.ADMIN, (q, p, path) -> verify(q, p))));
        r.put(EXPORT, List.of(Route.of("GET", Scope.READ, (q, p, path) -> export(q, p))));
        r.put(TIMELINE, List.of(Route.of("GET", Scope.READ, (q, p, path) -> timeline(q, p))));
        r.put(KEYS, List.of(Route.of("GET", Scope.ADMIN, (q, p, path) -> listKeys(p)),
                Route.of("POST", Scope.ADMIN, (q, p, path) -> createKey(q, p))));
        r.put(KEYS + "/{id}", List.of(Route.of("DELETE", Scope.ADMIN,
                (q, p, path) -> revokeKey(path.substring(KEYS.length() + 1), p))));
        r.put(OPENAPI, List.of(new Route("GET", Optional.empty(), (q, p, path) -> openApi())));
        return Map.copyOf(r);
    }

    /**
     * An answer: status, body, Retry-After when the status is 429, its content type and disposition; or, when
     * {@code streamed}, a body written line by line as it is made instead of {@code body}.
     */
    private record Answer(int status, byte[] body, long retryAfterSeconds, String type, Optional<String> disposition,
                          Optional<Streamed> streamed) {
        Answer(int status, byte[] body, long retryAfterSeconds, String type, Optional<String> disposition) {
            this(status, body, retryAfterSeconds, type, disposition, Optional.empty());
        }

        Answer(int status, byte[] body, long retryAfterSeconds) {
            this(status, body, retryAfterSeconds, JSON_TYPE, Optional.empty());
        }
    }

    /** Writes a streamed answer's lines, each sent (chunked) as soon as it is written. */
    @FunctionalInterface
    private interface Streamed {
        void write(LineSink lines) throws IOException;
    }

    /** Sends one line of a streamed answer; throws when the client is gone. */
    @FunctionalInterface
    private interface LineSink {
        void line(JsonNode line) throws IOException;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        String path = Request.getPathInContext(request);
        if (ViewerAssets.serves(path)) {
            // The viewer's static files: no key (the data they fetch needs one), headers of their own.
            int status = viewer.handle(request, response, callback);
            metrics.counter("vigil.server.requests", "route", "viewer", "status", String.valueOf(status)).increment();
            return true;
        }
        String route = routeOf(path);
        Answer answer;
        try {
            answer = answer(request, path);
        } catch (RuntimeException | IOException e) {
            LOG.error("{} {} failed", request.getMethod(), route, e);
            answer = error(HttpStatus.INTERNAL_SERVER_ERROR_500, "the server could not answer; see its log");
        }
        metrics.counter("vigil.server.requests", "route", route, "status", String.valueOf(answer.status()))
                .increment();
        response.setStatus(answer.status());
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, answer.type());
        answer.disposition().ifPresent(d -> response.getHeaders().put(HttpHeader.CONTENT_DISPOSITION, d));
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        response.getHeaders().put("X-Content-Type-Options", "nosniff");
        if (hasBody(request) && request.getAttribute(BODY_READ) == null) {
            // Refused before its body was read: the server will not read the rest, so it closes the connection, and
            // says so, or a client reusing it would send its next request into a closed socket.
            response.getHeaders().put(HttpHeader.CONNECTION, "close");
        }
        if (answer.retryAfterSeconds() > 0) {
            response.getHeaders().put(HttpHeader.RETRY_AFTER, String.valueOf(answer.retryAfterSeconds()));
        }
        if (answer.streamed().isPresent()) {
            stream(request, route, answer.streamed().get(), response, callback);
        } else {
            response.write(true, ByteBuffer.wrap(answer.body()), callback);
        }
        return true;
    }

    /**
     * Writes a streamed answer on this thread, each line flushed as it is made. A client that leaves fails the
     * callback, which ends the exchange; what the answer was doing (a verification) is its own to finish.
     */
    private void stream(Request request, String route, Streamed streamed, Response response, Callback callback) {
        try {
            streamed.write(line -> {
                byte[] bytes = json.writeValueAsBytes(line);
                ByteBuffer buffer = ByteBuffer.allocate(bytes.length + 1).put(bytes).put((byte) '\n').flip();
                Content.Sink.write(response, false, buffer);
            });
            Content.Sink.write(response, true, ByteBuffer.allocate(0));
            callback.succeeded();
        } catch (IOException | RuntimeException e) {
            LOG.info("{} {}: the streamed answer ended early: {}", request.getMethod(), route, e.toString());
            callback.failed(e);
        }
    }

    private static boolean hasBody(Request request) {
        return request.getLength() > 0 || request.getHeaders().contains(HttpHeader.TRANSFER_ENCODING);
    }

    /** A low-cardinality name of the route for metrics: never an id or a query. */
    private static String routeOf(String path) {
        if (path.startsWith(EVENTS + "/")) {
            return EVENTS + "/{id}";
        }
        if (path.startsWith(KEYS + "/")) {
            return KEYS + "/{id}";
        }
        return switch (path) {
            case "/health", "/metrics", OPENAPI, EVENTS, CHECKPOINT, CONSISTENCY, VERIFY, EXPORT, TIMELINE, KEYS -> path;
            default -> "other";
        };
    }

    private Answer answer(Request request, String path) throws IOException {
        String method = request.getMethod();
        if (path.equals("/health")) {
            return method.equals("GET") ? ok(json.createObjectNode().put("status", "ok")) : notAllowed("GET");
        }
        Optional<Principal> who = authenticate(request);
        if (who.isEmpty()) {
            if (request.getHeaders().get(HttpHeader.AUTHORIZATION) != null) {
                audit.rejected(Optional.ofNullable(Request.getRemoteAddr(request)), routeOf(path));
            }
            return error(HttpStatus.UNAUTHORIZED_401, "a valid API key is required: Authorization: Bearer vk_...");
        }
        Principal p = who.get();
        List<Route> here = routes.get(routeOf(path));
        if (here == null) {
            return error(HttpStatus.NOT_FOUND_404, "no such route: " + method + " " + path);
        }
        Optional<Route> route = here.stream().filter(r -> r.method().equals(method)).findFirst();
        if (route.isEmpty()) {
            return notAllowed(String.join(", ", here.stream().map(Route::method).toList()));
        }
        Optional<Scope> needed = route.get().scope();
        if (needed.isPresent() && !p.scopes().contains(needed.get())) {
            return forbidden(needed.get());
        }
        return route.get().action().answer(request, p, path);
    }

    private Optional<Principal> authenticate(Request request) {
        String header = request.getHeaders().get(HttpHeader.AUTHORIZATION);
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Optional.empty();
        }
        return keys.authenticate(header.substring(7).trim()).filter(ApiKey::active)
                .map(k -> new Principal(k.id(), k.tenant(), k.scopes()));
    }

    // ---- POST /v1/events ------------------------------------------------------------------------------------------

    private Answer ingest(Request request, Principal p) throws IOException {
        String type = Optional.ofNullable(request.getHeaders().get(HttpHeader.CONTENT_TYPE)).orElse("")
                .toLowerCase(Locale.ROOT);
        boolean ndjson = type.startsWith(NDJSON_TYPE);
        if (!ndjson && !type.startsWith(JSON_TYPE)) {
            return error(HttpStatus.UNSUPPORTED_MEDIA_TYPE_415, "send one event as " + JSON_TYPE + " or one event per"
                    + " line as " + NDJSON_TYPE);
        }
        Optional<byte[]> body = readBody(request);
        if (body.isEmpty()) {
            return error(HttpStatus.PAYLOAD_TOO_LARGE_413, "the body is larger than " + maxBodyBytes + " bytes");
        }
        IngestParser.Parsed parsed;
        try {
            parsed = parser.parse(body.get(), ndjson, p.tenant(), maxBatchEvents);
        } catch (IngestParser.TooManyEvents e) {
            return error(HttpStatus.PAYLOAD_TOO_LARGE_413, e.getMessage());
        }
        if (!parsed.problems().isEmpty()) {
            ObjectNode o = json.createObjectNode();
            ArrayNode errors = o.putArray("errors");
            for (IngestParser.Problem problem : parsed.problems()) {
                errors.addObject().put("line", problem.line()).put("field", problem.field())
                        .put("message", problem.message());
            }
            return new Answer(HttpStatus.BAD_REQUEST_400, json.writeValueAsBytes(o), 0);
        }
        long wait = rates.acquire(p.keyId(), parsed.events().size());
        if (wait > 0) {
            return new Answer(HttpStatus.TOO_MANY_REQUESTS_429, json.writeValueAsBytes(json.createObjectNode()
                    .put("error", "over this key's rate; retry after " + wait + " s")), wait);
        }
        TenantLedger.Appended appended = tenants.ledger(p.tenant()).append(parsed.events());
        ingested.increment(appended.written());
        List<Receipt> receipts = appended.receipts();
        ObjectNode o = json.createObjectNode();
        ArrayNode list = o.putArray("receipts");
        for (Receipt r : receipts) {
            list.addObject().put("id", r.id().toString()).put("seq", r.seq()).put("hash", r.hash());
        }
        return new Answer(HttpStatus.ACCEPTED_202, json.writeValueAsBytes(o), 0);
    }

    /** The body, or empty when it is larger than the limit (read no further than one byte past it). */
    private Optional<byte[]> readBody(Request request) throws IOException {
        long declared = request.getLength();
        if (declared > maxBodyBytes) {
            return Optional.empty();
        }
        try (InputStream in = Content.Source.asInputStream(request)) {
            byte[] bytes = in.readNBytes(maxBodyBytes + 1);
            if (bytes.length > maxBodyBytes) {
                return Optional.empty();
            }
            request.setAttribute(BODY_READ, Boolean.TRUE);
            return Optional.of(bytes);
        }
    }

    // ---- GET /v1/events ------------------------------------------------------------------------------------------

    /** The filters of a query or an export, as the request gave them. */
    private record Filters(AuditQuery query, Optional<Category> category, Optional<Outcome> outcome,
                           boolean newestFirst, Map<String, Object> given) {
    }

    /** What a query selected, and the cursor to the rest when there is more. */
    private record Selection(List<LedgerEntry> entries, Optional<String> next) {
    }

    /** Reads the filters; {@code limit} defaults to {@code defaultLimit}. */
    private static Filters filters(Fields q, int defaultLimit) {
        int limit;
        try {
            limit = q.get("limit") == null ? defaultLimit : Integer.parseInt(q.getValue("limit"));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("limit must be a whole number between 1 and " + AuditQuery.MAX_LIMIT);
        }
        if (limit < 1 || limit > AuditQuery.MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be between 1 and " + AuditQuery.MAX_LIMIT);
        }
        AuditQuery query = AuditQuery.all().limit(limit);
        if (q.get("type") != null) {
            query = query.type(q.getValue("type"));
        }
        if (q.get("actor") != null) {
            query = query.user(q.getValue("actor"));
        }
        if (q.get("ip") != null) {
            query = query.ip(q.getValue("ip"));
        }
        if (q.get("resource") != null) {
            String r = q.getValue("resource");
            int colon = r.indexOf(':');
            query = colon < 0 ? query.resource(r, Optional.empty())
                    : query.resource(r.substring(0, colon), Optional.of(r.substring(colon + 1)));
        }
        if (q.get("since") != null) {
            query = query.from(instant("since", q.getValue("since")));
        }
        if (q.get("until") != null) {
            query = query.to(instant("until", q.getValue("until")));
        }
        if (q.get("cursor") != null) {
            query = query.after(q.getValue("cursor"));
        }
        Optional<Category> category = q.get("category") == null ? Optional.empty()
                : Optional.of(Category.fromJson(q.getValue("category")));
        Optional<Outcome> outcome = q.get("outcome") == null ? Optional.empty()
                : Optional.of(Outcome.fromJson(q.getValue("outcome")));
        String order = q.get("order") == null ? "asc" : q.getValue("order");
        if (!order.equals("asc") && !order.equals("desc")) {
            throw new IllegalArgumentException("order must be asc (oldest first) or desc (newest first), was '"
                    + order + "'");
        }
        Map<String, Object> given = new LinkedHashMap<>();
        for (String name : q.getNames()) {
            given.put(name, q.getValue(name));
        }
        return new Filters(query, category, outcome, order.equals("desc"), given);
    }

    /**
     * The entries of the tenant's ledger the filters select, at most {@code limit}. Category and outcome are filtered
     * here, page by page, until the page is full or the ledger ends.
     */
    private Selection select(Principal p, Filters f) throws IOException {
        Optional<TenantLedger> ledger = tenants.existing(p.tenant());
        if (ledger.isEmpty()) {
            return new Selection(List.of(), Optional.empty());
        }
        TenantLedger.Selected found = ledger.get().select(f.query(), f.category(), f.outcome(), f.newestFirst());
        List<LedgerEntry> entries = found.entries();
        return new Selection(entries, found.more() ? Optional.of(cursorAfter(entries.get(entries.size() - 1)))
                : Optional.empty());
    }

    private Answer query(Request request, Principal p) throws IOException {
        Filters f;
        try {
            f = filters(Request.extractQueryParameters(request), DEFAULT_PAGE);
        } catch (IllegalArgumentException e) {
            return error(HttpStatus.BAD_REQUEST_400, e.getMessage());
        }
        Selection selected;
        try {
            selected = select(p, f);
        } catch (TenantLedger.UnsupportedQuery e) {
            return error(HttpStatus.BAD_REQUEST_400, e.getMessage());
        }
        audit.read(p, EVENTS, Map.of("filters", f.given(), "returned", selected.entries().size()));
        ObjectNode o = json.createObjectNode();
        ArrayNode events = o.putArray("events");
        for (LedgerEntry e : selected.entries()) {
            events.add(json.readTree(e.line()));
        }
        if (selected.next().isPresent()) {
            o.put("next", selected.next().get());
        } else {
            o.putNull("next");
        }
        return ok(o);
    }

    // ---- GET /v1/export ------------------------------------------------------------------------------------------

    private Answer export(Request request, Principal p) throws IOException {
        Filters f;
        try {
            f = filters(Request.extractQueryParameters(request), AuditQuery.MAX_LIMIT);
        } catch (IllegalArgumentException e) {
            return error(HttpStatus.BAD_REQUEST_400, e.getMessage());
        }
        Optional<TenantLedger> ledger = tenants.existing(p.tenant());
        if (ledger.isEmpty()) {
            return error(HttpStatus.NOT_FOUND_404, "this tenant's ledger is empty: send events first");
        }
        ledger.get().checkpoint(); // the newest entries get a signed checkpoint the proofs can lead to
        Selection selected;
        try {
            selected = select(p, f);
        } catch (TenantLedger.UnsupportedQuery e) {
            return error(HttpStatus.BAD_REQUEST_400, e.getMessage());
        }
        Map<String, String> description = new LinkedHashMap<>();
        description.put("tenant", p.tenant());
        description.put("exported by key", p.keyId());
        description.put("filters", f.given().isEmpty() ? "none" : f.given().toString());
        selected.next().ifPresent(c -> description.put("more", "more entries match; export again with cursor=" + c));
        ByteArrayOutputStream zip = new ByteArrayOutputStream();
        try {
            EvidenceBundle.write(ledger.get().reader(), selected.entries(), verifierKey, description, zip);
        } catch (EvidenceBundle.Unprovable e) {
            LOG.error("tenant {}: cannot export: {}", p.tenant(), e.getMessage());
            return error(HttpStatus.INTERNAL_SERVER_ERROR_500, "cannot prove the entries: " + e.getMessage());
        }
        audit.read(p, EXPORT, Map.of("filters", f.given(), "returned", selected.entries().size()));
        return new Answer(HttpStatus.OK_200, zip.toByteArray(), 0, "application/zip",
                Optional.of("attachment; filename=\"vigil-" + p.tenant() + "-evidence.zip\""));
    }

    // ---- GET /v1/timeline ----------------------------------------------------------------------------------------

    private Answer timeline(Request request, Principal p) throws IOException {
        Fields q = Request.extractQueryParameters(request);
        Optional<Instant> since;
        Optional<Instant> until;
        int buckets;
        try {
            since = Optional.ofNullable(q.getValue("since")).map(v -> instant("since", v));
            until = Optional.ofNullable(q.getValue("until")).map(v -> instant("until", v));
            buckets = q.getValue("buckets") == null ? Timeline.DEFAULT_BUCKETS : Integer.parseInt(q.getValue("buckets"));
        } catch (NumberFormatException e) {
            return error(HttpStatus.BAD_REQUEST_400, "buckets must be a whole number between 1 and "
                    + Timeline.MAX_BUCKETS);
        } catch (IllegalArgumentException e) {
            return error(HttpStatus.BAD_REQUEST_400, e.getMessage());
        }
        Optional<TenantLedger> ledger = tenants.existing(p.tenant());
        Timeline t;
        try {
            t = ledger.isPresent() ? ledger.get().timeline(since, until, buckets)
                    : Timeline.empty(since, until, buckets);
        } catch (IllegalArgumentException e) {
            return error(HttpStatus.BAD_REQUEST_400, e.getMessage());
        }
        Map<String, Object> given = new LinkedHashMap<>();
        for (String name : q.getNames()) {
            given.put(name, q.getValue(name));
        }
        audit.read(p, TIMELINE, Map.of("filters", given, "buckets", t.buckets().size()));
        ObjectNode o = json.createObjectNode();
        o.put("since", t.since().toString());
        o.put("until", t.until().toString());
        o.put("bucketSeconds", t.bucketSeconds());
        ArrayNode list = o.putArray("buckets");
        for (Timeline.Bucket b : t.buckets()) {
            list.addObject().put("start", b.start().toString()).put("category", b.category().jsonName())
                    .put("events", b.events()).put("failures", b.failures());
        }
        return ok(o);
    }

    /**
     * The cursor that resumes after {@code e}: the ledger's own, made from the entry's seq; a page in the other order
     * (newest first) resumes before it.
     */
    private static String cursorAfter(LedgerEntry e) {
        return QueryPage.of(List.of(e), true).nextCursor().orElseThrow();
    }

    private static Instant instant(String name, String value) {
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(name + " '" + value + "' is not an instant such as 2026-01-29T09:00:00Z");
        }
    }

    // ---- GET /v1/events/{id} -------------------------------------------------------------------------------------

    private Answer event(String idText, Principal p) throws IOException {
        UUID id;
        try {
            id = UUID.fromString(idText);
        } catch (IllegalArgumentException e) {
            return error(HttpStatus.BAD_REQUEST_400, "'" + idText + "' is not an event id (a UUID)");
        }
        Optional<TenantLedger> ledger = tenants.existing(p.tenant());
        Optional<Receipt> receipt = ledger.isEmpty() ? Optional.empty() : ledger.get().receipt(id);
        if (receipt.isEmpty()) {
            return error(HttpStatus.NOT_FOUND_404, "no event " + id + " in this tenant's ledger");
        }
        LedgerReader reader = ledger.get().reader();
        long seq = receipt.get().seq();
        Optional<StoredCheckpoint> covering = covering(reader, seq);
        if (covering.isEmpty()) {
            // The entry is newer than the last signed checkpoint: sign one now, so the proof's root is signed.
            ledger.get().checkpoint();
            covering = covering(reader, seq);
        }
        long size = covering.map(StoredCheckpoint::size).orElse(reader.size());
        Optional<SignedCheckpoint> cp = covering.map(StoredCheckpoint::checkpoint);
        LedgerEntry entry = reader.entry(seq);
        String proof;
        try {
            proof = LedgerProofs.inclusion(reader, entry, size, cp);
        } catch (LedgerProofs.Mismatch e) {
            LOG.error("tenant {}: {}", p.tenant(), e.getMessage());
            return error(HttpStatus.INTERNAL_SERVER_ERROR_500, "the ledger's files disagree; run verification");
        }
        audit.read(p, EVENTS + "/{id}", Map.of("id", id.toString(), "seq", seq));
        ObjectNode o = json.createObjectNode();
        o.set("entry", json.readTree(entry.line()));
        o.set("proof", json.readTree(proof));
        return ok(o);
    }

    /** The latest signed checkpoint that covers {@code seq}. */
    private static Optional<StoredCheckpoint> covering(LedgerReader reader, long seq) throws IOException {
        List<StoredCheckpoint> cps = reader.checkpoints();
        return cps.isEmpty() || cps.get(cps.size() - 1).size() <= seq ? Optional.empty()
                : Optional.of(cps.get(cps.size() - 1));
    }

    // ---- GET /v1/checkpoints/latest ------------------------------------------------------------------------------

    private Answer latestCheckpoint(Principal p) throws IOException {
        Optional<TenantLedger> ledger = tenants.existing(p.tenant());
        if (ledger.isPresent()) {
            ledger.get().checkpoint(); // entries since the last one get a signed checkpoint now
        }
        List<StoredCheckpoint> cps = ledger.isPresent() ? ledger.get().reader().checkpoints() : List.of();
        if (cps.isEmpty()) {
            return error(HttpStatus.NOT_FOUND_404, "this tenant's ledger has no signed checkpoint yet: send events"
                    + " first");
        }
        StoredCheckpoint latest = cps.get(cps.size() - 1);
        ObjectNode o = json.createObjectNode();
        o.put("size", latest.size());
        o.put("root", latest.checkpoint().checkpoint().root().hex());
        o.put("note", latest.checkpoint().encode());
        if (latest.recordedAt().isPresent()) {
            o.put("time", latest.recordedAt().get().toString());
        }
        o.put("verifierKey", verifierKey.encode());
        return ok(o);
    }

    // ---- GET /v1/proofs/consistency ------------------------------------------------------------------------------

    private Answer consistency(Request request, Principal p) throws IOException {
        Optional<TenantLedger> ledger = tenants.existing(p.tenant());
        if (ledger.isEmpty()) {
            return error(HttpStatus.NOT_FOUND_404, "this tenant's ledger is empty: send events first");
        }
        LedgerReader reader = ledger.get().reader();
        ledger.get().checkpoint(); // the newest entries get a signed checkpoint to prove against
        List<StoredCheckpoint> cps = reader.checkpoints();
        Fields q = Request.extractQueryParameters(request);
        long size = reader.size();
        long from;
        long to;
        try {
            from = Long.parseLong(Optional.ofNullable(q.getValue("from")).orElseThrow(() ->
                    new IllegalArgumentException("from is required: the size of the earlier tree")));
            to = q.getValue("to") != null ? Long.parseLong(q.getValue("to"))
                    : cps.isEmpty() ? size : cps.get(cps.size() - 1).size();
        } catch (NumberFormatException e) {
            return error(HttpStatus.BAD_REQUEST_400, "from and to are tree sizes, whole numbers");
        } catch (IllegalArgumentException e) {
            return error(HttpStatus.BAD_REQUEST_400, e.getMessage());
        }
        if (from < 1 || from > to || to > size) {
            return error(HttpStatus.BAD_REQUEST_400, "need 1 <= from <= to <= " + size + " (the ledger's size); were "
                    + from + " and " + to);
        }
        try {
            return ok(json.readTree(LedgerProofs.consistency(reader, from, to, LedgerProofs.checkpointOfSize(cps, from),
                    LedgerProofs.checkpointOfSize(cps, to))));
        } catch (LedgerProofs.Mismatch e) {
            LOG.error("tenant {}: {}", p.tenant(), e.getMessage());
            return error(HttpStatus.INTERNAL_SERVER_ERROR_500, "the ledger's files disagree; run verification");
        }
    }

    // ---- POST /v1/verify -----------------------------------------------------------------------------------------

    private Answer verify(Request request, Principal p) throws IOException {
        Optional<TenantLedger> ledger = tenants.existing(p.tenant());
        if (ledger.isEmpty()) {
            return error(HttpStatus.NOT_FOUND_404, "this tenant's ledger is empty: send events first");
        }
        if (!accepts(request, NDJSON_TYPE)) {
            return ok(report(verifications.verify(ledger.get(), p, progress -> { })));
        }
        Streamed streamed = lines -> {
            Verifications.Run run;
            try {
                run = verifications.verify(ledger.get(), p, progress -> {
                    ObjectNode line = json.createObjectNode();
                    line.putObject("progress").put("bytes", progress.bytes()).put("of", progress.of())
                            .put("percent", progress.percent());
                    lines.line(line);
                });
            } catch (IOException | RuntimeException e) {
                // The status went out with the first line: the failure is told in the last one instead.
                LOG.error("tenant {}: verification could not run", p.tenant(), e);
                lines.line(json.createObjectNode().put("error", "the verification could not run; see the server's"
                        + " log"));
                return;
            }
            // A client that left during the run fails here; the run is recorded all the same.
            ObjectNode last = json.createObjectNode();
            last.set("report", report(run));
            lines.line(last);
        };
        return new Answer(HttpStatus.OK_200, new byte[0], 0, NDJSON_TYPE, Optional.empty(), Optional.of(streamed));
    }

    /** Whether the request's Accept header names {@code type} (parameters and quality aside). */
    private static boolean accepts(Request request, String type) {
        for (String accept : request.getHeaders().getCSV(HttpHeader.ACCEPT, false)) {
            if (accept.split(";", 2)[0].strip().equalsIgnoreCase(type)) {
                return true;
            }
        }
        return false;
    }

    /** A verification's report, as {@code POST /v1/verify} answers it and {@code GET /v1/verify} repeats it. */
    private ObjectNode report(Verifications.Run run) {
        VerificationReport report = run.report();
        ObjectNode o = json.createObjectNode();
        o.put("intact", report.intact());
        o.put("entries", report.entries());
        o.put("checkpointsVerified", report.checkpointsVerified());
        if (report.firstBadSeq().isPresent()) {
            o.put("firstBadSeq", report.firstBadSeq().getAsLong());
        } else {
            o.putNull("firstBadSeq");
        }
        o.put("reason", report.reason().orElse(null));
        o.put("root", report.root().map(Hash::hex).orElse(null));
        ArrayNode warnings = o.putArray("warnings");
        report.warnings().forEach(warnings::add);
        o.put("verifierKey", verifierKey.encode());
        o.put("at", run.at().toString());
        o.put("millis", run.millis());
        return o;
    }

    // ---- GET /v1/verify ------------------------------------------------------------------------------------------

    private Answer lastVerification(Principal p) throws IOException {
        Optional<Verifications.Run> last = verifications.last(p.tenant());
        ObjectNode o = json.createObjectNode();
        if (last.isEmpty()) {
            o.putNull("last");
        } else {
            o.putObject("last").put("at", last.get().at().toString()).put("by", last.get().by())
                    .set("report", report(last.get()));
        }
        return ok(o);
    }

    // ---- /v1/keys ------------------------------------------------------------------------------------------------

    private ObjectNode keyJson(ApiKey k) {
        ObjectNode o = json.createObjectNode();
        o.put("id", k.id());
        o.put("tenant", k.tenant());
        ArrayNode scopes = o.putArray("scopes");
        k.scopes().forEach(s -> scopes.add(s.label()));
        o.put("name", k.name().orElse(null));
        o.put("created", k.created().toString());
        o.put("revoked", k.revoked().map(Instant::toString).orElse(null));
        return o;
    }

    /** The tenant's keys, oldest first: ids, scopes, names and times, never a secret or a hash. */
    private Answer listKeys(Principal p) throws IOException {
        ObjectNode o = json.createObjectNode();
        ArrayNode list = o.putArray("keys");
        keys.list(p.tenant()).forEach(k -> list.add(keyJson(k)));
        return ok(o);
    }

    /** Makes a key for the admin key's own tenant: {@code {"scopes":[...],"name":"..."}}; the secret is shown once. */
    private Answer createKey(Request request, Principal p) throws IOException {
        Optional<byte[]> body = readBody(request);
        if (body.isEmpty()) {
            return error(HttpStatus.PAYLOAD_TOO_LARGE_413, "the body is over " + maxBodyBytes + " bytes");
        }
        Set<Scope> scopes = EnumSet.noneOf(Scope.class);
        Optional<String> name;
        try {
            JsonNode in = json.readTree(body.get());
            if (in == null || !in.isObject()) {
                return error(HttpStatus.BAD_REQUEST_400, "the body must be a JSON object such as"
                        + " {\"scopes\":[\"ingest\"],\"name\":\"checkout\"}");
            }
            for (Iterator<String> names = in.fieldNames(); names.hasNext(); ) {
                String field = names.next();
                if (!field.equals("scopes") && !field.equals("name")) {
                    return error(HttpStatus.BAD_REQUEST_400, "unknown field '" + field + "'; a key has scopes and a"
                            + " name (its tenant is this key's)");
                }
            }
            JsonNode given = in.path("scopes");
            if (!given.isArray() || given.isEmpty()) {
                return error(HttpStatus.BAD_REQUEST_400, "scopes must be a non-empty list of " + SCOPES);
            }
            for (JsonNode s : given) {
                Optional<Scope> scope = Arrays.stream(Scope.values()).filter(x -> x.label().equals(s.asText()))
                        .findFirst();
                if (!s.isTextual() || scope.isEmpty()) {
                    return error(HttpStatus.BAD_REQUEST_400, "scope " + s + " is not one of " + SCOPES);
                }
                scopes.add(scope.get());
            }
            JsonNode n = in.path("name");
            if (!n.isMissingNode() && !n.isNull() && !n.isTextual()) {
                return error(HttpStatus.BAD_REQUEST_400, "name must be a string");
            }
            name = n.isTextual() ? Optional.of(n.asText()) : Optional.empty();
        } catch (JsonProcessingException e) {
            return error(HttpStatus.BAD_REQUEST_400, "the body is not JSON: " + e.getOriginalMessage());
        }
        CreatedKey made;
        try {
            made = keys.create(p.tenant(), scopes, name);
        } catch (IllegalArgumentException e) {
            return error(HttpStatus.BAD_REQUEST_400, e.getMessage());
        }
        audit.keyCreated(p, made.key());
        ObjectNode o = json.createObjectNode();
        o.set("key", keyJson(made.key()));
        o.put("secret", made.secret());
        return new Answer(HttpStatus.CREATED_201, json.writeValueAsBytes(o), 0);
    }

    /** Revokes a key of the admin key's own tenant; another tenant's key is not found, as it is nowhere else. */
    private Answer revokeKey(String id, Principal p) throws IOException {
        Optional<ApiKey> key = keys.list(p.tenant()).stream().filter(k -> k.id().equals(id)).findFirst();
        if (key.isEmpty()) {
            return error(HttpStatus.NOT_FOUND_404, "no key " + id + " in this tenant");
        }
        keys.revoke(id);
        ApiKey revoked = keys.list(p.tenant()).stream().filter(k -> k.id().equals(id)).findFirst().orElseThrow();
        audit.keyRevoked(p, revoked);
        return ok(json.createObjectNode().set("key", keyJson(revoked)));
    }

    // ---- GET /openapi.json ---------------------------------------------------------------------------------------

    private Answer openApi() throws IOException {
        try (InputStream in = ApiHandler.class.getResourceAsStream(OPENAPI_RESOURCE)) {
            if (in == null) {
                return error(HttpStatus.NOT_FOUND_404, "this build has no OpenAPI document");
            }
            return new Answer(HttpStatus.OK_200, in.readAllBytes(), 0);
        }
    }

    // ---- answers -------------------------------------------------------------------------------------------------

    private Answer ok(JsonNode body) throws IOException {
        return new Answer(HttpStatus.OK_200, json.writeValueAsBytes(body), 0);
    }

    private Answer error(int status, String message) {
        try {
            return new Answer(status, json.writeValueAsBytes(json.createObjectNode().put("error", message)), 0);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write an error as JSON", e);
        }
    }

    private Answer forbidden(Scope needed) {
        return error(HttpStatus.FORBIDDEN_403, "this key lacks the '" + needed.label() + "' scope");
    }

    private Answer notAllowed(String allowed) {
        return error(HttpStatus.METHOD_NOT_ALLOWED_405, "allowed: " + allowed);
    }
}
