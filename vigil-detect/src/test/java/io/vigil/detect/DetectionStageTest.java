package io.vigil.detect;

import io.vigil.AuditLog;
import io.vigil.PipelineOptions;
import io.vigil.event.Actor;
import io.vigil.event.AuditEvent;
import io.vigil.event.EventCatalog;
import io.vigil.event.EventIds;
import io.vigil.event.EventType;
import io.vigil.ledger.FileLedger;
import io.vigil.ledger.LedgerEntry;
import io.vigil.ledger.LedgerOptions;
import io.vigil.ledger.LedgerReader;
import io.vigil.ledger.LedgerSink;
import io.vigil.ledger.LedgerVerifier;
import io.vigil.ledger.VerificationReport;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The stage against a real {@link AuditLog} writing a real file ledger: findings are made at exactly the threshold,
 * not around it, land in the ledger beside the events that caused them, and the ledger verifies.
 */
class DetectionStageTest {

    private static final Instant T0 = Instant.parse("2025-03-01T09:00:00Z");
    private static final Duration WINDOW = Duration.ofMinutes(1);
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final Set<String> FINDING_TYPES = Set.of(EventCatalog.SECURITY_BRUTE_FORCE_DETECTED.name(),
            EventCatalog.AUTH_LOGIN_FAILURE_LIMIT_REACHED.name(), EventCatalog.AUTH_LOGIN_SUCCESS_AFTER_FAILURE.name());

    @TempDir
    Path tmp;

    private final List<AuditLog> logs = new ArrayList<>();

    @AfterEach
    void closeLogs() {
        logs.forEach(AuditLog::close);
    }

    /** A log writing to a file ledger in {@code dir}, with the stage registered on it and bound. */
    private AuditLog logWith(DetectionStage stage, Path dir) throws IOException {
        AuditLog log = AuditLog.builder()
                .pipeline(PipelineOptions.DEFAULT.withShutdownHook(false))
                .sink("ledger", new LedgerSink(FileLedger.open(dir, LedgerOptions.defaults("example.com/detect/test"))))
                .sink("detect", stage)
                .build();
        stage.bind(log);
        logs.add(log);
        return log;
    }

    private static DetectionStage bruteForce(int threshold) {
        return DetectionStage.builder().bruteForce(new BruteForceRule(threshold, WINDOW)).build();
    }

    private static UUID login(AuditLog log, EventType type, String tenant, String account, String ip, Instant at) {
        UUID id = EventIds.next(at.toEpochMilli());
        log.record(AuditEvent.builder(type).id(id).timestamp(at).tenant(tenant)
                .actor(Actor.user(account).withIp(ip)));
        return id;
    }

    private static UUID failure(AuditLog log, String account, String ip, Instant at) {
        return login(log, EventCatalog.AUTH_LOGIN_FAILURE, "acme", account, ip, at);
    }

    private static UUID success(AuditLog log, String account, Instant at) {
        return login(log, EventCatalog.AUTH_LOGIN_SUCCESS, "acme", account, "198.51.100.1", at);
    }

    private static List<AuditEvent> ledger(Path dir) throws IOException {
        try (LedgerReader reader = FileLedger.openReader(dir);
             Stream<LedgerEntry> entries = reader.entries(0, reader.size())) {
            return entries.map(LedgerEntry::event).toList();
        }
    }

    private static List<AuditEvent> findings(Path dir) throws IOException {
        return ledger(dir).stream().filter(e -> FINDING_TYPES.contains(e.type())).toList();
    }

    private static List<String> ids(List<UUID> ids) {
        return ids.stream().map(UUID::toString).toList();
    }

    private static void assertIntact(Path dir) throws IOException {
        VerificationReport report = LedgerVerifier.of(dir).verify();
        assertThat(report.intact()).as(report.reason().orElse("")).isTrue();
    }

