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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A replay runs the live stage's detectors over stored events: a live ledger replayed gives back the findings the live
 * stage recorded in it, and findings among the stored events are not shown to the detectors.
 */
class DetectionReplayTest {

    private static final Instant T0 = Instant.parse("2025-03-01T09:00:00Z");
    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path tmp;

    private static AuditEvent login(EventType type, String account, String ip, Instant at) {
        return AuditEvent.builder(type).id(EventIds.next(at.toEpochMilli())).timestamp(at).tenant("acme")
                .actor(Actor.user(account).withIp(ip)).build();
    }

    private static List<AuditEvent> ledger(Path dir) throws IOException {
        try (LedgerReader reader = FileLedger.openReader(dir);
             Stream<LedgerEntry> entries = reader.entries(0, reader.size())) {
            return entries.map(LedgerEntry::event).toList();
        }
    }

    @Test
    void replayingALiveLedgerGivesTheFindingsTheLiveStageRecorded() throws IOException {
        Path dir = tmp.resolve("live");
        DetectionStage live = DetectionConfig.defaults().builder().build();
        try (AuditLog log = AuditLog.builder().pipeline(PipelineOptions.DEFAULT.withShutdownHook(false))
                .sink("ledger", new LedgerSink(FileLedger.open(dir, LedgerOptions.defaults("example.com/replay"))))
                .sink("detect", live).build()) {
            live.bind(log);
            // mallory: six failures from two addresses, then the guess that works; oscar: two failures, a success.
            for (int i = 0; i < 6; i++) {
                log.record(login(EventCatalog.AUTH_LOGIN_FAILURE, "mallory", "203.0.113." + (i % 2),
                        T0.plusSeconds(20L * i)));
                log.record(login(EventCatalog.AUTH_LOGIN_SUCCESS, "oscar", "198.51.100.4", T0.plusSeconds(20L * i + 1)));
            }
            log.record(login(EventCatalog.AUTH_LOGIN_SUCCESS, "mallory", "203.0.113.1", T0.plusSeconds(200)));
            log.record(login(EventCatalog.AUTH_LOGIN_FAILURE, "oscar", "198.51.100.4", T0.plusSeconds(201)));
            log.record(login(EventCatalog.AUTH_LOGIN_FAILURE, "oscar", "198.51.100.4", T0.plusSeconds(202)));
            log.record(login(EventCatalog.AUTH_LOGIN_SUCCESS, "oscar", "198.51.100.4", T0.plusSeconds(203)));
            assertThat(live.flush(WAIT)).isTrue();
        }
        List<AuditEvent> stored = ledger(dir);
        List<AuditEvent> recorded = stored.stream().filter(DetectionReplay::isFinding).toList();
        assertThat(recorded).extracting(AuditEvent::type).containsExactly(
                EventCatalog.SECURITY_BRUTE_FORCE_DETECTED.name(), EventCatalog.AUTH_LOGIN_FAILURE_LIMIT_REACHED.name(),
                EventCatalog.AUTH_LOGIN_SUCCESS_AFTER_FAILURE.name());

        // Later, at another wall-clock time, over everything the ledger holds, the live findings included.
        DetectionReplay replay = DetectionConfig.defaults().builder().buildReplay();
        List<AuditEvent> replayed = new ArrayList<>();
        stored.forEach(e -> replayed.addAll(replay.inspect(e)));

        assertThat(replayed).as("the same events, the same findings, ids and all").isEqualTo(recorded);
        assertThat(replay.detectors()).contains("brute_force", "success_after_failure", "impossible_travel");
        VerificationReport report = LedgerVerifier.of(dir).verify();
        assertThat(report.intact()).as(report.reason().orElse("")).isTrue();
    }

