package io.vigil;

import ch.qos.logback.classic.Level;
import io.vigil.event.AuditEvent;
import io.vigil.event.EventCatalog;
import io.vigil.sink.Sinks;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SinkFailureTest {

    private static PipelineOptions fastRetry(int attempts) {
        return PipelineOptions.DEFAULT.withShutdownHook(false)
                .withRetry(new RetryPolicy(attempts, Duration.ofMillis(1), Duration.ofMillis(4)));
    }

    private final ManualTime time = new ManualTime();

    private AuditLog.Builder builder() {
        return AuditLog.builder().selfAudit(false).ticker(time).sleeper(time);
    }

    @Test
    void aTransientFailureIsRetriedWithAWarningAndTheEventIsWrittenOnce() throws Exception {
        TestSinks.Failing sink = new TestSinks.Failing(2);
        try (LogCapture logs = new LogCapture();
             AuditLog log = builder().pipeline(fastRetry(5)).sink("flaky", sink).build()) {
            AuditReceipt r = log.record(AuditEvent.builder(EventCatalog.AUTH_LOGIN_FAILURE).requestId("req-7"))
                    .get(10, TimeUnit.SECONDS);
            assertThat(r.status()).isEqualTo(AuditReceipt.Status.WRITTEN);
            assertThat(sink.delegate.snapshot()).hasSize(1);
            assertThat(sink.attempts).hasValue(3);
            assertThat(log.stats().sinkRetries()).isEqualTo(2);
            assertThat(logs.lines(Level.WARN)).anySatisfy(l -> assertThat(l).contains("flaky").contains("retrying"));
            assertThat(time.sleeps()).as("the backoff doubles").containsExactly(Duration.ofMillis(1), Duration.ofMillis(2));
        }
    }

    @Test
    void aPermanentFailureIsLoggedWithTheEventIdAndCorrelationIdsCountedAndReported() throws Exception {
        TestSinks.Failing broken = new TestSinks.Failing(Integer.MAX_VALUE);
        TestSinks.Collecting healthy = new TestSinks.Collecting();
        try (LogCapture logs = new LogCapture();
             AuditLog log = builder().pipeline(fastRetry(3)).sink("broken", broken).sink("healthy", healthy).build()) {
            CompletableFuture<AuditReceipt> r = log.record(AuditEvent.builder(EventCatalog.AUTHZ_ACCESS_DENIED)
                    .requestId("req-42").sessionId("sess-9").traceId("trace-1"));
            assertThatThrownBy(() -> r.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(AuditSinkException.class)
                    .hasMessageContaining("broken");
            String id = healthy.snapshot().get(0).id().toString();
            assertThat(log.stats().failed()).isEqualTo(1);
            assertThat(log.stats().sinkRetries()).isEqualTo(2);
            assertThat(broken.attempts).hasValue(3);
            assertThat(logs.lines(Level.ERROR)).anySatisfy(l -> assertThat(l).contains(id).contains("req-42")
                    .contains("sess-9").contains("trace-1").contains("broken"));
            // the healthy sink still got it: one failing sink does not take the others down
            assertThat(healthy.snapshot()).hasSize(1);
        }
    }

    @Test
    void aSinkFailingEveryBatchLogsAHandfulOfErrorLinesNamingIdsAndCountsEveryEvent() throws Exception {
        int events = 10_000;
        TestSinks.Failing broken = new TestSinks.Failing(Integer.MAX_VALUE);
        try (LogCapture logs = LogCapture.at(Level.DEBUG);
             AuditLog log = builder().pipeline(fastRetry(2).withBatchSize(100)).sink("broken", broken).build()) {
            List<CompletableFuture<AuditReceipt>> receipts = new ArrayList<>();
            for (int i = 0; i < events; i++) {
                receipts.add(log.record(AuditEvent.builder(EventCatalog.DATA_WRITE).requestId("req-" + i)
                        .sessionId("sess-" + i % 7).detail("password", "hunter2")));
            }
            assertThat(log.flush(Duration.ofSeconds(60))).isTrue();

            assertThat(receipts).allSatisfy(r -> assertThat(r).isCompletedExceptionally());
            assertThat(log.stats().failed()).isEqualTo(events);
            assertThat(broken.attempts.get()).as("batches of at most 100, two attempts each")
                    .isGreaterThanOrEqualTo(2 * events / 100);
            List<String> errors = logs.linesAt(Level.ERROR);
            assertThat(errors).hasSizeBetween(1, 5);
            assertThat(errors).allSatisfy(l -> assertThat(l).contains("audit sink 'broken' failed to write")
                    .contains("NOT written").contains("disk on fire").containsPattern("first ids: [0-9a-f-]{36} ")
                    .contains("requestId=req-").contains("sessionId=sess-").doesNotContain("hunter2"));
            assertThat(errors.get(0)).contains("requestId=req-0 ").contains("traceId=-");
            assertThat(logs.linesAt(Level.WARN)).as("retry warnings are limited alike").hasSizeBetween(1, 5);
            List<String> perEvent = logs.linesAt(Level.DEBUG).stream()
                    .filter(l -> l.contains("was NOT written by sink 'broken'")).toList();
            assertThat(perEvent).hasSize(events);
            assertThat(perEvent).anySatisfy(l -> assertThat(l).contains("requestId=req-9999 "));
        }
    }

    @Test
    void afterTheBurstOneFailureLinePerIntervalSaysHowManyWereSuppressed() throws Exception {
        TestSinks.Failing broken = new TestSinks.Failing(Integer.MAX_VALUE);
        try (LogCapture logs = new LogCapture();
             AuditLog log = builder().pipeline(fastRetry(1)).sink("broken", broken).build()) {
            for (int i = 0; i < 8; i++) { // one batch each
                log.record(AuditEvent.builder(EventCatalog.DATA_DELETE).requestId("req-" + i));
                assertThat(log.flush(Duration.ofSeconds(10))).isTrue();
            }
            assertThat(logs.linesAt(Level.ERROR)).hasSize(5)
                    .allSatisfy(l -> assertThat(l).doesNotContain("suppressed"));

            time.advance(Duration.ofSeconds(59));
            log.record(AuditEvent.builder(EventCatalog.DATA_DELETE).requestId("req-8"));
            assertThat(log.flush(Duration.ofSeconds(10))).isTrue();
            assertThat(logs.linesAt(Level.ERROR)).as("still inside the interval").hasSize(5);

            time.advance(Duration.ofSeconds(1));
            log.record(AuditEvent.builder(EventCatalog.DATA_DELETE).requestId("req-9"));
            assertThat(log.flush(Duration.ofSeconds(10))).isTrue();
            List<String> errors = logs.linesAt(Level.ERROR);
            assertThat(errors).hasSize(6);
            assertThat(errors.get(5)).contains("requestId=req-9 ").endsWith("(4 similar failures suppressed)");
            assertThat(log.stats().failed()).isEqualTo(10);
        }
    }

    @Test
    void aHandlerThatThrowsMidBatchResumesWithoutDuplicates() throws Exception {
        List<String> seen = new ArrayList<>();
        int[] calls = {0};
        try (AuditLog log = builder().pipeline(fastRetry(5))
                .sink("handler", Sinks.handler(e -> {
                    if (++calls[0] == 3) {
                        throw new IllegalStateException("hiccup");
                    }
                    seen.add(e.requestId().orElseThrow());
                })).build()) {
            // hold the writer so that all five events land in one batch
            for (int i = 0; i < 5; i++) {
                log.record(AuditEvent.builder(EventCatalog.AUTH_LOGOUT).requestId("r" + i));
            }
            assertThat(log.flush(Duration.ofSeconds(10))).isTrue();
        }
        assertThat(seen).containsExactly("r0", "r1", "r2", "r3", "r4");
    }
}
