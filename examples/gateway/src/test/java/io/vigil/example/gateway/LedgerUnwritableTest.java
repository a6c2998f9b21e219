package io.vigil.example.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import io.vigil.example.gateway.support.Entry;
import io.vigil.example.gateway.support.FileLedgerAccess;
import io.vigil.example.gateway.support.LedgerAccess;
import io.vigil.example.gateway.support.Ledgers;
import io.vigil.example.gateway.support.Reply;
import io.vigil.ledger.LedgerOptions;
import io.vigil.ledger.LedgerSink;
import io.vigil.ledger.LedgerVerifier;
import io.vigil.ledger.checkpoint.SigningKey;
import io.vigil.ledger.internal.store.FileStore;
import io.vigil.ledger.testsupport.FaultyDisk;
import io.vigil.spring.internal.ledger.CheckpointTracker;
import io.vigil.spring.internal.ledger.NewestEntries;
import io.vigil.spring.internal.ledger.VigilLedger;
import io.vigil.spring.internal.ledger.WriteMonitor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The gateway while its ledger's disk is full. The ledger is the real file store, opened on a disk that fails on
 * purpose ({@link FaultyDisk}: writes through the store's channels draw on a budget of free bytes and then fail with
 * ENOSPC, as Linux does; the tests run as root, so permissions cannot make a directory unwritable). By default the
 * gateway fails open: requests are served, the failures are visible (health DOWN, counted, logged with the request
 * id). A fail-closed admin change is refused with 503 and does not happen. Once space returns, the ledger takes
 * entries again and verifies.
 */
@SpringBootTest(classes = GatewayApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {GatewayTestBase.TEST_PROPERTIES,
            "vigil.audited.fail-closed-timeout=1s",
            "vigil.pipeline.retry.max-attempts=2",
            "vigil.pipeline.retry.initial-backoff=10ms",
            "vigil.pipeline.retry.max-backoff=20ms"})
@Import(LedgerUnwritableTest.LedgerOnAFaultyDisk.class)
@ExtendWith(OutputCaptureExtension.class)
@Order(4)
@DirtiesContext
class LedgerUnwritableTest extends GatewayTestBase {
    private static final Path BASE = Ledgers.tempDir("gateway-faulty-");
    private static final Path LEDGER = BASE.resolve("ledger");
    private static final SigningKey KEY = Ledgers.keyPair(BASE, "signing");
    private static final FaultyDisk DISK = new FaultyDisk();

    /**
     * The file ledger as the starter opens it from {@code vigil.ledger.dir}, but on the faulty disk: the starter
     * backs off when the application defines the ledger.
     */
    @TestConfiguration(proxyBeanMethods = false)
    static class LedgerOnAFaultyDisk {
        @Bean
        VigilLedger vigilLedger() throws IOException {
            Clock clock = Clock.systemUTC();
            CheckpointTracker tracker = new CheckpointTracker(clock, Optional.empty());
            LedgerOptions options = LedgerOptions.defaults("vigil/gateway").withSigningKey(KEY)
                    .withCheckpoints(1000, Duration.ofSeconds(10)).withWitness(tracker).withClock(clock);
            FileStore store = FileStore.open(LEDGER, options, DISK.opener());
            WriteMonitor sink = new WriteMonitor(new LedgerSink(store), clock, store.size());
            return new VigilLedger("file", LEDGER.toString(), BASE, store, sink, KEY.verifierKey(),
                    () -> LedgerVerifier.of(LEDGER).key(KEY.verifierKey()).verify(), tracker, () -> { },
                    NewestEntries.ofDirectory(LEDGER), Optional::empty);
        }
    }

    /** The ledger directory is also where the starter keeps the key of its keyed hashes. */
    @DynamicPropertySource
    static void ledgerDirectory(DynamicPropertyRegistry registry) {
        registry.add("vigil.ledger.dir", LEDGER::toString);
    }

    @Override
    LedgerAccess ledger() {
        return new FileLedgerAccess(LEDGER, KEY.verifierKey());
    }

