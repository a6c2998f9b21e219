package io.vigil.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.event.ActorType;
import io.vigil.event.Category;
import io.vigil.event.EventCatalog;
import io.vigil.event.EventType;
import io.vigil.event.Outcome;
import io.vigil.event.Severity;
import io.vigil.ledger.FileLedger;
import io.vigil.ledger.LedgerEntry;
import io.vigil.ledger.LedgerReader;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.statistics.Statistics;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Whatever body a client posts, over real HTTP to one real server: never a 500, a refusal that says where and why,
 * a receipt per event, and a ledger holding exactly the acknowledged events at the seq and hash of their receipts.
 */
class IngestFuzzTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private static final String TENANT = "fuzz";
    private static final Set<Integer> STATUSES = Set.of(202, 400, 413, 415, 429);
    private static final Pattern HASH = Pattern.compile("[0-9a-f]{64}");
    private static final DateTimeFormatter MILLIS = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);
    /** A few fixed ids, so that some events are posted again and must get the receipt they got the first time. */
    private static final List<String> REPOSTED = List.of("0194b3a0-7c00-7000-8000-000000000001",
            "0194b3a0-7c00-7000-8000-000000000002", "0194b3a0-7c00-7000-8000-000000000003");
    /** Letters beyond ASCII, a character that needs a surrogate pair, a line separator and a control character. */
    private static final String TEXT_CHARS = "abcXYZ019 -_.:/é中\u2028\u0007😀";

    private static Path dir;
    private static VigilServer server;
    private static String key;
    /** Every receipt a 202 gave, by event id, across all tries. */
    private static final Map<String, JsonNode> ACKNOWLEDGED = new HashMap<>();
    private static final Map<Long, String> ID_AT_SEQ = new HashMap<>();

    @BeforeContainer
    static void start() throws IOException {
        dir = Files.createTempDirectory("ingest-fuzz");
        key = ApiKeys.open(dir).create(TENANT, Set.of(Scope.INGEST), Optional.of("fuzz")).secret();
        server = VigilServer.start(ServerOptions.defaults(dir).withPort(0));
    }

    @AfterContainer
    static void stop() throws IOException {
        try {
            server.close();
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }

    /** A request: its Content-Type (none when null), body, and whether every event in it is valid. */
    record Post(String contentType, byte[] body, boolean valid) {
        @Override
        public String toString() {
            String text = new String(body, StandardCharsets.UTF_8);
            return "Post[" + contentType + ", " + body.length + " bytes, valid=" + valid + ": "
                    + (text.length() > 600 ? text.substring(0, 600) + "..." : text) + "]";
        }
    }

    @Property(tries = 300)
    void everyBodyIsAnsweredAndNothingAcknowledgedIsLost(@ForAll("posts") Post post) throws Exception {
        String type = post.contentType() == null ? "" : post.contentType().toLowerCase(Locale.ROOT);
        boolean ndjson = type.startsWith("application/x-ndjson");
        boolean supported = ndjson || type.startsWith("application/json");
        boolean tooLarge = post.body().length > ServerOptions.DEFAULT_MAX_BODY_BYTES;
        boolean early = !supported || tooLarge;
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/v1/events"))
                .header("Authorization", "Bearer " + key).POST(HttpRequest.BodyPublishers.ofByteArray(post.body()))
                .timeout(Duration.ofSeconds(30));
        if (post.contentType() != null) {
            b.header("Content-Type", post.contentType());
        }
        HttpResponse<String> answer;
        if (early) {
            // The server closes the connection of a body it refuses unread without saying so
            // (EarlyRefusalConnectionTest): such a request goes on a connection of its own, so that the next one does
            // not fail on a dead connection, and may fail itself when the server closes while the body is sent.
            try {
                answer = HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
            } catch (HttpTimeoutException e) {
                throw e;
            } catch (IOException e) {
                Statistics.label("status").collect("connection closed");
                checkLedger(List.of());
                return;
            }
        } else {
            answer = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        }
        int status = answer.statusCode();
        Statistics.label("status").collect(String.valueOf(status));
        assertThat(STATUSES).as("status of %s: %s", post, answer.body()).contains(status);
        if (!supported) {
            assertThat(status).as(answer.body()).isEqualTo(415);
        }
        if (supported && tooLarge) {
            assertThat(status).as(answer.body()).isEqualTo(413);
        }
        if (supported && !tooLarge && post.valid()) {
            assertThat(status).as("a valid body %s: %s", post, answer.body()).isEqualTo(202);
        }
        JsonNode body = JSON.readTree(answer.body());
        if (status == 400) {
            assertThat(body.get("errors")).as(answer.body()).isNotNull();
            assertThat(body.get("errors").isArray() && !body.get("errors").isEmpty()).as(answer.body()).isTrue();
            for (JsonNode e : body.get("errors")) {
                assertThat(e.path("line").isIntegralNumber() && e.path("line").asLong() >= 1).as(answer.body())
                        .isTrue();
                assertThat(e.path("field").isTextual()).as(answer.body()).isTrue();
                assertThat(e.path("message").isTextual() && !e.path("message").asText().isBlank())
                        .as(answer.body()).isTrue();
            }
        } else if (status != 202) {
            assertThat(body.path("error").isTextual()).as(answer.body()).isTrue();
        }
        List<JsonNode> receipts = new ArrayList<>();
        if (status == 202) {
            int events = ndjson ? nonBlankLines(new String(post.body(), StandardCharsets.UTF_8)) : 1;
            assertThat(body.path("receipts").size()).as("receipts for %s: %s", post, answer.body()).isEqualTo(events);
            for (JsonNode r : body.get("receipts")) {
                String id = r.path("id").asText();
                assertThat(UUID.fromString(id).toString()).isEqualTo(id);
                assertThat(r.path("seq").isIntegralNumber() && r.path("seq").asLong() >= 0).as(r.toString()).isTrue();
                assertThat(r.path("hash").asText()).matches(HASH);
                JsonNode before = ACKNOWLEDGED.putIfAbsent(id, r);
                if (before != null) {
                    assertThat(r).as("a re-post gets the first receipt").isEqualTo(before);
                }
                String other = ID_AT_SEQ.putIfAbsent(r.get("seq").asLong(), id);
                assertThat(other == null || other.equals(id)).as("seq %s given to %s and %s", r.get("seq"), other, id)
                        .isTrue();
                receipts.add(r);
            }
        }
        checkLedger(receipts);
        // The generators are tuned so that every answer, and acknowledged events above all, are common.
        Statistics.label("status").coverage(c -> {
            c.check("202").percentage(p -> p > 15);
            c.check("400").percentage(p -> p > 15);
            c.check("415").count(n -> n > 0);
        });
    }

    /** The ledger holds exactly the acknowledged events, each at its receipt's seq and with its hash. */
    private static void checkLedger(List<JsonNode> receipts) throws IOException {
        Path ledger = dir.resolve("tenants").resolve(TENANT);
        if (!Files.exists(ledger.resolve("ledger.json"))) {
            assertThat(ACKNOWLEDGED).isEmpty();
            return;
        }
        try (LedgerReader reader = FileLedger.openReader(ledger)) {
            // Seqs are distinct per id (checked above), so as many entries as ids means nothing unacknowledged.
            assertThat(reader.size()).as("entries in the ledger").isEqualTo(ACKNOWLEDGED.size());
            for (JsonNode r : receipts) {
                LedgerEntry e = reader.entry(r.get("seq").asLong());
                assertThat(e.event().id().toString()).as("the event at seq %s", r.get("seq")).isEqualTo(
                        r.get("id").asText());
                assertThat(e.hash()).isEqualTo(r.get("hash").asText());
            }
        }
    }

    /** The events of an NDJSON body as the server counts them: lines, less a trailing CR, that are not blank. */
    static int nonBlankLines(String body) {
        int n = 0;
        for (String line : body.split("\n", -1)) {
            if (!(line.endsWith("\r") ? line.substring(0, line.length() - 1) : line).isBlank()) {
                n++;
            }
        }
        return n;
    }

    // ---- bodies --------------------------------------------------------------------------------------------------

    @Provide
    Arbitrary<Post> posts() {
        Arbitrary<String> types = Arbitraries.frequencyOf(
                Tuple.of(10, Arbitraries.just("application/json")),
                Tuple.of(10, Arbitraries.just("application/x-ndjson")),
                Tuple.of(2, Arbitraries.of("application/json; charset=utf-8", "application/x-ndjson; charset=UTF-8",
                        "APPLICATION/JSON", "Application/X-NDJSON")),
                Tuple.of(2, Arbitraries.of("text/plain", "application/xml", "application/x-www-form-urlencoded",
                        "multipart/form-data; boundary=x", "")),
                Tuple.of(1, Arbitraries.just((String) null)));
        Arbitrary<Body> bodies = Arbitraries.frequencyOf(
                Tuple.of(2, Arbitraries.strings().ofMaxLength(200).map(s -> Body.of(s, false))),
                Tuple.of(1, Arbitraries.bytes().array(byte[].class).ofMaxSize(200).map(x -> new Body(x, false))),
                Tuple.of(4, validEvent().map(e -> Body.of(e.toString(), true))),
                Tuple.of(8, mutatedEvent().map(s -> Body.of(s, false))),
                Tuple.of(6, ndjson()),
                Tuple.of(1, oversized()));
        // One JSON body is one event: several lines of events are valid as NDJSON only.
        return Combinators.combine(types, bodies).as((t, b) -> new Post(t, b.bytes(), b.valid()
                && (t != null && t.toLowerCase(Locale.ROOT).startsWith("application/x-ndjson") || events(b) <= 1)));
    }

    private static long events(Body b) {
        return new String(b.bytes(), StandardCharsets.UTF_8).lines().filter(l -> !l.isBlank()).count();
    }

    /** A body and whether every event in it is valid (then a supported type must get 202). */
    record Body(byte[] bytes, boolean valid) {
        static Body of(String text, boolean valid) {
            return new Body(text.getBytes(StandardCharsets.UTF_8), valid);
        }
    }

    /** One event per line, with blank lines and CRLF among them. */
    private Arbitrary<Body> ndjson() {
        Arbitrary<Body> line = Arbitraries.frequencyOf(
                Tuple.of(5, validEvent().map(e -> Body.of(e.toString(), true))),
                Tuple.of(3, mutatedEvent().map(s -> Body.of(s, false))),
                Tuple.of(2, Arbitraries.of("", " ", "\t", "\r", "  \t ").map(s -> Body.of(s, true))),
                Tuple.of(1, Arbitraries.strings().ofMaxLength(30).filter(s -> !s.contains("\n"))
                        .map(s -> Body.of(s, false))));
        Arbitrary<String> separator = Arbitraries.of("\n", "\r\n");
        return Combinators.combine(line.list().ofMaxSize(8), separator, Arbitraries.of(true, false))
                .as((lines, sep, trailing) -> {
                    StringBuilder out = new StringBuilder();
                    boolean valid = true;
                    boolean any = false;
                    for (int i = 0; i < lines.size(); i++) {
                        String text = new String(lines.get(i).bytes(), StandardCharsets.UTF_8);
                        out.append(text).append(i < lines.size() - 1 || trailing ? sep : "");
                        valid &= lines.get(i).valid();
                        any |= !text.isBlank();
                    }
                    return Body.of(out.toString(), valid && any);
                });
    }

    /** Over the 1 MiB limit, or over 10,000 events: 413 either way. */
    private Arbitrary<Body> oversized() {
        return Arbitraries.of(
                Body.of("{\"v\":1,\"details\":{\"pad\":\"" + "x".repeat(ServerOptions.DEFAULT_MAX_BODY_BYTES) + "\"}}",
                        false),
                Body.of("{}\n".repeat(ServerOptions.DEFAULT_MAX_BATCH_EVENTS + 1), false));
    }

    // ---- valid events --------------------------------------------------------------------------------------------

    /** One member of an event's object. */
    record Member(String name, JsonNode value) {
    }

    private static Arbitrary<List<Member>> optional(String name, Arbitrary<? extends JsonNode> value) {
        return Arbitraries.frequencyOf(Tuple.of(1, Arbitraries.just(List.<Member>of())),
                Tuple.of(1, value.map(v -> List.of(new Member(name, v)))));
    }

    private static Arbitrary<JsonNode> text(int min, int max) {
        return Arbitraries.strings().withChars(TEXT_CHARS).ofMinLength(min).ofMaxLength(max).map(NODES::textNode);
    }

    private static Arbitrary<JsonNode> word() {
        return Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(12).map(NODES::textNode);
    }

    private static Arbitrary<JsonNode> names(List<String> values) {
        return Arbitraries.of(values).map(NODES::textNode);
    }

    /** A valid event of the model v1, with or without id, timestamp and tenant, and any optional field. */
    static Arbitrary<ObjectNode> validEvent() {
        Arbitrary<List<Member>> core = Combinators.combine(Arbitraries.of(EventCatalog.all()),
                Arbitraries.of(Outcome.values()).injectNull(0.7), Arbitraries.of(Severity.values()).injectNull(0.7))
                .as(IngestFuzzTest::core);
        Arbitrary<List<Member>> id = Arbitraries.frequencyOf(Tuple.of(3, Arbitraries.just(List.<Member>of())),
                Tuple.of(2, Arbitraries.create(UUID::randomUUID).map(u -> List.of(new Member("id", NODES.textNode(
                        u.toString()))))),
                Tuple.of(1, Arbitraries.of(REPOSTED).map(u -> List.of(new Member("id", NODES.textNode(u))))));
        Arbitrary<JsonNode> timestamps = Arbitraries.longs()
                .between(Instant.parse("1970-01-01T00:00:00Z").toEpochMilli(),
                        Instant.parse("2100-01-01T00:00:00Z").toEpochMilli())
                .map(ms -> NODES.textNode(MILLIS.format(Instant.ofEpochMilli(ms))));
        Arbitrary<JsonNode> ips = Arbitraries.of("203.0.113.7", "10.0.0.1", "::1", "2001:db8::1", "0.0.0.0")
                .map(NODES::textNode);
        Arbitrary<JsonNode> actor = Combinators.combine(names(Stream.of(ActorType.values())
                        .map(ActorType::jsonName).toList()), optional("id", text(0, 20)), optional("name", text(0, 20)),
                optional("ip", ips), optional("userAgent", text(0, 40)))
                .as((type, a, b, c, d) -> object(List.of(List.of(new Member("type", type)), a, b, c, d)));
        Arbitrary<JsonNode> target = Combinators.combine(word(), optional("id", text(0, 20)),
                optional("name", text(0, 20))).as((type, a, b) -> object(List.of(List.of(new Member("type", type)),
                a, b)));
        Arbitrary<JsonNode> flags = word().list().ofMaxSize(3).map(l -> {
            ArrayNode a = NODES.arrayNode();
            l.forEach(a::add);
            return a;
        });
        List<Arbitrary<List<Member>>> parts = List.of(core, id,
                optional("timestamp", timestamps),
                optional("tenant", Arbitraries.just(NODES.textNode(TENANT))),
                optional("actor", actor),
                optional("target", target),
                optional("service", text(1, 20)),
                optional("requestId", text(1, 20)),
                optional("sessionId", text(0, 20)),
                optional("traceId", text(0, 20)),
                optional("reason", text(0, 80)),
                optional("error", text(0, 80)),
                optional("riskScore", Arbitraries.doubles().between(0, 1).map(NODES::numberNode)),
                optional("anomalyFlags", flags),
                optional("details", details(3)));
        return Combinators.combine(parts).as(IngestFuzzTest::object);
    }

    private static List<Member> core(EventType type, Outcome outcome, Severity severity) {
        return List.of(new Member("v", NODES.numberNode(1)), new Member("type", NODES.textNode(type.name())),
                new Member("category", NODES.textNode(type.category().jsonName())),
                new Member("action", NODES.textNode(type.action())),
                new Member("outcome", NODES.textNode((outcome == null ? type.outcome() : outcome).jsonName())),
                new Member("severity", NODES.textNode((severity == null ? type.severity() : severity).jsonName())));
    }

    private static ObjectNode object(List<List<Member>> parts) {
        ObjectNode o = NODES.objectNode();
        parts.forEach(p -> p.forEach(m -> o.set(m.name(), m.value())));
        return o;
    }

    /** Details of JSON values, nested up to {@code depth}; a "password" among them is stored redacted. */
    private static Arbitrary<JsonNode> details(int depth) {
        Arbitrary<JsonNode> leaf = Arbitraries.oneOf(text(0, 30), Arbitraries.longs().map(NODES::numberNode),
                Arbitraries.doubles().between(-1e9, 1e9).map(NODES::numberNode),
                Arbitraries.of(true, false).map(NODES::booleanNode));
        Arbitrary<JsonNode> value = depth <= 1 ? leaf : Arbitraries.frequencyOf(Tuple.of(4, leaf),
                Tuple.of(1, Arbitraries.lazy(() -> details(depth - 1))),
                Tuple.of(1, leaf.list().ofMaxSize(3).map(l -> {
                    ArrayNode a = NODES.arrayNode();
                    l.forEach(a::add);
                    return a;
                })));
        Arbitrary<String> keys = Arbitraries.frequencyOf(Tuple.of(6, Arbitraries.strings().withChars(TEXT_CHARS)
                .ofMaxLength(12)), Tuple.of(1, Arbitraries.of("password", "token", "apiKey")));
        return Arbitraries.maps(keys, value).ofMaxSize(4).map(m -> {
            ObjectNode o = NODES.objectNode();
            m.forEach(o::set);
            return o;
        });
    }

    // ---- mutated events ------------------------------------------------------------------------------------------

    /** A change to an event, named so that a failing example says what was done. */
    record Mutation(String name, UnaryOperator<ObjectNode> change) {
        @Override
        public String toString() {
            return name;
        }
    }

    /** A valid event with a few of its fields removed, retyped, enlarged or added to, then perhaps cut short. */
    static Arbitrary<String> mutatedEvent() {
        Arbitrary<String> text = Combinators.combine(validEvent(), mutation().list().ofMinSize(1).ofMaxSize(3))
                .as((event, changes) -> {
                    ObjectNode e = event.deepCopy(); // generated values may be used again while shrinking
                    for (Mutation m : changes) {
                        e = m.change().apply(e);
                    }
                    return deepen(e.toString());
                });
        return Combinators.combine(text, textMutation()).as((t, m) -> m.apply(t));
    }

    private static final List<String> FIELDS = List.of("v", "id", "timestamp", "category", "type", "action", "outcome",
            "severity", "actor", "target", "tenant", "service", "requestId", "sessionId", "traceId", "reason", "error",
            "riskScore", "anomalyFlags", "details");

    private static Arbitrary<Mutation> mutation() {
        Arbitrary<String> field = Arbitraries.of(FIELDS);
        Arbitrary<Mutation> remove = field.map(f -> new Mutation("remove " + f, e -> {
            e.remove(f);
            return e;
        }));
        Arbitrary<Mutation> replace = Combinators.combine(field, oddValue()).as((f, v) -> new Mutation(
                "set " + f + " to " + abbreviate(v), e -> {
                    e.set(f, v.deepCopy());
                    return e;
                }));
        Arbitrary<Mutation> nested = Combinators.combine(Arbitraries.of("actor", "target"),
                Arbitraries.of("type", "id", "name", "ip", "userAgent", "extra"), oddValue()).as((o, f, v) ->
                new Mutation("set " + o + "." + f + " to " + abbreviate(v), e -> {
                    (e.get(o) instanceof ObjectNode n ? n : e.putObject(o)).set(f, v.deepCopy());
                    return e;
                }));
        Arbitrary<Mutation> unknown = Combinators.combine(Arbitraries.strings().ofMaxLength(10), oddValue())
                .as((f, v) -> new Mutation("add unknown field " + f, e -> {
                    if (!FIELDS.contains(f)) {
                        e.set(f, v.deepCopy());
                    }
                    return e;
                }));
        Arbitrary<Mutation> deep = Combinators.combine(Arbitraries.integers().between(2, 1_500),
                Arbitraries.of(true, false)).as((depth, arrays) -> new Mutation("details nested " + depth
                + (arrays ? " arrays" : " objects"), e -> {
                    e.put("details", "@@deep-" + depth + (arrays ? "-a" : "-o") + "@@");
                    return e;
                }));
        Arbitrary<Mutation> huge = Combinators.combine(Arbitraries.of("reason", "type", "action", "service", "tenant",
                "id", "details"), Arbitraries.of(1_025, 65_537, 300_000)).as((f, n) -> new Mutation(
                "a " + n + "-character " + f, e -> {
                    String s = "é".repeat(n);
                    if (f.equals("details")) {
                        e.putObject("details").put("k".repeat(1_100), s);
                    } else {
                        e.put(f, s);
                    }
                    return e;
                }));
        Arbitrary<Mutation> otherCategory = Arbitraries.of(Category.values()).map(c -> new Mutation("category "
                + c.jsonName(), e -> {
                    e.put("category", c.jsonName());
                    return e;
                }));
        return Arbitraries.oneOf(remove, replace, nested, unknown, deep, huge, otherCategory);
    }

    private static String abbreviate(JsonNode v) {
        String s = v.toString();
        return s.length() > 60 ? s.substring(0, 60) + "..." : s;
    }

    private static final Pattern DEEP = Pattern.compile("\"@@deep-(\\d+)-([ao])@@\"");

    /**
     * Puts in the deep nesting a deep mutation asked for, as text: Jackson's own writer refuses to write more than
     * 1000 levels, and the server must cope with whatever a client writes.
     */
    private static String deepen(String text) {
        Matcher m = DEEP.matcher(text);
        if (!m.find()) {
            return text;
        }
        int depth = Integer.parseInt(m.group(1));
        boolean arrays = m.group(2).equals("a");
        String open = arrays ? "[" : "{\"k\":";
        String close = arrays ? "]" : "}";
        String nested = "{\"k\":" + open.repeat(depth) + "\"bottom\"" + close.repeat(depth) + "}";
        return text.substring(0, m.start()) + nested + text.substring(m.end());
    }

    /** Values of the wrong type, out of range, or of odd text, for any field. */
    private static Arbitrary<JsonNode> oddValue() {
        return Arbitraries.oneOf(
                Arbitraries.of(NODES.nullNode(), NODES.numberNode(0), NODES.numberNode(1), NODES.numberNode(-1.5),
                        NODES.numberNode(2), NODES.numberNode(1.0), NODES.booleanNode(true), NODES.textNode(""),
                        NODES.textNode(" "), NODES.arrayNode(), NODES.objectNode(),
                        NODES.arrayNode().add(1).add("a").addNull(), NODES.numberNode(Long.MAX_VALUE),
                        NODES.numberNode(new BigInteger("123456789012345678901234567890")),
                        NODES.numberNode(new BigDecimal("1e400")), NODES.numberNode(new BigDecimal("-1e-400")),
                        NODES.numberNode(new BigDecimal("1e308")),
                        NODES.textNode("auth.login.success"), NODES.textNode("x.custom.thing"),
                        NODES.textNode("AUTH"), NODES.textNode("success"), NODES.textNode("user"),
                        NODES.textNode("fuzz"), NODES.textNode("other-tenant"), NODES.textNode("FUZZ"),
                        NODES.textNode("0194b3a0-7c00-7000-8000-00000000000a"),
                        NODES.textNode("0194B3A0-7C00-7000-8000-00000000000B"),
                        NODES.textNode("1-1-1-1-1"), NODES.textNode("not-a-uuid"),
                        NODES.textNode("2026-01-29T09:00:00Z"), NODES.textNode("2026-01-29T09:00:00.000+01:00"),
                        NODES.textNode("2026-02-30T00:00:00.000Z"), NODES.textNode("2026-13-01T00:00:00.000Z"),
                        NODES.textNode("0000-01-01T00:00:00.000Z"), NODES.textNode("9999-12-31T23:59:59.999Z"),
                        NODES.textNode("+10000-01-01T00:00:00.000Z"), NODES.textNode("-0001-01-01T00:00:00.000Z"),
                        NODES.textNode("+999999999-12-31T23:59:59.999Z"), NODES.textNode("999.999.999.999"),
                        NODES.textNode("\u0000"), NODES.textNode("\ufeff"), NODES.textNode("\ud800"),
                        NODES.textNode("😀\udc00"), NODES.textNode("a\u2028b\u2029c")),
                Arbitraries.strings().ofMaxLength(20).map(NODES::textNode),
                Arbitraries.doubles().map(NODES::numberNode),
                Arbitraries.longs().map(NODES::numberNode));
    }

    /** Changes to the text itself: cut short, junk after the object, a lone surrogate escape, a byte-order mark. */
    private static Arbitrary<UnaryOperator<String>> textMutation() {
        Arbitrary<UnaryOperator<String>> none = Arbitraries.just(s -> s);
        Arbitrary<UnaryOperator<String>> cut = Arbitraries.doubles().between(0, 1).map(f -> s -> s.substring(0,
                (int) (s.length() * f)));
        Arbitrary<UnaryOperator<String>> junk = Arbitraries.of("}", "]", "{}", " x", ",", "\u0000", "\"")
                .map(j -> s -> s + j);
        Arbitrary<UnaryOperator<String>> escapes = Arbitraries.of("\\ud800", "\\udc00x", "\\u0000", "\\uffff",
                "\\x41", "\\").map(esc -> s -> {
                    int at = s.indexOf("\":\"");
                    return at < 0 ? s : s.substring(0, at + 3) + esc + s.substring(at + 3);
                });
        Arbitrary<UnaryOperator<String>> bom = Arbitraries.just(s -> "\ufeff" + s);
        Arbitrary<UnaryOperator<String>> duplicate = Arbitraries.just(s -> s.startsWith("{")
                ? "{\"type\":\"x.dup.key\"," + s.substring(1) : s);
        return Arbitraries.frequencyOf(Tuple.of(8, none), Tuple.of(3, cut), Tuple.of(1, junk), Tuple.of(1, escapes),
                Tuple.of(1, bom), Tuple.of(1, duplicate));
    }
}
