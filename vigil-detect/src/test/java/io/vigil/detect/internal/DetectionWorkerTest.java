package io.vigil.detect.internal;

import io.vigil.event.Actor;
import io.vigil.event.AuditEvent;
import io.vigil.event.EventCatalog;
import io.vigil.event.EventIds;
import io.vigil.internal.time.Ticker;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/** The detection thread: order, backpressure instead of loss, draining on close, and a failing batch survived. */
class DetectionWorkerTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Instant T0 = Instant.parse("2025-03-01T09:00:00Z");

    private static List<AuditEvent> batch(int from, int size) {
        List<AuditEvent> events = new ArrayList<>();
        for (int i = from; i < from + size; i++) {
            Instant at = T0.plusMillis(i);
            events.add(AuditEvent.builder(EventCatalog.AUTH_LOGIN_FAILURE).id(EventIds.next(at.toEpochMilli()))
                    .timestamp(at).actor(Actor.user("user-" + i)).build());
        }
        return events;
    }

    private static DetectionWorker worker(int capacity, Consumer<List<AuditEvent>> inspect) {
        return new DetectionWorker(capacity, inspect, DetectionWorker.daemonThreads(), Ticker.system());
    }

    @Test
    void inspectsEveryBatchOnceInOrderOnItsOwnThread() {
        List<AuditEvent> seen = Collections.synchronizedList(new ArrayList<>());
        List<String> threads = Collections.synchronizedList(new ArrayList<>());
        DetectionWorker worker = worker(4, b -> {
            threads.add(Thread.currentThread().getName());
            seen.addAll(b);
        });
        List<AuditEvent> sent = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            List<AuditEvent> b = new ArrayList<>(batch(i * 10, 10));
            sent.addAll(b);
            worker.submit(b);
            b.clear(); // the writer reuses its list: the worker must have copied it
        }
        worker.submit(List.of());
        assertThat(worker.awaitInspected(WAIT)).isTrue();
        assertThat(seen).containsExactlyElementsOf(sent);
        assertThat(threads).hasSize(100).containsOnly("vigil-detect");
        assertThat(worker.close(WAIT)).isTrue();
    }

    @Test
    void aWriterAheadOfDetectionWaitsForRoomAndNothingIsLost() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger inspected = new AtomicInteger();
        DetectionWorker worker = worker(2, b -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            inspected.addAndGet(b.size());
        });
        // One batch held by the thread, two queued: the fourth must wait.
        CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
            for (int i = 0; i < 4; i++) {
                worker.submit(batch(i, 1));
            }
        });
        assertThat(waitsStill(writer)).as("the writer waits for room").isTrue();
        release.countDown();
        writer.get(30, TimeUnit.SECONDS);
        assertThat(worker.awaitInspected(WAIT)).isTrue();
        assertThat(inspected.get()).isEqualTo(4);
        worker.close(WAIT);
    }

    private static boolean waitsStill(CompletableFuture<Void> writer) throws InterruptedException {
        Thread.sleep(300); // long enough for four unblocked submits many times over
        return !writer.isDone();
    }

    @Test
    void closeInspectsWhatIsQueuedAndLaterBatchesOnTheCallersThread() {
        List<String> threads = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger inspected = new AtomicInteger();
        DetectionWorker worker = worker(64, b -> {
            threads.add(Thread.currentThread().getName());
            inspected.addAndGet(b.size());
        });
        for (int i = 0; i < 50; i++) {
            worker.submit(batch(i * 2, 2));
        }
        assertThat(worker.close(WAIT)).isTrue();
        assertThat(inspected.get()).as("everything queued before close").isEqualTo(100);
        worker.submit(batch(0, 3));
        assertThat(inspected.get()).isEqualTo(103);
        assertThat(threads.get(threads.size() - 1)).isEqualTo(Thread.currentThread().getName());
        assertThat(worker.close(WAIT)).as("closing twice is harmless").isTrue();
    }

    @Test
    void aBatchThatThrowsIsReportedAndTheThreadGoesOn() {
        AtomicInteger inspected = new AtomicInteger();
        DetectionWorker worker = worker(4, b -> {
            if (b.size() == 2) {
                throw new IllegalStateException("boom");
            }
            inspected.addAndGet(b.size());
        });
        worker.submit(batch(0, 1));
        worker.submit(batch(1, 2));
        worker.submit(batch(3, 1));
        assertThat(worker.awaitInspected(WAIT)).as("the failed batch counts as done").isTrue();
        assertThat(inspected.get()).isEqualTo(2);
        worker.close(WAIT);
    }
}
