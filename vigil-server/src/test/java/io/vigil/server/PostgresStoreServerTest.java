package io.vigil.server;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.vigil.ledger.EvidenceBundle;
import io.vigil.ledger.Hash;
import io.vigil.ledger.VerificationReport;
import io.vigil.ledger.checkpoint.KeyFiles;
import io.vigil.ledger.checkpoint.SignedCheckpoint;
import io.vigil.ledger.checkpoint.VerifierKey;
import io.vigil.ledger.merkle.ProofJson;
import io.vigil.postgres.PostgresVerifier;
import io.vigil.postgres.testsupport.PostgresServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The HTTP API over real HTTP with {@code --store}: each tenant's ledger in a schema of its own in a real PostgreSQL
 * (one server for the class, a fresh database per test). Every read route, idempotent ingest, offline checks of
 * proofs and bundles, verification, isolation between tenants, and a restart.
 */
class PostgresStoreServerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    /** Sent in the store's URL: trust authentication ignores it, and no log line may show it. */
    private static final String PASSWORD = "pw-never-logged-4711";
    private static PostgresServer postgres;

    @TempDir
    Path tmp;
    private Path dir;
    private String db;
    private ServerOptions options;
    private VigilServer server;
    private String acme;
    private String globex;
    private final ListAppender<ILoggingEvent> log = new ListAppender<>();

    @BeforeAll
    static void postgres() {
        postgres = PostgresServer.shared();
    }

    @BeforeEach
    void start() throws Exception {
        ((Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME)).addAppender(log);
        log.start();
        db = postgres.createDatabase("store");
        dir = tmp.resolve("server");
        ApiKeys keys = ApiKeys.open(dir);
        acme = keys.create("acme", Set.of(Scope.INGEST, Scope.READ, Scope.ADMIN), Optional.empty()).secret();
        globex = keys.create("globex-eu", Set.of(Scope.INGEST, Scope.READ, Scope.ADMIN), Optional.empty()).secret();
        options = ServerOptions.defaults(dir).withPort(0)
                .withStore(postgres.jdbcUrl(db) + "?user=postgres&password=" + PASSWORD);
        server = VigilServer.start(options);
    }

    @AfterEach
    void stop() throws IOException {
        try {
            server.close();
        } finally {
            ((Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME)).detachAppender(log);
        }
        assertThat(log.list).isNotEmpty().noneSatisfy(e -> assertThat(e.getFormattedMessage()).contains(PASSWORD));
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }

    private HttpResponse<String> get(String path, String key) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(uri(path)).header("Authorization", "Bearer " + key).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, String key, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(uri(path)).header("Authorization", "Bearer " + key)
                .header("Content-Type", "application/x-ndjson").POST(HttpRequest.BodyPublishers.ofString(body))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String event(String type, String actor, String outcome) {
        String category = type.substring(0, type.indexOf('.'));
        return "{\"v\":1,\"type\":\"" + type + "\",\"category\":\"" + category + "\",\"action\":\"act\",\"outcome\":\""
                + outcome + "\",\"severity\":\"low\",\"actor\":{\"type\":\"user\",\"id\":\"" + actor
                + "\",\"ip\":\"203.0.113.7\"}}";
    }

    /** Posts {@code events} lines for a key and returns the receipts. */
    private JsonNode ingest(String key, List<String> events) throws Exception {
        HttpResponse<String> r = post("/v1/events", key, String.join("\n", events) + "\n");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        return JSON.readTree(r.body()).get("receipts");
    }

    private long count(String sql) throws SQLException {
        try (Connection c = postgres.superuser(db); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private List<String> ids(HttpResponse<String> page) throws IOException {
        List<String> out = new ArrayList<>();
        JSON.readTree(page.body()).get("events").forEach(e -> out.add(e.get("id").asText()));
        return out;
    }

    /** 40 events for acme: logins by alice and bob, some failed, and a few authz denials. */
    private static List<String> acmeEvents() {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            if (i % 10 == 9) {
                out.add(event("authz.access.denied", "bob", "denied"));
            } else {
                boolean failed = i % 3 == 0;
                out.add(event(failed ? "auth.login.failure" : "auth.login.success", i % 2 == 0 ? "alice" : "bob",
                        failed ? "failure" : "success"));
            }
        }
        return out;
    }

    @Test
    void everyRouteWorksWithEachTenantInItsOwnSchema() throws Exception {
        JsonNode acmeReceipts = ingest(acme, acmeEvents());
        JsonNode globexReceipts = ingest(globex, List.of(event("auth.login.success", "carol", "success"),
                event("auth.login.failure", "carol", "failure")));
        assertThat(acmeReceipts).hasSize(40);
        assertThat(acmeReceipts.get(39).get("seq").asLong()).isEqualTo(39);
        assertThat(globexReceipts.get(0).get("seq").asLong()).as("a chain of its own").isZero();

        // The schemas: one per tenant, '-' written '$'; each holds its own tenant's events alone.
        assertThat(count("SELECT count(*) FROM vigil_acme.security_audit_chain")).isEqualTo(40);
        assertThat(count("SELECT count(*) FROM \"vigil_globex$eu\".security_audit_chain")).isEqualTo(2);
        assertThat(count("SELECT count(*) FROM vigil_acme.security_audit_event WHERE tenant <> 'acme'")).isZero();
        assertThat(count("SELECT count(*) FROM \"vigil_globex$eu\".security_audit_event"
                + " WHERE tenant <> 'globex-eu'")).isZero();
        assertThat(count("SELECT count(*) FROM pg_tables WHERE tablename = 'security_audit_chain'"
                + " AND schemaname = 'public'")).as("nothing in public").isZero();
        assertThat(dir.resolve("tenants")).doesNotExist();
        assertThat(dir.resolve("index")).doesNotExist();

        // A re-post of an event already in the ledger gets its receipt and is not written again.
        JsonNode first = acmeReceipts.get(0);
        String again = event("auth.login.failure", "alice", "failure").replace("{\"v\":1,", "{\"v\":1,\"id\":\""
                + first.get("id").asText() + "\",");
        JsonNode reposted = ingest(acme, List.of(again, event("auth.login.success", "dave", "success"), again));
        assertThat(reposted.get(0)).isEqualTo(first);
        assertThat(reposted.get(2)).isEqualTo(first);
        assertThat(reposted.get(1).get("seq").asLong()).isEqualTo(40);
        assertThat(count("SELECT count(*) FROM vigil_acme.security_audit_chain")).isEqualTo(41);

        // Queries: the store's indexes, category and outcome filtered page by page, cursors.
        HttpResponse<String> alice = get("/v1/events?actor=alice&type=auth.login.*&limit=1000", acme);
        assertThat(alice.statusCode()).as(alice.body()).isEqualTo(200);
        assertThat(ids(alice)).hasSize(20);
        List<String> denied = new ArrayList<>();
        String cursor = null;
        do {
            HttpResponse<String> page = get("/v1/events?category=authz&outcome=denied&limit=3"
                    + (cursor == null ? "" : "&cursor=" + cursor), acme);
            assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
            denied.addAll(ids(page));
            JsonNode next = JSON.readTree(page.body()).get("next");
            cursor = next.isNull() ? null : next.asText();
        } while (cursor != null);
        assertThat(denied).hasSize(4).doesNotHaveDuplicates();
        assertThat(ids(get("/v1/events?outcome=failure&limit=1000", acme))).hasSize(12);
        HttpResponse<String> desc = get("/v1/events?order=desc", acme);
        assertThat(desc.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(desc.body()).get("error").asText()).contains("order=desc").contains("PostgreSQL");

        // An event with its inclusion proof, checked offline against the server's key.
        VerifierKey key = KeyFiles.readPublic(dir.resolve("server.pub"));
        String id = acmeReceipts.get(7).get("id").asText();
        HttpResponse<String> one = get("/v1/events/" + id, acme);
        assertThat(one.statusCode()).as(one.body()).isEqualTo(200);
        JsonNode body = JSON.readTree(one.body());
        assertThat(body.get("entry").get("seq").asLong()).isEqualTo(7);
        JsonNode proof = body.get("proof");
        assertThat(proof.get("origin").asText()).isEqualTo("vigil/acme");
        SignedCheckpoint cp = SignedCheckpoint.parse(proof.get("checkpoint").asText());
        cp.verify(key);
        ProofJson.Inclusion inclusion = (ProofJson.Inclusion) ProofJson.parse(proof.toString());
        assertThat(inclusion.leafHash()).contains(Hash.fromHex(body.get("entry").get("hash").asText()));
        assertThat(inclusion.root()).contains(cp.checkpoint().root());
        inclusion.verify();

        // Isolation: another tenant's key never sees acme's events.
        assertThat(get("/v1/events/" + id, globex).statusCode()).isEqualTo(404);
        HttpResponse<String> theirs = get("/v1/events?limit=1000", globex);
        assertThat(ids(theirs)).hasSize(2);
        Set<String> acmeIds = new HashSet<>();
        acmeReceipts.forEach(r -> acmeIds.add(r.get("id").asText()));
        assertThat(ids(theirs)).doesNotContainAnyElementsOf(acmeIds);
        assertThat(JSON.readTree(get("/v1/checkpoints/latest", globex).body()).get("size").asLong()).isEqualTo(2);

        // An evidence bundle that verifies offline.
        HttpResponse<byte[]> export = HTTP.send(HttpRequest.newBuilder(uri("/v1/export?actor=bob"))
                .header("Authorization", "Bearer " + acme).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(export.statusCode()).isEqualTo(200);
        Path zip = Files.write(tmp.resolve("acme.zip"), export.body());
        EvidenceBundle.Report bundle = EvidenceBundle.verify(zip, key);
        assertThat(bundle.ok()).as(bundle.problems().toString()).isTrue();

        // Consistency between two signed sizes.
        HttpResponse<String> consistency = get("/v1/proofs/consistency?from=40", acme);
        assertThat(consistency.statusCode()).as(consistency.body()).isEqualTo(200);
        ((ProofJson.Consistency) ProofJson.parse(consistency.body())).verify();

        // Verification, through the API and straight from each tenant's schema.
        HttpResponse<String> verified = post("/v1/verify", acme, "");
        assertThat(verified.statusCode()).as(verified.body()).isEqualTo(200);
        JsonNode report = JSON.readTree(verified.body());
        assertThat(report.get("intact").asBoolean()).as(verified.body()).isTrue();
        assertThat(report.get("entries").asLong()).isEqualTo(41);
        assertThat(JSON.readTree(post("/v1/verify", globex, "").body()).get("entries").asLong()).isEqualTo(2);
        for (String schema : List.of("vigil_acme", "vigil_globex$eu")) {
            try (HikariDataSource ds = schemaPool(schema)) {
                VerificationReport r = PostgresVerifier.of(ds).key(key).verify();
                assertThat(r.intact()).as(schema + ": " + r).isTrue();
            }
        }
    }

    private HikariDataSource schemaPool(String schema) {
        HikariConfig cfg = new HikariConfig();
        cfg.setJdbcUrl(postgres.jdbcUrl(db));
        cfg.setUsername("postgres");
        cfg.setSchema(schema);
        cfg.setMaximumPoolSize(4); // the verifier reads with more than one connection
        return new HikariDataSource(cfg);
    }

    @Test
    void aRestartKeepsEveryTenantsLedgerAndItsReceipts() throws Exception {
        JsonNode before = ingest(acme, acmeEvents());
        ingest(globex, List.of(event("auth.login.success", "carol", "success")));
        String root = JSON.readTree(get("/v1/checkpoints/latest", acme).body()).get("root").asText();

        server.close();
        server = VigilServer.start(options);

        assertThat(ids(get("/v1/events?limit=1000", acme))).hasSize(40);
        assertThat(ids(get("/v1/events?limit=1000", globex))).hasSize(1);
        JsonNode latest = JSON.readTree(get("/v1/checkpoints/latest", acme).body());
        assertThat(latest.get("size").asLong()).isEqualTo(40);
        assertThat(latest.get("root").asText()).isEqualTo(root);
        String again = event("auth.login.success", "bob", "success").replace("{\"v\":1,", "{\"v\":1,\"id\":\""
                + before.get(5).get("id").asText() + "\",");
        assertThat(ingest(acme, List.of(again)).get(0)).isEqualTo(before.get(5));
        JsonNode next = ingest(acme, List.of(event("auth.login.success", "erin", "success")));
        assertThat(next.get(0).get("seq").asLong()).as("the chain goes on").isEqualTo(40);
        JsonNode report = JSON.readTree(post("/v1/verify", acme, "").body());
        assertThat(report.get("intact").asBoolean()).isTrue();
        assertThat(report.get("entries").asLong()).isEqualTo(41);
        assertThat(report.get("checkpointsVerified").asLong()).isPositive();
    }

    @Test
    void aTenantThatNeverWroteHasNoSchema() throws Exception {
        assertThat(get("/v1/events", acme).statusCode()).isEqualTo(200);
        assertThat(get("/v1/checkpoints/latest", acme).statusCode()).isEqualTo(404);
        assertThat(post("/v1/verify", acme, "").statusCode()).isEqualTo(404);
        assertThat(count("SELECT count(*) FROM pg_namespace WHERE nspname LIKE 'vigil%'")).isZero();
    }
}
