package io.vigil.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.event.Actor;
import io.vigil.event.ActorType;
import io.vigil.event.AuditEvent;
import io.vigil.event.EventCatalog;
import io.vigil.event.EventType;
import io.vigil.json.EventJson;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** What the viewer needs from the server, over real HTTP: its static files and their headers, and the timeline. */
class ViewerApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private static final Instant T0 = Instant.parse("2026-03-02T08:00:00Z");

    @TempDir
    Path tmp;
    private VigilServer server;
    private String ingest;
    private String read;

    @BeforeEach
    void start() throws IOException {
        Path dir = tmp.resolve("server");
        ApiKeys keys = ApiKeys.open(dir);
        ingest = keys.create("acme", Set.of(Scope.INGEST), Optional.empty()).secret();
        read = keys.create("acme", Set.of(Scope.READ), Optional.empty()).secret();
        server = VigilServer.start(ServerOptions.defaults(dir).withPort(0));
    }

    @AfterEach
    void stop() throws IOException {
        server.close();
    }

    private HttpResponse<String> get(String path, String key) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path));
        if (key != null) {
            b.header("Authorization", "Bearer " + key);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void theViewerIsServedWithoutAKeyWithStrictHeaders() throws Exception {
        HttpResponse<String> index = get("/", null);
        assertThat(index.statusCode()).isEqualTo(200);
        assertThat(index.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
        assertThat(index.body()).contains("<script type=\"module\" src=\"/ui/app.js\"></script>");
        String csp = index.headers().firstValue("Content-Security-Policy").orElseThrow();
        assertThat(csp).contains("default-src 'none'", "script-src 'self'", "connect-src 'self'",
                "frame-ancestors 'none'").doesNotContain("unsafe-inline", "unsafe-eval", "http");
        assertThat(index.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(index.headers().firstValue("Cache-Control")).hasValue("no-cache");
        Map<String, String> types = Map.of("/ui/app.js", "text/javascript; charset=utf-8",
                "/ui/proof.js", "text/javascript; charset=utf-8", "/ui/timeline.js", "text/javascript; charset=utf-8",
                "/ui/viewer.css", "text/css; charset=utf-8");
        for (Map.Entry<String, String> t : types.entrySet()) {
            HttpResponse<String> r = get(t.getKey(), null);
            assertThat(r.statusCode()).as(t.getKey()).isEqualTo(200);
            assertThat(r.headers().firstValue("Content-Type")).as(t.getKey()).hasValue(t.getValue());
            assertThat(r.headers().firstValue("Content-Security-Policy")).as(t.getKey()).isPresent();
        }
        // An unchanged file costs a 304.
        String etag = index.headers().firstValue("ETag").orElseThrow();
        HttpResponse<String> again = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port()
                + "/")).header("If-None-Match", etag).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(again.statusCode()).isEqualTo(304);
        // The data still needs a key; the viewer's files are no way around it.
        assertThat(get("/v1/events", null).statusCode()).isEqualTo(401);
        assertThat(get("/v1/timeline", null).statusCode()).isEqualTo(401);
        HttpResponse<String> post = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port()
                + "/")).POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(post.statusCode()).isEqualTo(405);
    }

    @Test
    void nothingOutsideTheViewersFolderIsServed() throws Exception {
        for (String path : List.of("/ui/missing.js", "/ui/", "/ui/app.js.bak", "/ui/sub/app.js", "/ui/.hidden.js",
                "/ui/ViewerAssets.class", "/ui/%2e%2e/openapi.json", "/ui/..%2fopenapi.json", "/ui/%2e%2e%2fkeys.json")) {
            HttpResponse<String> r = get(path, null);
            assertThat(r.statusCode()).as(path).isIn(400, 404);
            assertThat(r.body()).as(path).doesNotContain("\"openapi\"", "\"paths\"", "\"keys\"");
        }
        // Raw, as a client that does not normalize would send it.
        for (String raw : List.of("/ui/../openapi.json", "/ui/../../io/vigil/server/openapi.json",
                "/ui//etc/passwd")) {
            String answer = rawGet(raw);
            assertThat(answer).as(raw).startsWith("HTTP/1.1 4").doesNotContain("\"openapi\"", "root:");
        }
    }

    private String rawGet(String path) throws IOException {
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            s.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void theTimelineCountsEventsAndFailuresPerCategoryAndBucket() throws Exception {
        HttpResponse<String> empty = get("/v1/timeline", read);
        assertThat(empty.statusCode()).as(empty.body()).isEqualTo(200);
        assertThat(JSON.readTree(empty.body()).get("buckets")).isEmpty();

        // An hour of events, one a minute: logins, every third a failure, and every tenth a finding (denied).
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            EventType type = i % 10 == 9 ? EventCatalog.SECURITY_BRUTE_FORCE_DETECTED
                    : i % 3 == 0 ? EventCatalog.AUTH_LOGIN_FAILURE : EventCatalog.AUTH_LOGIN_SUCCESS;
            lines.add(EventJson.toCanonicalString(AuditEvent.builder(type).id(UUID.randomUUID())
                    .timestamp(T0.plusSeconds(60L * i).plusMillis(250))
                    .actor(new Actor(ActorType.USER, Optional.of("u" + i), Optional.empty(), Optional.empty(),
                            Optional.empty())).build()));
        }
        HttpResponse<String> sent = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port()
                        + "/v1/events")).header("Authorization", "Bearer " + ingest)
                .header("Content-Type", "application/x-ndjson")
                .POST(HttpRequest.BodyPublishers.ofString(String.join("\n", lines))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(sent.statusCode()).isEqualTo(202);

        // The whole ledger's range by default, in whole minutes: from its first event's to the end of its last's.
        JsonNode all = JSON.readTree(get("/v1/timeline?buckets=6", read).body());
        assertThat(all.get("since").asText()).isEqualTo("2026-03-02T08:00:00Z");
        assertThat(all.get("until").asText()).isEqualTo("2026-03-02T09:00:00Z");
        assertThat(all.get("bucketSeconds").asLong()).isEqualTo(600);
        Map<String, long[]> totals = new HashMap<>();
        long events = 0;
        for (JsonNode b : all.get("buckets")) {
            long[] t = totals.computeIfAbsent(b.get("category").asText(), c -> new long[2]);
            t[0] += b.get("events").asLong();
            t[1] += b.get("failures").asLong();
            events += b.get("events").asLong();
            assertThat(b.get("events").asLong()).isPositive();
        }
        assertThat(events).isEqualTo(60);
        assertThat(totals.get("security")).containsExactly(6, 6); // denied counts as a failure
        assertThat(totals.get("auth")).containsExactly(54, 18);

        // A range of its own: the first ten minutes in 10 buckets of a minute, since inclusive, until exclusive.
        JsonNode ten = JSON.readTree(get("/v1/timeline?since=2026-03-02T08:00:00Z&until=2026-03-02T08:10:00Z"
                + "&buckets=10", read).body());
        assertThat(ten.get("bucketSeconds").asLong()).isEqualTo(60);
        assertThat(ten.get("buckets")).hasSize(10);
        assertThat(ten.get("buckets").get(9).get("category").asText()).isEqualTo("security");
        assertThat(ten.get("buckets").get(3).get("start").asText()).isEqualTo("2026-03-02T08:03:00Z");
        assertThat(ten.get("buckets").get(3).get("failures").asLong()).isEqualTo(1);
        assertThat(ten.get("buckets").get(4).get("failures").asLong()).isZero();

        for (String bad : List.of("buckets=0", "buckets=501", "buckets=x", "since=yesterday",
                "since=2026-03-02T09:00:00Z&until=2026-03-02T08:00:00Z")) {
            HttpResponse<String> r = get("/v1/timeline?" + bad, read);
            assertThat(r.statusCode()).as(bad).isEqualTo(400);
            assertThat(JSON.readTree(r.body()).get("error").asText()).as(bad).isNotBlank();
        }
        assertThat(get("/v1/timeline", ingest).statusCode()).as("needs the read scope").isEqualTo(403);
    }
}