    @AfterEach
    void spaceReturns() {
        DISK.refill();
    }

    @Test
    void aFullDiskFailsOpenVisiblyAndAFailClosedChangeIsRefusedUntilSpaceReturns(CapturedOutput output) {
        Reply before = client().get("/api/reports/r-alice-1").basic("alice", "alice-password").send();
        assertThat(before.status()).isEqualTo(200);
        only(entriesOf(before, "data.read"), "data.read");
        assertThat(health().path("components").path("vigil").path("status").asText()).isEqualTo("UP");
        String settingsBefore = client().get("/api/admin/settings").basic("admin", "admin-password").send().body();

        DISK.fill(0);

        // fail open: the request is served as usual although its entry cannot be written
        Reply read = client().get("/api/reports/r-alice-1").basic("alice", "alice-password").send();
        assertThat(read.status()).isEqualTo(200);
        assertThat(read.json().path("owner").asText()).isEqualTo("alice");
        Reply failedLogin = client().get("/api/me").basic("bob", "wrong-password-4").send();
        assertThat(failedLogin.status()).isEqualTo(401);
        auditLog.flush(Duration.ofSeconds(10));
        assertThat(DISK.refusedWrites()).as("the ledger's writes hit the full disk").isNotEmpty();

        // visible: health DOWN, for everyone to see
        assertThat(health().path("components").path("vigil").path("status").asText()).isEqualTo("DOWN");
        Reply publicHealth = client().get("/actuator/health").send();
        assertThat(publicHealth.status()).isEqualTo(503);

        // counted: the failed events, in the meters and in the vigil endpoint
        Reply failed = client().get("/actuator/metrics/vigil.events?tag=result:failed").basic("admin", "admin-password")
                .send();
        assertThat(failed.status()).isEqualTo(200);
        assertThat(failed.json().path("measurements").get(0).path("value").asDouble()).isGreaterThanOrEqualTo(2);
        Reply status = client().get("/actuator/vigil").basic("admin", "admin-password").send();
        assertThat(status.json().path("status").asText()).isEqualTo("DOWN");
        assertThat(status.json().path("problem").asText()).contains(FaultyDisk.ENOSPC);
        assertThat(status.json().path("events").path("failed").asLong()).isGreaterThanOrEqualTo(2);

        // logged, with the request id of each request whose entry was lost
        assertThat(output.getAll()).contains("NOT written").contains(read.requestId())
                .contains(failedLogin.requestId()).contains(FaultyDisk.ENOSPC);

        // fail closed: the audited-before-act change is refused and does not happen
        Reply change = client().put("/api/admin/settings").basic("admin", "admin-password")
                .json(Map.of("maintenanceMode", "changed-during-the-outage")).send();
        assertThat(change.status()).as("%s", change).isEqualTo(503);
        DISK.refill();
        Reply settingsAfter = client().get("/api/admin/settings").basic("admin", "admin-password").send();
        assertThat(settingsAfter.body()).isEqualTo(settingsBefore).doesNotContain("changed-during-the-outage");

        // space is back: entries are written again, nothing of the outage is in the ledger, and it verifies
        Reply after = client().get("/api/reports/r-bob-1").basic("bob", "bob-password").send();
        assertThat(after.status()).isEqualTo(200);
        only(entriesOf(after, "data.read"), "data.read");
        assertThat(health().path("components").path("vigil").path("status").asText()).isEqualTo("UP");
        assertThat(settledEntriesOf(read)).noneMatch(e -> e.type().equals("data.read"));
        assertThat(settledEntriesOf(failedLogin)).noneMatch(e -> e.type().equals("auth.login.failure"));
        assertThat(settledEntriesOf(change)).noneMatch(e -> e.type().equals("audit.action.attempted")
                || e.type().equals("admin.settings.changed"));
        List<Entry> all;
        try {
            all = ledger().entries();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        assertThat(all).noneMatch(e -> e.json().toString().contains("changed-during-the-outage"));
    }

    private JsonNode health() {
        return client().get("/actuator/health").basic("admin", "admin-password").send().json();
    }
}