    @Test
    void bruteForceIsQuietAtThresholdMinusOneAndFiresAtTheThreshold() throws IOException {
        DetectionStage stage = bruteForce(3);
        Path dir = tmp.resolve("ledger");
        AuditLog log = logWith(stage, dir);
        List<UUID> failures = new ArrayList<>();
        failures.add(failure(log, "alice", "203.0.113.7", T0));
        failures.add(failure(log, "alice", "203.0.113.7", T0.plusSeconds(10)));
        assertThat(stage.flush(WAIT)).isTrue();
        assertThat(findings(dir)).as("two failures, threshold three").isEmpty();

        failures.add(failure(log, "alice", "203.0.113.8", T0.plusSeconds(20)));
        assertThat(stage.flush(WAIT)).isTrue();
        List<AuditEvent> found = findings(dir);
        assertThat(found).extracting(AuditEvent::type).containsExactly(
                EventCatalog.SECURITY_BRUTE_FORCE_DETECTED.name(), EventCatalog.AUTH_LOGIN_FAILURE_LIMIT_REACHED.name());
        for (AuditEvent f : found) {
            EventType type = EventCatalog.find(f.type()).orElseThrow();
            assertThat(f.category()).isEqualTo(type.category());
            assertThat(f.severity()).isEqualTo(type.severity());
            assertThat(f.timestamp()).as("the completing failure's own time").isEqualTo(T0.plusSeconds(20));
            assertThat(f.tenant()).contains("acme");
            assertThat(f.actor().flatMap(Actor::id)).contains("alice");
            assertThat(f.riskScore().getAsDouble()).as("0.6 plus 0.1 for the second ip").isEqualTo(0.7, within());
            assertThat(f.anomalyFlags()).containsExactly("brute_force");
            assertThat(f.details()).containsEntry("detector", "brute_force")
                    .containsEntry("triggeringEventIds", ids(failures))
                    .containsEntry("failedAttempts", 3L)
                    .containsEntry("windowMs", WINDOW.toMillis());
        }
        assertThat(found.get(1).details()).containsEntry("limit", 3L);

        // The count starts again after a finding: one more failure is not a second attack.
        failure(log, "alice", "203.0.113.7", T0.plusSeconds(30));
        assertThat(stage.flush(WAIT)).isTrue();
        assertThat(findings(dir)).hasSize(2);
        log.close();
        assertIntact(dir);
    }

    @Test
    void bruteForceStaysQuietAroundItsScenario() throws IOException {
        DetectionStage stage = bruteForce(3);
        Path dir = tmp.resolve("ledger");
        AuditLog log = logWith(stage, dir);
        // Three failures, the first and the last exactly one window apart: not within the window.
        failure(log, "bob", "203.0.113.7", T0);
        failure(log, "bob", "203.0.113.7", T0.plusSeconds(30));
        failure(log, "bob", "203.0.113.7", T0.plus(WINDOW));
        // Two failures each for many accounts from one ip: per account, below the threshold (spraying is another rule).
        for (int i = 0; i < 20; i++) {
            failure(log, "user" + i, "203.0.113.9", T0.plusSeconds(i));
            failure(log, "user" + i, "203.0.113.9", T0.plusSeconds(i + 1));
        }
        // The same name in two tenants is two accounts.
        login(log, EventCatalog.AUTH_LOGIN_FAILURE, "acme", "carol", "203.0.113.7", T0);
        login(log, EventCatalog.AUTH_LOGIN_FAILURE, "acme", "carol", "203.0.113.7", T0.plusSeconds(1));
        login(log, EventCatalog.AUTH_LOGIN_FAILURE, "globex", "carol", "203.0.113.7", T0.plusSeconds(2));
        // A success ends a run: two failures, a success, two failures.
        failure(log, "dave", "203.0.113.7", T0);
        failure(log, "dave", "203.0.113.7", T0.plusSeconds(1));
        success(log, "dave", T0.plusSeconds(2));
        failure(log, "dave", "203.0.113.7", T0.plusSeconds(3));
        failure(log, "dave", "203.0.113.7", T0.plusSeconds(4));
        // Events of other kinds, and failures naming no account, are not counted.
        for (int i = 0; i < 5; i++) {
            log.record(AuditEvent.builder(EventCatalog.AUTHZ_ACCESS_DENIED).timestamp(T0.plusSeconds(i))
                    .actor(Actor.user("erin")));
            log.record(AuditEvent.builder(EventCatalog.AUTH_LOGIN_FAILURE).timestamp(T0.plusSeconds(i))
                    .actor(Actor.anonymous().withIp("203.0.113.7")));
        }
        assertThat(stage.flush(WAIT)).isTrue();
        assertThat(findings(dir)).isEmpty();
        assertThat(stage.stats().findings()).isZero();
        assertThat(stage.stats().errors()).isZero();
    }

