package io.vigil;

import ch.qos.logback.classic.Level;
import io.vigil.event.AuditEvent;
import io.vigil.event.EventCatalog;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SinkFailureTest {

    private static PipelineOptions fastRetry(int attempts) {
        return PipelineOptions.DEFAULT.withShutdownHook(false)
                .withRetry(new RetryPolicy(attempts, Duration.ofMillis(1), Duration.ofMillis(4)));
    }

    @Test
    void aTransientFailureIsRetriedWithAWarningAndTheEventIsWrittenOnce() throws Exception {
        TestSinks.Failing sink = new TestSinks.Failing(2);
        try (LogCapture logs = new LogCapture();
             AuditLog log = AuditLog.builder().selfAudit(false).pipeline(fastRetry(5)).sink("flaky", sink).build()) {
            AuditReceipt r = log.record(AuditEvent.builder(EventCatalog.AUTH_LOGIN_FAILURE).requestId("req-7"))
                    .get(10, TimeUnit.SECONDS);
            assertThat(r.status()).isEqualTo(AuditReceipt.Status.WRITTEN);
            assertThat(sink.delegate.snapshot()).hasSize(1);
            assertThat(sink.attempts).hasValue(3);
            assertThat(log.stats().sinkRetries()).isEqualTo(2);
            assertThat(logs.lines(Level.WARN)).anySatisfy(l -> assertThat(l).contains("flaky").contains("retrying"));
        }
    }

    @Test
    void aPermanentFailureIsLoggedWithTheEventIdAndCorrelationIdsCountedAndReported() throws Exception {
        TestSinks.Failing broken = new TestSinks.Failing(Integer.MAX_VALUE);
        TestSinks.Collecting healthy = new TestSinks.Collecting();
        try (LogCapture logs = new LogCapture();
             AuditLog log = AuditLog.builder().selfAudit(false).pipeline(fastRetry(3))
                     .sink("broken", broken).sink("healthy", healthy).build()) {
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
    void aHandlerThatThrowsMidBatchResumesWithoutDuplicates() throws Exception {
        java.util.List<String> seen = new java.util.ArrayList<>();
        int[] calls = {0};
        try (AuditLog log = AuditLog.builder().selfAudit(false).pipeline(fastRetry(5))
                .sink("handler", io.vigil.sink.Sinks.handler(e -> {
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
