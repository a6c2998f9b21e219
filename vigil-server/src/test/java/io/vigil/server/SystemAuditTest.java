package io.vigil.server;

import io.vigil.ledger.FileLedger;
import io.vigil.ledger.LedgerEntry;
import io.vigil.ledger.LedgerReader;
import io.vigil.ledger.LedgerVerifier;
import io.vigil.ledger.VerificationReport;
import io.vigil.ledger.checkpoint.KeyFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The server audits itself into {@code DIR/system}: its start and stop, reads of a tenant's events, verification,
 * keys created and revoked by another process, and rejected keys; never a key's secret.
 */
class SystemAuditTest {

    @TempDir
    Path tmp;

    @Test
    void startReadsVerificationKeysAndStopAreInTheSystemLedger() throws Exception {
        Path dir = tmp.resolve("server");
        ApiKeys keys = ApiKeys.open(dir);
        CreatedKey admin = keys.create("acme", Set.of(Scope.INGEST, Scope.READ, Scope.ADMIN), Optional.empty());
        HttpClient http = HttpClient.newHttpClient();
        String later;
        try (VigilServer server = VigilServer.start(ServerOptions.defaults(dir).withPort(0))) {
            String base = "http://127.0.0.1:" + server.port();
            HttpResponse<String> posted = http.send(HttpRequest.newBuilder(URI.create(base + "/v1/events"))
                    .header("Authorization", "Bearer " + admin.secret()).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"v\":1,\"type\":\"auth.login.success\","
                            + "\"category\":\"auth\",\"action\":\"login\",\"outcome\":\"success\","
                            + "\"severity\":\"low\",\"actor\":{\"type\":\"user\",\"id\":\"alice\"}}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(posted.statusCode()).isEqualTo(202);
            http.send(HttpRequest.newBuilder(URI.create(base + "/v1/events?actor=alice"))
                    .header("Authorization", "Bearer " + admin.secret()).build(), HttpResponse.BodyHandlers.ofString());
            http.send(HttpRequest.newBuilder(URI.create(base + "/v1/verify")).header("Authorization", "Bearer "
                    + admin.secret()).POST(HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.ofString());
            http.send(HttpRequest.newBuilder(URI.create(base + "/v1/events")).header("Authorization",
                    "Bearer vk_unknown_" + "x".repeat(43)).build(), HttpResponse.BodyHandlers.ofString());
            // As 'vigil keys create' and 'revoke' would, from another process, while the server runs.
            ApiKeys cli = ApiKeys.open(dir);
            CreatedKey made = cli.create("acme", Set.of(Scope.READ), Optional.of("auditor"));
            later = made.secret();
            cli.revoke(made.key().id());
            Thread.sleep(1_100); // the server looks at the keys file at most once a second
            assertThat(server.flushAudit(Duration.ofSeconds(30))).isTrue();
        }
        Path system = dir.resolve("system");
        List<LedgerEntry> entries;
        try (LedgerReader reader = FileLedger.openReader(system);
             Stream<LedgerEntry> all = reader.entries(0, reader.size())) {
            entries = all.toList();
        }
        List<String> types = entries.stream().map(e -> e.event().type()).toList();
        assertThat(types).startsWith("audit.started").endsWith("audit.stopped")
                .contains("audit.log.read", "audit.verification.passed", "auth.api_key.rejected",
                        "auth.token.created", "auth.token.revoked");
        LedgerEntry read = entries.stream().filter(e -> e.event().type().equals("audit.log.read")).findFirst()
                .orElseThrow();
        assertThat(read.event().actor().flatMap(a -> a.id())).contains(admin.key().id());
        assertThat(read.event().tenant()).contains("acme");
        assertThat(read.line()).contains("alice");
        for (LedgerEntry e : entries) {
            assertThat(e.line()).doesNotContain(admin.secret()).doesNotContain(later);
        }
        VerificationReport report = LedgerVerifier.of(system).key(KeyFiles.readPublic(dir.resolve("server.pub")))
                .verify();
        assertThat(report.intact()).as(report.toString()).isTrue();
    }

    @Test
    void aKeyMadeJustBeforeAStopIsRecordedAtTheStop() throws Exception {
        Path dir = tmp.resolve("server");
        ApiKeys.open(dir).create("acme", Set.of(Scope.READ), Optional.empty());
        CreatedKey late;
        try (VigilServer server = VigilServer.start(ServerOptions.defaults(dir).withPort(0))) {
            late = ApiKeys.open(dir).create("acme", Set.of(Scope.INGEST), Optional.of("late"));
            Thread.sleep(1_100); // the server looks at the keys file at most once a second
        }
        try (LedgerReader reader = FileLedger.openReader(dir.resolve("system"));
             Stream<LedgerEntry> all = reader.entries(0, reader.size())) {
            assertThat(all.filter(e -> e.event().type().equals("auth.token.created"))
                    .map(e -> e.event().target().flatMap(t -> t.id()).orElseThrow()))
                    .containsExactly(late.key().id());
        }
    }
}
