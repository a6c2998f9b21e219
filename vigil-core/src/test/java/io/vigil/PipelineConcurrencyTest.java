package io.vigil;

import io.vigil.event.Actor;
import io.vigil.event.AuditEvent;
import io.vigil.event.EventCatalog;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReferenceArray;

import static org.assertj.core.api.Assertions.assertThat;

class PipelineConcurrencyTest {

    @Test
    void sixteenThreadsOfOneHundredThousandEventsArriveOnceAndInThreadOrder() throws Exception {
        int threads = 16;
        int perThread = 100_000;
        TestSinks.Collecting sink = new TestSinks.Collecting();
        try (AuditLog log = AuditLog.builder().selfAudit(false)
                .pipeline(PipelineOptions.DEFAULT.withBlockTimeout(Duration.ofSeconds(60)).withShutdownHook(false))
                .sink("collect", sink).build()) {
            CountDownLatch start = new CountDownLatch(1);
            AtomicReferenceArray<CompletableFuture<AuditReceipt>> lastReceipt = new AtomicReferenceArray<>(threads);
            List<Thread> workers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                Thread w = new Thread(() -> {
                    try {
                        start.await();
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                    for (int i = 0; i < perThread; i++) {
                        lastReceipt.set(thread, log.record(AuditEvent.builder(EventCatalog.AUTH_LOGIN_SUCCESS)
                                .actor(Actor.user("u" + thread)).detail("thread", thread).detail("n", i)));
                    }
                });
                w.start();
                workers.add(w);
            }
            start.countDown();
            for (Thread w : workers) {
                w.join();
            }
            for (int t = 0; t < threads; t++) {
                assertThat(lastReceipt.get(t).get().status()).isEqualTo(AuditReceipt.Status.WRITTEN);
            }
            assertThat(log.flush(Duration.ofSeconds(60))).isTrue();

            List<AuditEvent> got = sink.snapshot();
            assertThat(got).hasSize(threads * perThread);
            long[] next = new long[threads];
            Set<UUID> ids = new HashSet<>(got.size() * 2);
            for (AuditEvent e : got) {
                int t = ((Number) e.details().get("thread")).intValue();
                long n = ((Number) e.details().get("n")).longValue();
                assertThat(n).as("order of thread %d", t).isEqualTo(next[t]);
                next[t]++;
                ids.add(e.id());
            }
            assertThat(next).containsOnly(perThread);
            assertThat(ids).as("no duplicates").hasSize(threads * perThread);
            AuditStats stats = log.stats();
            assertThat(stats.recorded()).isEqualTo((long) threads * perThread);
            assertThat(stats.dropped()).isZero();
            assertThat(stats.failed()).isZero();
            assertThat(stats.written()).isEqualTo((long) threads * perThread);
        }
    }
}
