package io.vigil;

import ch.qos.logback.classic.Level;
import io.vigil.event.AuditEvent;
import io.vigil.event.EventCatalog;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OverflowPolicyTest {

    private final ManualTime time = new ManualTime();

    private AuditLog gated(TestSinks.Gate gate, OverflowPolicy policy, Duration blockTimeout) {
        return AuditLog.builder().selfAudit(false).ticker(time).sleeper(time)
                .pipeline(PipelineOptions.DEFAULT.withQueueCapacity(8).withBatchSize(1).withOverflow(policy)
                        .withBlockTimeout(blockTimeout).withShutdownHook(false).withShutdownTimeout(Duration.ofSeconds(5)))
                .sink("gate", gate).build();
    }

    private static AuditEvent.Builder event(int n) {
        return AuditEvent.builder(EventCatalog.AUTH_LOGIN_FAILURE).requestId("req-" + n);
    }

    /** Fills the queue while the writer is stuck in the gate's first write. */
    private static List<CompletableFuture<AuditReceipt>> fill(AuditLog log, TestSinks.Gate gate) throws Exception {
        List<CompletableFuture<AuditReceipt>> accepted = new ArrayList<>();
        accepted.add(log.record(event(-1)));
        assertThat(gate.entered.await(10, TimeUnit.SECONDS)).isTrue();
        for (int i = 0; i < 8; i++) {
            accepted.add(log.record(event(i)));
        }
        return accepted;
    }

    @Test
    void dropCountsWarnsAndCompletesTheReceiptExceptionallyWithoutThrowing() throws Exception {
        TestSinks.Gate gate = new TestSinks.Gate();
        try (LogCapture logs = new LogCapture(); AuditLog log = gated(gate, OverflowPolicy.DROP, Duration.ZERO)) {
            List<CompletableFuture<AuditReceipt>> accepted = fill(log, gate);
            CompletableFuture<AuditReceipt> dropped = log.record(event(99));
            assertThat(dropped).isCompletedExceptionally();
            assertThatThrownBy(dropped::get).hasCauseInstanceOf(AuditOverflowException.class);
            assertThat(log.stats().dropped()).isEqualTo(1);
            assertThat(logs.lines(Level.WARN)).anySatisfy(l -> assertThat(l).contains("dropped").contains("req-99"));
            gate.open.countDown();
            for (CompletableFuture<AuditReceipt> f : accepted) {
                assertThat(f.get(10, TimeUnit.SECONDS).status()).isEqualTo(AuditReceipt.Status.WRITTEN);
            }
            assertThat(gate.delegate.snapshot()).hasSize(accepted.size());
        }
    }

    @Test
    void failThrowsToTheCallerSoTheActionCanFailClosed() throws Exception {
        TestSinks.Gate gate = new TestSinks.Gate();
        try (AuditLog log = gated(gate, OverflowPolicy.FAIL, Duration.ZERO)) {
            fill(log, gate);
            assertThatThrownBy(() -> log.record(event(99))).isInstanceOf(AuditOverflowException.class)
                    .hasMessageContaining("queue full");
            assertThat(log.stats().dropped()).isEqualTo(1);
            gate.open.countDown();
        }
    }

    /** Records on a thread of its own, which waits for room under BLOCK; the future completes when record returns. */
    private static CompletableFuture<CompletableFuture<AuditReceipt>> recordOn(String thread, AuditLog log, int n) {
        CompletableFuture<CompletableFuture<AuditReceipt>> returned = new CompletableFuture<>();
        new Thread(() -> returned.complete(log.record(event(n))), thread).start();
        return returned;
    }

    /** Waits (by the recording thread's own polls, not by the clock) until it has looked for room many times. */
    private void awaitPolls(String thread, long polls) {
        long from = time.parks(thread);
        while (time.parks(thread) < from + polls) {
            Thread.onSpinWait();
        }
    }

    @Test
    void blockWaitsForRoomAndSucceedsWhenTheWriterCatchesUp() throws Exception {
        TestSinks.Gate gate = new TestSinks.Gate();
        try (AuditLog log = gated(gate, OverflowPolicy.BLOCK, Duration.ofSeconds(30))) {
            fill(log, gate);
            CompletableFuture<CompletableFuture<AuditReceipt>> returned = recordOn("producer", log, 99);
            awaitPolls("producer", 50);
            assertThat(returned).as("waiting for room").isNotDone();
            gate.open.countDown();
            CompletableFuture<AuditReceipt> late = returned.get(10, TimeUnit.SECONDS);
            assertThat(late.get(10, TimeUnit.SECONDS).status()).isEqualTo(AuditReceipt.Status.WRITTEN);
            assertThat(log.stats().dropped()).isZero();
        }
    }

    @Test
    void blockGivesUpAfterItsTimeoutAndCountsTheDrop() throws Exception {
        TestSinks.Gate gate = new TestSinks.Gate();
        try (AuditLog log = gated(gate, OverflowPolicy.BLOCK, Duration.ofMillis(50))) {
            fill(log, gate);
            CompletableFuture<CompletableFuture<AuditReceipt>> returned = recordOn("producer", log, 99);
            awaitPolls("producer", 10);
            time.advance(Duration.ofMillis(49));
            awaitPolls("producer", 50);
            assertThat(returned).as("49 ms into a 50 ms wait").isNotDone();
            time.advance(Duration.ofMillis(1));
            CompletableFuture<AuditReceipt> late = returned.get(10, TimeUnit.SECONDS);
            assertThatThrownBy(late::get).isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(AuditOverflowException.class);
            assertThat(log.stats().dropped()).isEqualTo(1);
            gate.open.countDown();
        }
    }

    @Test
    void recordAfterCloseIsVisibleNotSilent() throws Exception {
        AuditLog log = AuditLog.builder().selfAudit(false)
                .pipeline(PipelineOptions.DEFAULT.withShutdownHook(false)).sink("c", new TestSinks.Collecting()).build();
        log.close();
        CompletableFuture<AuditReceipt> r = log.record(event(1));
        assertThat(r).isCompletedExceptionally();
        assertThat(log.stats().dropped()).isEqualTo(1);
    }
}
