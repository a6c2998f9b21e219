package io.vigil.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.event.Actor;
import io.vigil.event.AuditEvent;
import io.vigil.event.EventCatalog;
import io.vigil.event.Target;
import io.vigil.ledger.FileLedger;
import io.vigil.ledger.LedgerOptions;
import io.vigil.ledger.LedgerStore;
import io.vigil.ledger.checkpoint.KeyFiles;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
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
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code POST /v1/verify} streamed as NDJSON with its progress, and {@code GET /v1/verify}, the tenant's last run kept
 * across restarts: over real HTTP against a real server whose tenant holds a ledger large enough to take a while.
 */
class VerifyProgressTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    /** Enough entries (some tens of MB) that verifying them takes long enough to report progress on the way. */
    private static final int ENTRIES = 120_000;

    @TempDir
    Path tmp;
    private Path dir;
    private VigilServer server;
    private String admin;
    private String reader;
    private String otherAdmin;

    @BeforeEach
    void start() throws IOException {
        dir = tmp.resolve("server");
        ApiKeys keys = ApiKeys.open(dir);
        admin = keys.create("acme", Set.of(Scope.INGEST, Scope.READ, Scope.ADMIN), Optional.empty()).secret();
        reader = keys.create("acme", Set.of(Scope.READ), Optional.empty()).secret();
        otherAdmin = keys.create("globex", Set.of(Scope.INGEST, Scope.READ, Scope.ADMIN), Optional.empty()).secret();
        VigilServer.start(options()).close(); // makes the server's signing key
        writeLedger(dir.resolve("tenants").resolve("acme"), "vigil/acme", ENTRIES);
        server = VigilServer.start(options());
    }

    private ServerOptions options() {
        return ServerOptions.defaults(dir).withPort(0);
    }

    /** A tenant's ledger as the server writes it (its origin, its key), written directly because it is large. */
    private void writeLedger(Path ledger, String origin, int entries) throws IOException {
        LedgerOptions options = LedgerOptions.defaults(origin).withSigningKey(KeyFiles.readPrivate(
                dir.resolve("server.key"))).withCheckpoints(10_000, Duration.ofSeconds(10));
        try (LedgerStore store = FileLedger.open(ledger, options)) {
            List<AuditEvent> batch = new ArrayList<>();
            Instant first = Instant.parse("2026-03-02T08:00:00Z");
            for (int i = 0; i < entries; i++) {
                batch.add(AuditEvent.builder(EventCatalog.AUTH_LOGIN_SUCCESS).id(UUID.randomUUID())
                        .timestamp(first.plusMillis(i)).actor(Actor.user("user-" + (i % 977))
                        .withIp("203.0.113." + (i % 250))).target(Target.of("session", "s-" + i)).tenant("acme")
                        .detail("method", "password-and-otp").detail("client", "checkout/" + (i % 13)).build());
                if (batch.size() == 5_000) {
                    store.append(batch);
                    batch.clear();
                }
            }
            store.append(batch);
        }
    }

    @AfterEach
    void stop() throws IOException {
        if (server != null) {
            server.close();
        }
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }

    private HttpResponse<String> get(String path, String key) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(uri(path)).header("Authorization", "Bearer " + key).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> verifyPlain(String key) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(uri("/v1/verify")).header("Authorization", "Bearer " + key)
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A line of the streamed answer and when the client had it. */
    private record Received(JsonNode line, long nanos) {
    }

    @Test
    void progressIsStreamedBeforeTheReportAndOnlyGoesUpTo100() throws Exception {
        HttpResponse<InputStream> r = HTTP.send(HttpRequest.newBuilder(uri("/v1/verify"))
                .header("Authorization", "Bearer " + admin).header("Accept", "application/x-ndjson")
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofInputStream());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t ->
                assertThat(t).startsWith("application/x-ndjson"));
        List<Received> lines = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                lines.add(new Received(JSON.readTree(line), System.nanoTime()));
            }
        }
        assertThat(lines).hasSizeGreaterThan(2);
        List<Received> progress = lines.subList(0, lines.size() - 1);
        JsonNode last = lines.get(lines.size() - 1).line();
        assertThat(last.has("report")).as(last.toString()).isTrue();
        long total = progress.get(0).line().get("progress").get("of").asLong();
        assertThat(total).isPositive();
        int previous = -1;
        for (Received p : progress) {
            JsonNode n = p.line().get("progress");
            assertThat(n).as(p.line().toString()).isNotNull();
            assertThat(n.get("of").asLong()).isEqualTo(total);
            assertThat(n.get("bytes").asLong()).isBetween(0L, total);
            assertThat(n.get("percent").asInt()).as("never decreases").isGreaterThanOrEqualTo(previous);
            previous = n.get("percent").asInt();
        }
        assertThat(progress.get(0).line().get("progress").get("percent").asInt()).isLessThan(100);
        assertThat(previous).as("ends at 100").isEqualTo(100);
        assertThat(progress.get(progress.size() - 1).line().get("progress").get("bytes").asLong()).isEqualTo(total);
        assertThat(progress.get(0).nanos()).as("the first progress line came while the run went on")
                .isLessThan(lines.get(lines.size() - 1).nanos());

        JsonNode report = last.get("report");
        assertThat(report.get("intact").asBoolean()).as(report.toString()).isTrue();
        assertThat(report.get("entries").asLong()).isEqualTo(ENTRIES);
        assertThat(report.get("millis").asLong()).isNotNegative();
        assertThat(Instant.parse(report.get("at").asText())).isBeforeOrEqualTo(Instant.now());
        JsonNode fetched = JSON.readTree(get("/v1/verify", reader).body()).get("last");
        assertThat(fetched.get("report")).isEqualTo(report);
    }

    @Test
    void withoutNdjsonTheAnswerIsTheReportAlone() throws Exception {
        HttpResponse<String> r = verifyPlain(admin);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t ->
                assertThat(t).startsWith("application/json"));
        JsonNode report = JSON.readTree(r.body());
        assertThat(report.has("progress")).isFalse();
        assertThat(report.get("intact").asBoolean()).isTrue();
        assertThat(report.get("entries").asLong()).isEqualTo(ENTRIES);
        assertThat(report.get("at").isTextual()).isTrue();
        assertThat(report.get("millis").isIntegralNumber()).isTrue();
    }

    @Test
    void theLastRunIsKeptPerTenantAndAcrossARestart() throws Exception {
        assertThat(JSON.readTree(get("/v1/verify", reader).body())).isEqualTo(JSON.readTree("{\"last\":null}"));
        assertThat(verifyPlain(reader).statusCode()).as("a read-only key may not run it").isEqualTo(403);
        assertThat(JSON.readTree(get("/v1/verify", reader).body()).get("last").isNull()).isTrue();

        JsonNode report = JSON.readTree(verifyPlain(admin).body());
        JsonNode last = JSON.readTree(get("/v1/verify", reader).body()).get("last");
        assertThat(last.get("report")).isEqualTo(report);
        assertThat(last.get("at").asText()).isEqualTo(report.get("at").asText());
        assertThat(last.get("by").asText()).as("the admin key's id").isNotEmpty().isSubstringOf(admin);
        assertThat(JSON.readTree(get("/v1/verify", otherAdmin).body()).get("last").isNull())
                .as("another tenant sees none of it").isTrue();

        assertThat(server.flushAudit(Duration.ofSeconds(10))).isTrue();
        server.close();
        server = VigilServer.start(options());
        JsonNode again = JSON.readTree(get("/v1/verify", reader).body()).get("last");
        assertThat(again).as("read back from the server's own audit trail").isEqualTo(last);
        assertThat(JSON.readTree(get("/v1/verify", otherAdmin).body()).get("last").isNull()).isTrue();
    }

    @Test
    void aClientThatLeavesMidStreamLeavesTheServerAndTheLedgerWorking() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST /v1/verify HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + admin
                    + "\r\nAccept: application/x-ndjson\r\nContent-Length: 0\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                    StandardCharsets.US_ASCII));
            String line;
            do {
                line = in.readLine();
                assertThat(line).as("the answer goes on to a progress line").isNotNull();
            } while (!line.contains("progress"));
        } // gone, mid-stream

        String event = "{\"v\":1,\"type\":\"auth.login.success\",\"category\":\"auth\",\"action\":\"login\","
                + "\"outcome\":\"success\",\"severity\":\"low\",\"actor\":{\"type\":\"user\",\"id\":\"zoe\"}}";
        HttpResponse<String> posted = HTTP.send(HttpRequest.newBuilder(uri("/v1/events"))
                .header("Authorization", "Bearer " + admin).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(event)).timeout(Duration.ofSeconds(60)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(posted.statusCode()).as("the ledger is not left locked").isEqualTo(202);
        // The append ran once the verification let go of the ledger; the run is recorded just after that.
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        JsonNode last = JSON.readTree(get("/v1/verify", reader).body()).get("last");
        while (last.isNull() && System.nanoTime() < deadline) {
            Thread.sleep(20);
            last = JSON.readTree(get("/v1/verify", reader).body()).get("last");
        }
        assertThat(last.isObject()).as("the run went on and was recorded: " + last).isTrue();
        assertThat(last.get("report").get("entries").asLong()).isEqualTo(ENTRIES);
        assertThat(JSON.readTree(get("/health", reader).body()).get("status").asText()).isEqualTo("ok");
    }
}
