package io.vigil.detect;

import io.vigil.AuditLog;
import io.vigil.PipelineOptions;
import io.vigil.event.Actor;
import io.vigil.event.AuditEvent;
import io.vigil.event.EventCatalog;
import io.vigil.event.EventIds;
import io.vigil.ledger.LedgerEntry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The account-lock hook against a real log and ledger: called once per brute force finding, off the log's writer
 * thread; a lock is recorded as {@code auth.account.locked} naming the finding; a locker that throws is counted.
 */
class AccountLockerTest {

    private static final Instant T0 = Instant.parse("2025-03-01T09:00:00Z");
    private static final Duration WINDOW = Duration.ofMinutes(1);
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final Optional<String> ACME = Optional.of("acme");

    @TempDir
    Path tmp;

    private final List<AuditLog> logs = new ArrayList<>();

    @AfterEach
    void closeLogs() {
        logs.forEach(AuditLog::close);
    }

    /** What the locker was asked, and on which thread. */
    private record Call(String thread, Optional<String> tenant, String account, String findingType, UUID findingId) {
    }

    @Test
    void locksOncePerBruteForceFindingOffTheWriterThreadAndRecordsTheLock() throws IOException {
        List<Call> calls = new CopyOnWriteArrayList<>();
        AccountLocker locker = (tenant, account, finding) -> {
            calls.add(new Call(Thread.currentThread().getName(), tenant, account, finding.type(), finding.id()));
            if (account.equals("carol")) {
                throw new IllegalStateException("the directory is down");
            }
            return account.equals("alice"); // bob's account is not locked (the application chose not to)
        };
        DetectionStage stage = DetectionStage.builder().bruteForce(new BruteForceRule(3, WINDOW))
                .successAfterFailure(new SuccessAfterFailureRule(1, WINDOW)).accountLocker(locker).build();
        Path dir = tmp.resolve("ledger");
        AuditLog log = AuditLog.builder().pipeline(PipelineOptions.DEFAULT.withShutdownHook(false))
                .sink("ledger", Ledgers.sink(dir)).sink("detect", stage).build();
        logs.add(log);
        stage.bind(log);

        List<String> aliceFailures = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            aliceFailures.add(failure(log, ACME, "alice", T0.plusSeconds(i)).toString());
            failure(log, ACME, "bob", T0.plusSeconds(i));
            failure(log, Optional.empty(), "carol", T0.plusSeconds(i));
        }
        // Dave's success after one failure is a finding of another detector: not a reason to lock.
        failure(log, ACME, "dave", T0);
        log.record(AuditEvent.builder(EventCatalog.AUTH_LOGIN_SUCCESS).timestamp(T0.plusSeconds(1)).tenant("acme")
                .actor(Actor.user("dave")));
        assertThat(stage.flush(WAIT)).isTrue();

        List<LedgerEntry> entries = Ledgers.entries(dir);
        List<AuditEvent> attacks = entries.stream().map(LedgerEntry::event)
                .filter(e -> e.type().equals(EventCatalog.SECURITY_BRUTE_FORCE_DETECTED.name())).toList();
        assertThat(attacks).hasSize(3);
        assertThat(calls).as("one call per brute force finding, not per finding event")
                .extracting(Call::account).containsExactlyInAnyOrder("alice", "bob", "carol");
        assertThat(calls).allSatisfy(c -> {
            assertThat(c.thread()).as("never the log's writer thread").isEqualTo("vigil-detect-recorder");
            assertThat(c.findingType()).isEqualTo(EventCatalog.SECURITY_BRUTE_FORCE_DETECTED.name());
        });
        assertThat(calls).filteredOn(c -> c.account().equals("alice")).singleElement()
                .satisfies(c -> assertThat(c.tenant()).contains("acme"));
        assertThat(calls).filteredOn(c -> c.account().equals("carol")).singleElement()
                .satisfies(c -> assertThat(c.tenant()).isEmpty());

        List<LedgerEntry> locks = entries.stream()
                .filter(e -> e.event().type().equals(EventCatalog.AUTH_ACCOUNT_LOCKED.name())).toList();
        assertThat(locks).as("only the account the locker locked").hasSize(1);
        AuditEvent lock = locks.get(0).event();
        AuditEvent aliceAttack = attacks.stream()
                .filter(a -> a.actor().flatMap(Actor::id).orElseThrow().equals("alice")).findFirst().orElseThrow();
        assertThat(lock.category()).isEqualTo(EventCatalog.AUTH_ACCOUNT_LOCKED.category());
        assertThat(lock.outcome()).isEqualTo(EventCatalog.AUTH_ACCOUNT_LOCKED.outcome());
        assertThat(lock.actor()).contains(Actor.user("alice"));
        assertThat(lock.tenant()).contains("acme");
        assertThat(lock.reason()).contains("brute_force");
        assertThat(lock.timestamp()).as("the finding's own time").isEqualTo(aliceAttack.timestamp());
        assertThat(lock.details()).containsEntry("findingId", aliceAttack.id().toString())
                .containsEntry("triggeringEventIds", aliceFailures);
        long attackSeq = entries.stream().filter(e -> e.event().id().equals(aliceAttack.id())).findFirst()
                .orElseThrow().seq();
        assertThat(locks.get(0).seq()).as("the lock follows its finding").isGreaterThan(attackSeq);

        DetectionStats stats = stage.stats();
        assertThat(stats.lockErrors()).as("carol's locker call threw").isEqualTo(1);
        assertThat(stats.findingsLost()).isZero();
        assertThat(stats.findings()).as("three attacks of two events each, and dave's success").isEqualTo(7);
        assertThat(stats.ownSkipped()).as("the findings and the lock came past and were not inspected").isEqualTo(8);
        log.close();
        Ledgers.assertIntact(dir);
    }

    @Test
    void allDefaultsAddsEveryDetectorAtItsDefaultRule() throws IOException {
        DetectionStage stage = DetectionStage.builder().allDefaults().build();
        assertThat(stage.detectors()).containsExactly("brute_force", "success_after_failure",
                "password_spraying", "impossible_travel", "new_user_agent", "abnormal_rate", "denial_burst");
        Path dir = tmp.resolve("ledger");
        AuditLog log = AuditLog.builder().pipeline(PipelineOptions.DEFAULT.withShutdownHook(false))
                .sink("ledger", Ledgers.sink(dir)).sink("detect", stage).build();
        logs.add(log);
        stage.bind(log);
        for (int i = 0; i < BruteForceRule.DEFAULT.threshold() - 1; i++) {
            failure(log, ACME, "erin", T0.plusSeconds(i));
        }
        assertThat(stage.flush(WAIT)).isTrue();
        assertThat(stage.stats().findings()).as("one failure short of the default threshold").isZero();
        failure(log, ACME, "erin", T0.plus(BruteForceRule.DEFAULT.window()).minusSeconds(1));
        assertThat(stage.flush(WAIT)).isTrue();
        assertThat(stage.stats().findings()).as("at the default threshold, inside the default window").isEqualTo(2);
    }

    private static UUID failure(AuditLog log, Optional<String> tenant, String account, Instant at) {
        UUID id = EventIds.next(at.toEpochMilli());
        AuditEvent.Builder b = AuditEvent.builder(EventCatalog.AUTH_LOGIN_FAILURE).id(id).timestamp(at)
                .actor(Actor.user(account).withIp("203.0.113.7"));
        tenant.ifPresent(b::tenant);
        log.record(b);
        return id;
    }
}