    @Test
    void eventsThatAreFindingsAreNotShownToTheDetectors() {
        DetectionReplay replay = DetectionStage.builder().bruteForce(new BruteForceRule(2, Duration.ofMinutes(1)))
                .buildReplay();
        // Login failures carrying what every finding carries: findings, whatever their type says.
        for (int i = 0; i < 3; i++) {
            AuditEvent lookalike = login(EventCatalog.AUTH_LOGIN_FAILURE, "trent", "203.0.113.9", T0.plusSeconds(i))
                    .toBuilder().detail("detector", "elsewhere").detail("triggeringEventIds", List.of("x")).build();
            assertThat(DetectionReplay.isFinding(lookalike)).isTrue();
            assertThat(replay.inspect(lookalike)).isEmpty();
        }
        // Half of it is not enough: these are login failures like any other.
        AuditEvent first = login(EventCatalog.AUTH_LOGIN_FAILURE, "trent", "203.0.113.9", T0.plusSeconds(5))
                .toBuilder().detail("detector", "elsewhere").build();
        AuditEvent second = login(EventCatalog.AUTH_LOGIN_FAILURE, "trent", "203.0.113.9", T0.plusSeconds(6))
                .toBuilder().details(Map.of("triggeringEventIds", List.of("x"))).build();
        assertThat(DetectionReplay.isFinding(first)).isFalse();
        assertThat(replay.inspect(first)).isEmpty();
        List<AuditEvent> found = replay.inspect(second);
        assertThat(found).hasSize(2).allSatisfy(f -> assertThat(DetectionReplay.isFinding(f)).isTrue());
        assertThat(found.get(0).details().get("triggeringEventIds"))
                .isEqualTo(List.of(first.id().toString(), second.id().toString()));
    }

    @Test
    void theLiveStageKeepsFindingsFromElsewhereAwayFromItsDetectorsByTheSameRule() throws IOException {
        Path dir = tmp.resolve("ledger");
        DetectionStage stage = DetectionStage.builder().bruteForce(new BruteForceRule(2, Duration.ofMinutes(1)))
                .build();
        try (AuditLog log = AuditLog.builder().pipeline(PipelineOptions.DEFAULT.withShutdownHook(false))
                .sink("ledger", new LedgerSink(FileLedger.open(dir, LedgerOptions.defaults("example.com/replay"))))
                .sink("detect", stage).build()) {
            stage.bind(log);
            for (int i = 0; i < 4; i++) {
                log.record(login(EventCatalog.AUTH_LOGIN_FAILURE, "trent", "203.0.113.9", T0.plusSeconds(i))
                        .toBuilder().detail("detector", "elsewhere").detail("triggeringEventIds", List.of("x")));
            }
            assertThat(stage.flush(WAIT)).isTrue();
        }
        assertThat(ledger(dir)).filteredOn(e -> e.type().startsWith("auth.")).hasSize(4)
                .allSatisfy(e -> assertThat(e.details()).containsEntry("detector", "elsewhere"));
        assertThat(ledger(dir)).filteredOn(e -> !e.type().startsWith("auth.")).extracting(AuditEvent::type)
                .containsExactly("audit.started", "audit.stopped");
        assertThat(stage.stats().findings()).isZero();
    }

    @Test
    void windowsAreMeasuredOnTheEventsOwnTimestamps() {
        DetectionReplay replay = DetectionStage.builder().bruteForce(new BruteForceRule(3, Duration.ofMinutes(10)))
                .buildReplay();
        Instant longAgo = Instant.parse("2019-06-01T00:00:00Z");
        assertThat(replay.inspect(login(EventCatalog.AUTH_LOGIN_FAILURE, "uma", "203.0.113.1", longAgo))).isEmpty();
        assertThat(replay.inspect(login(EventCatalog.AUTH_LOGIN_FAILURE, "uma", "203.0.113.1",
                longAgo.plus(Duration.ofMinutes(9))))).isEmpty();
        // Eleven minutes after the first: the first is out of the window, so two failures, not three.
        assertThat(replay.inspect(login(EventCatalog.AUTH_LOGIN_FAILURE, "uma", "203.0.113.1",
                longAgo.plus(Duration.ofMinutes(11))))).isEmpty();
        List<AuditEvent> found = replay.inspect(login(EventCatalog.AUTH_LOGIN_FAILURE, "uma", "203.0.113.1",
                longAgo.plus(Duration.ofMinutes(12))));
        assertThat(found).hasSize(2).allSatisfy(f -> {
            assertThat(f.timestamp()).isEqualTo(longAgo.plus(Duration.ofMinutes(12)));
            assertThat(EventIds.epochMillis(f.id())).isEqualTo(f.timestamp().toEpochMilli());
        });
    }
}