    @Test
    void successAfterFailuresFiresAtExactlyMinFailuresAndNamesEveryEvent() throws IOException {
        DetectionStage stage = DetectionStage.builder()
                .successAfterFailure(new SuccessAfterFailureRule(2, WINDOW)).build();
        Path dir = tmp.resolve("ledger");
        AuditLog log = logWith(stage, dir);
        // One failure, then a success: below minFailures.
        failure(log, "frank", "203.0.113.7", T0);
        success(log, "frank", T0.plusSeconds(1));
        // A success with no failures before it.
        success(log, "grace", T0);
        // Two failures older than the window, then a success.
        failure(log, "heidi", "203.0.113.7", T0);
        failure(log, "heidi", "203.0.113.7", T0.plusSeconds(1));
        success(log, "heidi", T0.plusSeconds(1).plus(WINDOW));
        assertThat(stage.flush(WAIT)).isTrue();
        assertThat(findings(dir)).isEmpty();

        // Two failures within the window, then a success: a finding.
        List<UUID> evidence = new ArrayList<>();
        evidence.add(failure(log, "ivan", "203.0.113.7", T0));
        evidence.add(failure(log, "ivan", "203.0.113.7", T0.plusSeconds(5)));
        evidence.add(success(log, "ivan", T0.plusSeconds(10)));
        // The success ended the run: another success right after is quiet.
        success(log, "ivan", T0.plusSeconds(11));
        assertThat(stage.flush(WAIT)).isTrue();
        List<AuditEvent> found = findings(dir);
        assertThat(found).hasSize(1);
        AuditEvent f = found.get(0);
        assertThat(f.type()).isEqualTo(EventCatalog.AUTH_LOGIN_SUCCESS_AFTER_FAILURE.name());
        assertThat(f.category()).isEqualTo(EventCatalog.AUTH_LOGIN_SUCCESS_AFTER_FAILURE.category());
        assertThat(f.severity()).isEqualTo(EventCatalog.AUTH_LOGIN_SUCCESS_AFTER_FAILURE.severity());
        assertThat(f.timestamp()).isEqualTo(T0.plusSeconds(10));
        assertThat(f.actor().flatMap(Actor::id)).contains("ivan");
        assertThat(f.riskScore().getAsDouble()).isEqualTo(0.4, within());
        assertThat(f.anomalyFlags()).containsExactly("success_after_failure");
        assertThat(f.details()).containsEntry("detector", "success_after_failure")
                .containsEntry("triggeringEventIds", ids(evidence))
                .containsEntry("failedAttempts", 2L)
                .containsEntry("minFailures", 2L);
        log.close();
        assertIntact(dir);
    }

    @Test
    void riskIsCappedAtOne() throws IOException {
        DetectionStage stage = bruteForce(8);
        Path dir = tmp.resolve("ledger");
        AuditLog log = logWith(stage, dir);
        for (int i = 0; i < 8; i++) {
            failure(log, "judy", "203.0.113." + (10 + i), T0.plusSeconds(i)); // 0.6 + 7 × 0.1 would be 1.3
        }
        assertThat(stage.flush(WAIT)).isTrue();
        assertThat(findings(dir)).hasSize(2).allSatisfy(f -> assertThat(f.riskScore().getAsDouble()).isEqualTo(1.0));
    }

