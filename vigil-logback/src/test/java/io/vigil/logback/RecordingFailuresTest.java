package io.vigil.logback;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.core.status.Status;
import io.vigil.AuditLog;
import io.vigil.EventRecorder;
import io.vigil.event.AuditEvent;
import io.vigil.event.EventValidationException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import static io.vigil.logback.Fixture.AUDIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

/** A recorder that fails never reaches the logging call: failures are counted and reported, rate limited. */
class RecordingFailuresTest {

    @Test
    void exceptionsFromTheRecorderDoNotReachTheCallerAndAreCountedAndReportedOnce() {
        LoggerContext logback = Fixture.newContext();
        AtomicInteger calls = new AtomicInteger();
        EventRecorder failing = event -> {
            calls.incrementAndGet();
            throw new IllegalStateException("audit queue full (injected)");
        };
        try (LogbackBridge bridge = LogbackBridge.attach(logback, failing)) {
            Logger log = logback.getLogger(Fixture.APP);
            assertThatCode(() -> {
                for (int i = 0; i < 50; i++) {
                    log.atInfo().addMarker(AUDIT).addKeyValue("type", "data.read").log("read {}", i);
                }
            }).doesNotThrowAnyException();

            assertThat(calls).hasValue(50);
            assertThat(bridge.counters()).isEqualTo(new BridgeCounters(0, 0, 50, 0, 0, 0));
            List<Status> errors = errorsFrom(logback, bridge.appenders().get(0));
            assertThat(errors).as("50 failures within the interval give one report").hasSize(1);
            assertThat(errors.get(0).getMessage()).contains("data.read").contains("audit queue full (injected)");
        } finally {
            logback.stop();
        }
    }

    @Test
    void anEventTheAuditLogRejectsIsCountedAsFailedAndTheNextOneIsRecorded() {
        try (Fixture f = new Fixture()) {
            String tooLong = "r".repeat(5_000); // over the event model's limit for an id
            assertThatCode(() -> f.logger().atInfo().addMarker(AUDIT).addKeyValue("type", "data.read")
                    .addKeyValue("requestId", tooLong).log("rejected")).doesNotThrowAnyException();
            f.logger().atInfo().addMarker(AUDIT).addKeyValue("type", "data.read").log("accepted");

            assertThat(f.events()).extracting(e -> e.reason().orElseThrow()).containsExactly("accepted");
            assertThat(f.bridge.counters()).isEqualTo(new BridgeCounters(1, 0, 1, 0, 0, 0));
            List<Status> errors = errorsFrom(f.logback, f.bridge.appenders().get(0));
            assertThat(errors).hasSize(1);
            assertThat(errors.get(0).getThrowable()).isInstanceOf(EventValidationException.class);
            assertThat(errors.get(0).getMessage()).doesNotContain(tooLong);
        }
    }

    @Test
    void aClosedAuditLogCountsTheEventItRefusesAndTheCallerCarriesOn() {
        try (Fixture f = new Fixture()) {
            f.audit.close();
            assertThatCode(() -> f.logger().atInfo().addMarker(AUDIT).addKeyValue("type", "data.read")
                    .log("after close")).doesNotThrowAnyException();

            // Handed over, and refused by the closed log, which counts it as dropped and fails its receipt.
            assertThat(f.bridge.counters().mapped()).isEqualTo(1);
            assertThat(f.audit.stats().dropped()).isEqualTo(1);
        }
    }

    @Test
    void whatTheRecorderLogsWithAnAuditMarkerWhileRecordingIsIgnoredNotLoopedBack() {
        LoggerContext logback = Fixture.newContext();
        List<AuditEvent> received = new ArrayList<>();
        try (AuditLog audit = Fixture.newAuditLog(received)) {
            Logger chatty = logback.getLogger("com.example.ChattyRecorder");
            EventRecorder loggingRecorder = event -> {
                chatty.atWarn().addMarker(AUDIT).addKeyValue("type", "audit.sink.failed").log("recording");
                return audit.record(event);
            };
            try (LogbackBridge bridge = LogbackBridge.attach(logback, loggingRecorder)) {
                logback.getLogger(Fixture.APP).atInfo().addMarker(AUDIT).addKeyValue("type", "data.read").log("x");

                assertThat(bridge.counters()).isEqualTo(new BridgeCounters(1, 0, 0, 0, 1, 0));
            }
            audit.flush(Duration.ofSeconds(10));
            synchronized (received) {
                assertThat(received).extracting(AuditEvent::type).containsExactly("data.read");
            }
        } finally {
            logback.stop();
        }
    }

    @Test
    void aRecorderReturningAFailedReceiptIsTheRecordersBusinessNotTheCallers() {
        LoggerContext logback = Fixture.newContext();
        EventRecorder refusing = event -> CompletableFuture.failedFuture(new IllegalStateException("sink down"));
        try (LogbackBridge bridge = LogbackBridge.attach(logback, refusing)) {
            assertThatCode(() -> logback.getLogger(Fixture.APP).info(AUDIT, "x")).doesNotThrowAnyException();
            // Handed over: what happens to the receipt is counted by the log that issued it.
            assertThat(bridge.counters().unmapped()).isEqualTo(1);
        } finally {
            logback.stop();
        }
    }

    static List<Status> errorsFrom(LoggerContext logback, Object origin) {
        return logback.getStatusManager().getCopyOfStatusList().stream()
                .filter(s -> s.getLevel() == Status.ERROR && s.getOrigin() == origin).toList();
    }
}
