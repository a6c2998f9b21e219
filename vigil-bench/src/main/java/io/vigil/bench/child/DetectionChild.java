package io.vigil.bench.child;

import io.vigil.AuditLog;
import io.vigil.AuditStats;
import io.vigil.OverflowPolicy;
import io.vigil.PipelineOptions;
import io.vigil.bench.workload.VigilEvents;
import io.vigil.bench.workload.Workload;
import io.vigil.detect.DetectionStage;
import io.vigil.detect.DetectionStats;
import io.vigil.detect.DetectorState;
import io.vigil.event.Actor;
import io.vigil.event.AuditEvent;
import io.vigil.event.EventCatalog;
import io.vigil.event.EventIds;
import io.vigil.ledger.FileLedger;
import io.vigil.ledger.LedgerSink;
import io.vigil.ledger.LedgerStore;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.ref.Reference;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One measurement of detection in a fresh JVM, for {@link io.vigil.bench.DetectionBench}; prints one {@code RESULT}
 * line. Modes:
 * <ul>
 *   <li>{@code pipeline DIR EVENTS SEED on|off}: the workload through {@code AuditLog} into a durable file ledger,
 *       with the detection stage (every detector at its default rule) registered on the log, or without it;</li>
 *   <li>{@code heap EVENTS}: that many failed logins, each from an account and an address of its own, straight into
 *       the stage, and the heap still reachable afterwards.</li>
 * </ul>
 */
public final class DetectionChild {
    /** The default state's bound on keys (DetectionStage.Builder#state). */
    private static final long DEFAULT_MAXIMUM_KEYS = 100_000;
    private static final Duration LONGEST_DEFAULT_WINDOW = Duration.ofMinutes(15);

    private DetectionChild() {
    }

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "pipeline" -> pipeline(Path.of(args[1]), Long.parseLong(args[2]), Long.parseLong(args[3]),
                    "on".equals(args[4]));
            case "heap" -> heap(Integer.parseInt(args[1]));
            default -> throw new IllegalArgumentException("unknown mode " + args[0]);
        }
    }

    private static void pipeline(Path dir, long events, long seed, boolean detect) throws Exception {
        Workload workload = new Workload(seed);
        PipelineOptions pipeline = PipelineOptions.DEFAULT.withShutdownHook(false).withQueueCapacity(VigilWriter.QUEUE)
                .withOverflow(OverflowPolicy.BLOCK).withBlockTimeout(Duration.ofSeconds(60))
                .withShutdownTimeout(Duration.ofMinutes(5));
        LedgerStore store = FileLedger.open(dir, LedgerChild.options(seed));
        AuditLog.Builder builder = AuditLog.builder().selfAudit(false).pipeline(pipeline)
                .sink("ledger", new LedgerSink(store));
        DetectionStage stage = DetectionStage.builder().allDefaults().build();
        if (detect) {
            builder.sink("detect", stage);
        }
        AuditLog audit = builder.build();
        if (detect) {
            stage.bind(audit);
        }
        CpuMeter cpu = CpuMeter.start();
        long start = System.nanoTime();
        for (long i = 0; i < events; i++) {
            audit.record(VigilEvents.builder(workload.event(i)));
        }
        // The stage's flush also waits for the findings the last events caused.
        boolean flushed = detect ? stage.flush(Duration.ofMinutes(10)) : audit.flush(Duration.ofMinutes(10));
        if (!flushed) {
            throw new IllegalStateException("flush timed out");
        }
        long nanos = System.nanoTime() - start;
        AuditStats stats = audit.stats();
        DetectionStats found = stage.stats();
        long size = store.size();
        audit.close();
        System.out.printf(Locale.ROOT, "RESULT nanos=%d entries=%d lost=%d findings=%d findingsLost=%d others=%.4f%n",
                nanos, size, stats.dropped() + stats.failed(), found.findings(), found.findingsLost(),
                cpu.othersShare(nanos));
    }

    private static void heap(int events) {
        // The default state, built here only so that its keys can be counted.
        DetectorState state = DetectorState.inMemory(DEFAULT_MAXIMUM_KEYS, LONGEST_DEFAULT_WINDOW);
        long before = retainedHeap();
        DetectionStage stage = DetectionStage.builder().allDefaults().state(state).build();
        CpuMeter cpu = CpuMeter.start();
        long start = System.nanoTime();
        Instant t0 = Instant.parse("2026-01-29T09:00:00Z");
        List<AuditEvent> batch = new ArrayList<>(1_024);
        for (int i = 0; i < events; i++) {
            Instant at = t0.plusMillis(i);
            String ip = "10." + ((i >>> 16) & 0xFF) + '.' + ((i >>> 8) & 0xFF) + '.' + (i & 0xFF);
            batch.add(AuditEvent.builder(EventCatalog.AUTH_LOGIN_FAILURE).id(EventIds.next(at.toEpochMilli()))
                    .timestamp(at).tenant("bench").actor(Actor.user("user-" + i).withIp(ip)).build());
            if (batch.size() == 1_024) {
                stage.write(batch);
                batch = new ArrayList<>(1_024);
            }
        }
        stage.write(batch);
        batch = null;
        long nanos = System.nanoTime() - start;
        long keys = state.keys();
        long retained = retainedHeap() - before;
        Reference.reachabilityFence(stage);
        System.out.printf(Locale.ROOT, "RESULT nanos=%d events=%d keys=%d maxKeys=%d retained=%d errors=%d others=%.4f%n",
                nanos, events, keys, DEFAULT_MAXIMUM_KEYS, retained, stage.stats().errors(), cpu.othersShare(nanos));
    }

    /** Heap in use after full collections: what is still reachable. */
    private static long retainedHeap() {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        for (int i = 0; i < 3; i++) {
            memory.gc();
        }
        return memory.getHeapMemoryUsage().getUsed();
    }
}