    @Test
    void findingsReachTheLedgerButAreNotFedBackToTheDetectors() throws IOException {
        DetectionStage stage = DetectionStage.builder().bruteForce(new BruteForceRule(2, WINDOW))
                .successAfterFailure(new SuccessAfterFailureRule(1, WINDOW)).build();
        Path dir = tmp.resolve("ledger");
        AuditLog log = logWith(stage, dir);
        failure(log, "mallory", "203.0.113.7", T0);
        failure(log, "mallory", "203.0.113.7", T0.plusSeconds(1));
        success(log, "mallory", T0.plusSeconds(2));
        assertThat(stage.flush(WAIT)).isTrue();
        log.close();

        List<AuditEvent> all = ledger(dir);
        List<AuditEvent> found = findings(dir);
        assertThat(found).extracting(AuditEvent::type).containsExactly(
                EventCatalog.SECURITY_BRUTE_FORCE_DETECTED.name(), EventCatalog.AUTH_LOGIN_FAILURE_LIMIT_REACHED.name(),
                EventCatalog.AUTH_LOGIN_SUCCESS_AFTER_FAILURE.name());
        DetectionStats stats = stage.stats();
        assertThat(stats.findings()).isEqualTo(3);
        assertThat(stats.ownSkipped()).as("each finding came past once and was recognised").isEqualTo(3);
        assertThat(stats.inspected()).as("everything in the ledger except the findings")
                .isEqualTo(all.size() - 3);
        assertThat(stats.findingsLost()).isZero();
        assertIntact(dir);
    }

    @Test
    void replayingTheSameEventsGivesTheSameFindings() throws IOException {
        Path live = tmp.resolve("live");
        DetectionStage first = DetectionStage.builder().bruteForce(new BruteForceRule(3, WINDOW))
                .successAfterFailure(new SuccessAfterFailureRule(2, WINDOW)).build();
        AuditLog log = logWith(first, live);
        for (int i = 0; i < 7; i++) {
            failure(log, "oscar", "203.0.113." + (i % 2), T0.plusSeconds(i * 5L));
        }
        success(log, "oscar", T0.plusSeconds(40));
        failure(log, "peggy", "203.0.113.7", T0);
        success(log, "peggy", T0.plus(Duration.ofMinutes(5)));
        assertThat(first.flush(WAIT)).isTrue();
        log.close();

        // Replay later, at another wall-clock time, from what the first ledger kept.
        Path replay = tmp.resolve("replay");
        DetectionStage second = DetectionStage.builder().bruteForce(new BruteForceRule(3, WINDOW))
                .successAfterFailure(new SuccessAfterFailureRule(2, WINDOW)).build();
        AuditLog again = logWith(second, replay);
        ledger(live).stream().filter(e -> e.type().startsWith("auth.") && !FINDING_TYPES.contains(e.type()))
                .forEach(again::record);
        assertThat(second.flush(WAIT)).isTrue();
        again.close();

        assertThat(findings(live)).hasSize(5); // two brute force findings (two finding events each), one success
        assertThat(comparable(findings(replay))).isEqualTo(comparable(findings(live)));
    }

    /** What a finding says, without its own id. */
    private static List<Map<String, Object>> comparable(List<AuditEvent> findings) {
        return findings.stream().map(f -> Map.<String, Object>of("type", f.type(), "timestamp", f.timestamp(),
                "risk", f.riskScore().getAsDouble(), "flags", f.anomalyFlags(), "details", f.details())).toList();
    }

    private static Offset<Double> within() {
        return Offset.offset(1e-9);
    }
}
