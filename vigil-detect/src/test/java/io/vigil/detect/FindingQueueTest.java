package io.vigil.detect;

import io.vigil.AuditLog;
import io.vigil.OverflowPolicy;
import io.vigil.PipelineOptions;
import io.vigil.event.Actor;
import io.vigil.event.AuditEvent;
import io.vigil.event.EventCatalog;
import io.vigil.event.EventIds;
import io.vigil.ledger.LedgerEntry;
import io.vigil.sink.AuditSink;
import io.vigil.sink.EntryPosition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Findings have a queue and a thread of their own: the log's writer hands a finding over and goes on, even when the
 * log's queue is full under {@link OverflowPolicy#BLOCK}, and every finding still reaches the ledger.
 */
class FindingQueueTest {

    private static final Instant T0 = Instant.parse("2025-03-01T09:00:00Z");
    private static final Duration WINDOW = Duration.ofMinutes(1);
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final int THRESHOLD = 3;
    private static final int ACCOUNTS = 6;

    @TempDir
    Path tmp;

    private final List<AuditLog> logs = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();

    @AfterEach
    void closeLogs() {
        logs.forEach(AuditLog::close);
        threads.forEach(Thread::interrupt);
    }

    /**
     * A sink that lets a batch through only when the test hands it a permit: a disk exactly as slow as the test
     * wants. It notes the triggering events it passed while the log's queue was full.
     */
    private static final class GatedSink implements AuditSink {
        final Semaphore permits = new Semaphore(0);
        final Set<UUID> watched = ConcurrentHashMap.newKeySet();
        final AtomicInteger watchedAtFullQueue = new AtomicInteger();
        volatile AuditLog log;

