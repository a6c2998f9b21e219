package io.vigil.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.ledger.FileLedger;
import io.vigil.ledger.Hash;
import io.vigil.ledger.LedgerReader;
import io.vigil.ledger.LedgerVerifier;
import io.vigil.ledger.VerificationReport;
import io.vigil.ledger.checkpoint.KeyFiles;
import io.vigil.ledger.checkpoint.SignedCheckpoint;
import io.vigil.ledger.checkpoint.VerifierKey;
import io.vigil.ledger.merkle.ProofJson;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The HTTP API over real HTTP against a real server and real file ledgers: every status, its body, and isolation. */
class ServerApiTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @TempDir
    Path tmp;
    private Path dir;
    private VigilServer server;
    private String writer;
    private String reader;
    private String admin;
    private String other;

    @BeforeEach
    void start() throws IOException {
        dir = tmp.resolve("server");
        ApiKeys keys = ApiKeys.open(dir);
        writer = keys.create("acme", Set.of(Scope.INGEST), Optional.of("writer")).secret();
        reader = keys.create("acme", Set.of(Scope.READ), Optional.of("reader")).secret();
        admin = keys.create("acme", Set.of(Scope.INGEST, Scope.READ, Scope.ADMIN), Optional.empty()).secret();
        other = keys.create("globex", Set.of(Scope.INGEST, Scope.READ), Optional.empty()).secret();
        server = VigilServer.start(ServerOptions.defaults(dir).withPort(0).withMaxBodyBytes(64 * 1024)
                .withMaxBatchEvents(50).withEventsPerSecond(1_000));
    }

    @AfterEach
    void stop() throws IOException {
        server.close();
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }

    private HttpResponse<String> get(String path, String key) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).GET();
        if (key != null) {
            b.header("Authorization", "Bearer " + key);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String key, String type, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri("/v1/events")).header("Content-Type", type)
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (key != null) {
            b.header("Authorization", "Bearer " + key);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String event(String type, String actor) {
        return "{\"v\":1,\"type\":\"" + type + "\",\"category\":\"auth\",\"action\":\"login\",\"outcome\":\""
                + (type.endsWith("failure") ? "failure" : "success") + "\",\"severity\":\"low\","
                + "\"actor\":{\"type\":\"user\",\"id\":\"" + actor + "\",\"ip\":\"203.0.113.7\"}}";
    }

    private long ledgerSize(String tenant) throws IOException {
        Path t = dir.resolve("tenants").resolve(tenant);
        if (!Files.exists(t)) {
            return 0;
        }
        try (LedgerReader r = FileLedger.openReader(t)) {
            return r.size();
        }
    }

    @Test
    void healthNeedsNoKeyAndEverythingElseNeedsAValidOne() throws Exception {
        HttpResponse<String> health = get("/health", null);
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(health.body()).get("status").asText()).isEqualTo("ok");
        for (String path : List.of("/v1/events", "/v1/checkpoints/latest", "/metrics")) {
            HttpResponse<String> none = get(path, null);
            assertThat(none.statusCode()).as(path).isEqualTo(401);
            assertThat(JSON.readTree(none.body()).get("error").asText()).contains("API key");
            assertThat(get(path, "vk_nope_" + "A".repeat(43)).statusCode()).as(path).isEqualTo(401);
        }
        assertThat(post(null, "application/json", event("auth.login.success", "alice")).statusCode()).isEqualTo(401);
        assertThat(get("/nowhere", reader).statusCode()).isEqualTo(404);
        HttpResponse<String> openApi = get("/openapi.json", writer);
        assertThat(openApi.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(openApi.body()).get("openapi").asText()).startsWith("3.1");
        assertThat(get("/openapi.json", null).statusCode()).isEqualTo(401);
    }

    @Test
    void anEventIsAcceptedOnceDurableAndARepostGetsTheSameReceipt() throws Exception {
        HttpResponse<String> first = post(writer, "application/json", event("auth.login.success", "alice"));
        assertThat(first.statusCode()).as(first.body()).isEqualTo(202);
        JsonNode receipt = JSON.readTree(first.body()).get("receipts").get(0);
        assertThat(receipt.get("seq").asLong()).isZero();
        assertThat(receipt.get("hash").asText()).hasSize(64);
        String id = receipt.get("id").asText();
        assertThat(UUID.fromString(id).version()).as("the server assigned a v7 id").isEqualTo(7);
        assertThat(ledgerSize("acme")).as("durable before the answer").isEqualTo(1);

        String withId = event("auth.login.success", "alice").replace("{\"v\":1,", "{\"v\":1,\"id\":\"" + id + "\","
                + "\"timestamp\":\"2026-01-29T09:00:00.000Z\",");
        HttpResponse<String> again = post(writer, "application/json", withId);
        assertThat(again.statusCode()).isEqualTo(202);
        assertThat(JSON.readTree(again.body()).get("receipts").get(0)).isEqualTo(receipt);
        assertThat(ledgerSize("acme")).as("never written twice").isEqualTo(1);
    }

    @Test
    void aBatchWithOneBadEventIsRefusedWhole() throws Exception {
        String ndjson = event("auth.login.success", "a") + "\n" + event("auth.login.failure", "b")
                .replace("\"severity\":\"low\"", "\"severity\":\"loud\"") + "\n" + event("auth.login.success", "c")
                .replace("\"v\":1,", "\"v\":1,\"tenant\":\"globex\",") + "\n";
        HttpResponse<String> r = post(writer, "application/x-ndjson", ndjson);
        assertThat(r.statusCode()).isEqualTo(400);
        JsonNode errors = JSON.readTree(r.body()).get("errors");
        assertThat(errors).hasSize(2);
        assertThat(errors.get(0).get("line").asLong()).isEqualTo(2);
        assertThat(errors.get(0).get("field").asText()).isEqualTo("severity");
        assertThat(errors.get(0).get("message").asText()).contains("loud");
        assertThat(errors.get(1).get("line").asLong()).isEqualTo(3);
        assertThat(errors.get(1).get("field").asText()).isEqualTo("tenant");
        assertThat(ledgerSize("acme")).as("nothing accepted").isZero();

        assertThat(post(writer, "application/x-ndjson", "not json\n").statusCode()).isEqualTo(400);
        assertThat(post(writer, "application/x-ndjson", "\n\n").statusCode()).isEqualTo(400);
        assertThat(post(writer, "text/plain", event("auth.login.success", "a")).statusCode()).isEqualTo(415);
    }

    @Test
    void aBatchOfSeveralGetsAReceiptEachInOrder() throws Exception {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 20; i++) {
            b.append(event("auth.login.failure", "user-" + i)).append('\n');
        }
        HttpResponse<String> r = post(writer, "application/x-ndjson", b.toString());
        assertThat(r.statusCode()).isEqualTo(202);
        JsonNode receipts = JSON.readTree(r.body()).get("receipts");
        assertThat(receipts).hasSize(20);
        for (int i = 0; i < 20; i++) {
            assertThat(receipts.get(i).get("seq").asLong()).isEqualTo(i);
        }
    }

    @Test
    void tooLargeBodiesAndBatchesAre413() throws Exception {
        String big = "{\"v\":1,\"pad\":\"" + "x".repeat(70 * 1024) + "\"}";
        HttpResponse<String> r = post(writer, "application/json", big);
        assertThat(r.statusCode()).isEqualTo(413);
        assertThat(JSON.readTree(r.body()).get("error").asText()).contains("65536");
        StringBuilder many = new StringBuilder();
        for (int i = 0; i < 51; i++) {
            many.append(event("auth.login.success", "u")).append('\n');
        }
        HttpResponse<String> batch = post(writer, "application/x-ndjson", many.toString());
        assertThat(batch.statusCode()).isEqualTo(413);
        assertThat(JSON.readTree(batch.body()).get("error").asText()).contains("at most 50");
        assertThat(ledgerSize("acme")).isZero();
    }

    @Test
    void aMissingScopeIs403() throws Exception {
        HttpResponse<String> r = post(reader, "application/json", event("auth.login.success", "alice"));
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(JSON.readTree(r.body()).get("error").asText()).contains("ingest");
        assertThat(get("/v1/events", writer).statusCode()).isEqualTo(403);
        assertThat(get("/v1/checkpoints/latest", writer).statusCode()).isEqualTo(403);
    }

    @Test
    void overTheKeysRateIs429WithRetryAfter() throws Exception {
        server.close();
        server = VigilServer.start(ServerOptions.defaults(dir).withPort(0).withEventsPerSecond(5));
        StringBuilder five = new StringBuilder();
        for (int i = 0; i < 5; i++) {
            five.append(event("auth.login.success", "u" + i)).append('\n');
        }
        assertThat(post(writer, "application/x-ndjson", five.toString()).statusCode()).isEqualTo(202);
        HttpResponse<String> r = post(writer, "application/x-ndjson", five.toString().replace("\"id\":\"u",
                "\"id\":\"w"));
        assertThat(r.statusCode()).isEqualTo(429);
        assertThat(r.headers().firstValue("Retry-After")).hasValueSatisfying(v ->
                assertThat(Long.parseLong(v)).isBetween(1L, 2L));
        assertThat(ledgerSize("acme")).isEqualTo(5);
    }

    @Test
    void queriesFilterAndPageThroughTheTenantsEvents() throws Exception {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 5; i++) {
            b.append(event("auth.login.failure", "alice")).append('\n');
            b.append(event("auth.login.success", "bob")).append('\n');
        }
        assertThat(post(writer, "application/x-ndjson", b.toString()).statusCode()).isEqualTo(202);

        JsonNode failures = JSON.readTree(get("/v1/events?type=auth.login.failure", reader).body());
        assertThat(failures.get("events")).hasSize(5);
        assertThat(failures.get("next").isNull()).isTrue();
        failures.get("events").forEach(e -> assertThat(e.get("actor").get("id").asText()).isEqualTo("alice"));

        assertThat(JSON.readTree(get("/v1/events?outcome=success", reader).body()).get("events")).hasSize(5);
        assertThat(JSON.readTree(get("/v1/events?actor=bob&category=auth", reader).body()).get("events")).hasSize(5);
        assertThat(JSON.readTree(get("/v1/events?category=data", reader).body()).get("events")).isEmpty();

        List<Long> seqs = new ArrayList<>();
        String path = "/v1/events?limit=3";
        while (true) {
            JsonNode page = JSON.readTree(get(path, reader).body());
            page.get("events").forEach(e -> seqs.add(e.get("seq").asLong()));
            if (page.get("next").isNull()) {
                break;
            }
            path = "/v1/events?limit=3&cursor=" + page.get("next").asText();
        }
        assertThat(seqs).containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L);

        HttpResponse<String> bad = get("/v1/events?since=yesterday", reader);
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(bad.body()).get("error").asText()).contains("since");
        assertThat(get("/v1/events?limit=0", reader).statusCode()).isEqualTo(400);
        assertThat(get("/v1/events?outcome=maybe", reader).statusCode()).isEqualTo(400);
    }

    @Test
    void anEventComesWithAnInclusionProofThatChecksOfflineAgainstTheSignedCheckpoint() throws Exception {
        HttpResponse<String> posted = post(writer, "application/x-ndjson", event("auth.login.success", "a") + "\n"
                + event("auth.login.failure", "b") + "\n" + event("auth.login.success", "c") + "\n");
        String id = JSON.readTree(posted.body()).get("receipts").get(1).get("id").asText();

        HttpResponse<String> r = get("/v1/events/" + id, reader);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode body = JSON.readTree(r.body());
        assertThat(body.get("entry").get("id").asText()).isEqualTo(id);
        assertThat(body.get("entry").get("seq").asLong()).isEqualTo(1);
        JsonNode proof = body.get("proof");
        assertThat(proof.get("type").asText()).isEqualTo("inclusion");
        assertThat(proof.get("origin").asText()).isEqualTo("vigil/acme");

        // Offline: the server's public key, the signed note, and the proof from leaf to the note's root.
        VerifierKey key = KeyFiles.readPublic(dir.resolve("server.pub"));
        SignedCheckpoint cp = SignedCheckpoint.parse(proof.get("checkpoint").asText());
        cp.verify(key);
        ProofJson.Inclusion inclusion = (ProofJson.Inclusion) ProofJson.parse(proof.toString());
        assertThat(inclusion.leafHash()).contains(Hash.fromHex(body.get("entry").get("hash").asText()));
        assertThat(inclusion.root()).contains(cp.checkpoint().root());
        inclusion.verify();

        JsonNode latest = JSON.readTree(get("/v1/checkpoints/latest", reader).body());
        assertThat(latest.get("size").asLong()).isEqualTo(3);
        assertThat(latest.get("verifierKey").asText()).isEqualTo(key.encode());
        SignedCheckpoint.parse(latest.get("note").asText()).verify(key);

        // Reads sign a checkpoint only when entries were added since the last one.
        get("/v1/checkpoints/latest", reader);
        get("/v1/events/" + id, reader);
        try (LedgerReader ledger = FileLedger.openReader(dir.resolve("tenants").resolve("acme"))) {
            assertThat(ledger.checkpoints()).hasSize(1);
        }
        assertThat(get("/v1/events/" + UUID.randomUUID(), reader).statusCode()).isEqualTo(404);
        assertThat(get("/v1/events/not-a-uuid", reader).statusCode()).isEqualTo(400);
    }

    @Test
    void consistencyBetweenTwoSignedSizesChecksOffline() throws Exception {
        assertThat(post(writer, "application/x-ndjson", event("auth.login.success", "a") + "\n"
                + event("auth.login.success", "b") + "\n").statusCode()).isEqualTo(202);
        JsonNode first = JSON.readTree(get("/v1/checkpoints/latest", reader).body());
        assertThat(first.get("size").asLong()).isEqualTo(2);
        assertThat(post(writer, "application/json", event("auth.login.failure", "c")).statusCode()).isEqualTo(202);

        HttpResponse<String> r = get("/v1/proofs/consistency?from=2", reader);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode proof = JSON.readTree(r.body());
        assertThat(proof.get("size1").asLong()).isEqualTo(2);
        assertThat(proof.get("size2").asLong()).as("to defaults to the latest signed size").isEqualTo(3);
        VerifierKey key = KeyFiles.readPublic(dir.resolve("server.pub"));
        SignedCheckpoint cp1 = SignedCheckpoint.parse(proof.get("checkpoint1").asText());
        SignedCheckpoint cp2 = SignedCheckpoint.parse(proof.get("checkpoint2").asText());
        cp1.verify(key);
        cp2.verify(key);
        ProofJson.Consistency c = (ProofJson.Consistency) ProofJson.parse(proof.toString());
        assertThat(c.root1()).isEqualTo(cp1.checkpoint().root());
        assertThat(c.root2()).isEqualTo(cp2.checkpoint().root());
        c.verify();

        assertThat(get("/v1/proofs/consistency?from=3&to=2", reader).statusCode()).isEqualTo(400);
        assertThat(get("/v1/proofs/consistency", reader).statusCode()).isEqualTo(400);
        assertThat(get("/v1/proofs/consistency?from=x", reader).statusCode()).isEqualTo(400);
        assertThat(get("/v1/proofs/consistency?from=1", other).statusCode()).as("another tenant, empty").isEqualTo(404);
    }

    @Test
    void verificationIsForAdminKeysAndReportsTheTenantsLedger() throws Exception {
        assertThat(post(writer, "application/x-ndjson", event("auth.login.success", "a") + "\n"
                + event("auth.login.failure", "b") + "\n").statusCode()).isEqualTo(202);
        HttpResponse<String> denied = HTTP.send(HttpRequest.newBuilder(uri("/v1/verify"))
                .header("Authorization", "Bearer " + reader).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(denied.statusCode()).isEqualTo(403);
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(uri("/v1/verify"))
                .header("Authorization", "Bearer " + admin).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode report = JSON.readTree(r.body());
        assertThat(report.get("intact").asBoolean()).isTrue();
        assertThat(report.get("entries").asLong()).isEqualTo(2);
        assertThat(report.get("firstBadSeq").isNull()).isTrue();
        assertThat(report.fieldNames()).toIterable().containsExactlyInAnyOrder("intact", "entries",
                "checkpointsVerified", "firstBadSeq", "reason", "root", "warnings", "verifierKey", "at", "millis");
        assertThat(HTTP.send(HttpRequest.newBuilder(uri("/v1/verify")).header("Authorization", "Bearer " + admin)
                .DELETE().build(), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(405);
    }

    @Test
    void aKeyOfOneTenantNeitherReadsNorWritesAnother() throws Exception {
        HttpResponse<String> posted = post(writer, "application/json", event("auth.login.success", "alice"));
        String id = JSON.readTree(posted.body()).get("receipts").get(0).get("id").asText();
        long acmeBefore = ledgerSize("acme");

        assertThat(get("/v1/events/" + id, other).statusCode()).as("another tenant's event").isEqualTo(404);
        assertThat(JSON.readTree(get("/v1/events", other).body()).get("events")).isEmpty();
        assertThat(get("/v1/checkpoints/latest", other).statusCode()).isEqualTo(404);
        String claimsAcme = event("auth.login.success", "mallory").replace("\"v\":1,", "\"v\":1,\"tenant\":\"acme\",");
        assertThat(post(other, "application/json", claimsAcme).statusCode()).isEqualTo(400);
        // The same id posted by another tenant is that tenant's own event, in its own ledger.
        String sameId = event("auth.login.success", "mallory").replace("{\"v\":1,", "{\"v\":1,\"id\":\"" + id
                + "\",\"timestamp\":\"2026-01-29T09:00:00.000Z\",");
        assertThat(post(other, "application/json", sameId).statusCode()).isEqualTo(202);

        assertThat(ledgerSize("acme")).as("acme's ledger unchanged").isEqualTo(acmeBefore);
        assertThat(ledgerSize("globex")).isEqualTo(1);
        JsonNode acme = JSON.readTree(get("/v1/events/" + id, reader).body());
        assertThat(acme.get("entry").get("actor").get("id").asText()).isEqualTo("alice");
    }

    @Test
    void theDirectoryIsPrivateAndTheLedgersVerifyAfterAStop() throws Exception {
        assertThat(post(admin, "application/json", event("auth.login.success", "alice")).statusCode())
                .isEqualTo(202);
        server.close();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir))).isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("server.key"))))
                .isEqualTo("rw-------");
        VerifierKey key = KeyFiles.readPublic(dir.resolve("server.pub"));
        VerificationReport report = LedgerVerifier.of(dir.resolve("tenants").resolve("acme")).key(key).verify();
        assertThat(report.intact()).as(report.toString()).isTrue();
        assertThat(report.entries()).isEqualTo(1);
        server = VigilServer.start(ServerOptions.defaults(dir).withPort(0));
        assertThat(JSON.readTree(get("/v1/events", admin).body()).get("events")).hasSize(1);
    }
}