        @Override
        public List<EntryPosition> write(List<AuditEvent> batch) throws IOException {
            try {
                if (!permits.tryAcquire(WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                    throw new IOException("the test gave no permit within " + WAIT);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted at the gate", e);
            }
            for (AuditEvent e : batch) {
                if (watched.contains(e.id()) && log.stats().queueDepth() == log.stats().queueCapacity()) {
                    watchedAtFullQueue.incrementAndGet();
                }
            }
            return List.of();
        }

        @Override
        public void close() {
        }
    }

    @Test
    void aFullLogQueueDoesNotStallTheWriterAndEveryFindingIsWritten() throws Exception {
        DetectionStage stage = DetectionStage.builder().bruteForce(new BruteForceRule(THRESHOLD, WINDOW)).build();
        GatedSink gate = new GatedSink();
        Path dir = tmp.resolve("ledger");
        // A queue of four, one event a batch, and a block timeout far longer than the test: a writer that recorded
        // findings into its own queue would wait here for an hour at the first finding and the test would time out.
        PipelineOptions pipeline = PipelineOptions.DEFAULT.withShutdownHook(false).withQueueCapacity(4)
                .withBatchSize(1).withOverflow(OverflowPolicy.BLOCK).withBlockTimeout(PipelineOptions.MAX_WAIT);
        // No audit.stopped on close: should the writer be stuck after all, closing the log still ends at once.
        AuditLog log = AuditLog.builder().pipeline(pipeline).selfAudit(false)
                .sink("slow", gate).sink("ledger", Ledgers.sink(dir)).sink("detect", stage).build();
        logs.add(log);
        gate.log = log;
        stage.bind(log);

        // Failures for six accounts, three each, each account's third completing a finding (two events).
        Map<String, List<UUID>> failures = new HashMap<>();
        List<AuditEvent> burst = new ArrayList<>();
        for (int a = 0; a < ACCOUNTS; a++) {
            String account = "user" + a;
            for (int i = 0; i < THRESHOLD; i++) {
                Instant at = T0.plusSeconds(a * 10L + i);
                AuditEvent e = AuditEvent.builder(EventCatalog.AUTH_LOGIN_FAILURE).id(EventIds.next(at.toEpochMilli()))
                        .timestamp(at).tenant("acme").actor(Actor.user(account).withIp("203.0.113.7")).build();
                burst.add(e);
                failures.computeIfAbsent(account, k -> new ArrayList<>()).add(e.id());
            }
            gate.watched.add(failures.get(account).get(THRESHOLD - 1));
        }
        Thread producer = new Thread(() -> burst.forEach(log::record), "burst");
        threads.add(producer);
        producer.start();

        // One batch through the gate each time the writer waits there with the log's queue full again, while the
        // burst is still coming.
        long deadline = System.nanoTime() + WAIT.toNanos();
        try {
            while (producer.isAlive()) {
                awaitUntil(() -> gate.permits.hasQueuedThreads() && queueFull(log) || !producer.isAlive(), deadline);
                gate.permits.release();
                awaitUntil(() -> gate.permits.availablePermits() == 0, deadline); // the writer took it
            }
        } finally {
            gate.permits.release(1_000_000);
        }
        assertThat(stage.flush(WAIT)).as("flush").isTrue();

        // The first half of the accounts' completing failures reach the writer while the burst is still coming.
        assertThat(gate.watchedAtFullQueue.get()).as("failures completing a finding handled with the log's queue full")
                .isGreaterThanOrEqualTo(ACCOUNTS / 2);
        assertThat(log.stats().dropped()).isZero();
        assertThat(log.stats().failed()).isZero();
        assertThat(stage.stats().findingsLost()).isZero();
        assertThat(stage.stats().findings()).isEqualTo(2L * ACCOUNTS);

        List<LedgerEntry> entries = Ledgers.entries(dir);
        Map<UUID, Long> seqOf = new HashMap<>();
        entries.forEach(e -> seqOf.put(e.event().id(), e.seq()));
        List<LedgerEntry> found = entries.stream()
                .filter(e -> e.event().type().equals(EventCatalog.SECURITY_BRUTE_FORCE_DETECTED.name())
                        || e.event().type().equals(EventCatalog.AUTH_LOGIN_FAILURE_LIMIT_REACHED.name()))
                .toList();
        assertThat(found).hasSize(2 * ACCOUNTS);
        for (LedgerEntry f : found) {
            String account = f.event().actor().flatMap(Actor::id).orElseThrow();
            List<UUID> causes = failures.get(account);
            assertThat(f.event().details().get("triggeringEventIds"))
                    .isEqualTo(causes.stream().map(UUID::toString).toList());
            assertThat(f.seq()).as("a finding is written after the failures that caused it")
                    .isGreaterThan(seqOf.get(causes.get(THRESHOLD - 1)));
        }
        log.close();
        Ledgers.assertIntact(dir);
    }

    @Test
    void findingsMadeBeforeBindAreRecordedOnBind() throws IOException {
        DetectionStage stage = DetectionStage.builder().bruteForce(new BruteForceRule(2, WINDOW)).build();
        Path dir = tmp.resolve("ledger");
        AuditLog log = AuditLog.builder().pipeline(PipelineOptions.DEFAULT.withShutdownHook(false))
                .sink("ledger", Ledgers.sink(dir)).sink("detect", stage).build();
        logs.add(log);
        // Shown to the stage directly, as the log's writer would before bind: the findings wait in their queue.
        stage.write(List.of(failure("olivia", T0), failure("olivia", T0.plusSeconds(1))));
        assertThat(stage.flush(WAIT)).as("no log bound yet").isFalse();
        stage.bind(log);
        assertThat(stage.flush(WAIT)).isTrue();
        assertThat(Ledgers.entries(dir)).extracting(e -> e.event().type())
                .contains(EventCatalog.SECURITY_BRUTE_FORCE_DETECTED.name(),
                        EventCatalog.AUTH_LOGIN_FAILURE_LIMIT_REACHED.name());
        assertThat(stage.stats().findingsLost()).isZero();
    }

    @Test
    void findingsOfAStageClosedBeforeBindAreCountedLost() {
        DetectionStage stage = DetectionStage.builder().bruteForce(new BruteForceRule(2, WINDOW)).build();
        stage.write(List.of(failure("oscar", T0), failure("oscar", T0.plusSeconds(1))));
        stage.close();
        assertThat(stage.stats().findingsLost()).as("both events of the finding").isEqualTo(2);
        stage.write(List.of(failure("oscar", T0.plusSeconds(2)), failure("oscar", T0.plusSeconds(3))));
        assertThat(stage.stats().findingsLost()).as("and those made after close").isEqualTo(4);
        assertThat(stage.stats().findings()).isEqualTo(4);
    }

    private static AuditEvent failure(String account, Instant at) {
        return AuditEvent.builder(EventCatalog.AUTH_LOGIN_FAILURE).id(EventIds.next(at.toEpochMilli())).timestamp(at)
                .tenant("acme").actor(Actor.user(account).withIp("203.0.113.7")).build();
    }

    private static boolean queueFull(AuditLog log) {
        return log.stats().queueDepth() == log.stats().queueCapacity();
    }

    /** Waits for a condition, looking again every tenth of a millisecond; fails the test at the deadline. */
    private static void awaitUntil(BooleanSupplier condition, long deadlineNanos) {
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadlineNanos > 0) {
                fail("the condition did not hold in time: the writer is stalled");
            }
            LockSupport.parkNanos(100_000);
        }
    }
}
