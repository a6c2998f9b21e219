package io.vigil.bench.child;

import io.vigil.AuditLog;
import io.vigil.AuditStats;
import io.vigil.OverflowPolicy;
import io.vigil.PipelineOptions;
import io.vigil.bench.workload.VigilEvents;
import io.vigil.bench.workload.Workload;
import io.vigil.detect.DetectionReplay;
import io.vigil.detect.DetectionStage;
import io.vigil.detect.DetectionStats;
import io.vigil.detect.DetectorState;
import io.vigil.detect.Sighting;
import io.vigil.detect.WindowCount;
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
 *   <li>{@code pipeline DIR WARMUP EVENTS SEED on|off|rules}: the workload through {@code AuditLog} into a durable
 *       file ledger, with the detection stage (every detector at its default rule) registered on the log, without it,
 *       or with it and a state that keeps nothing;
 *       the first {@code WARMUP} events are written and flushed untimed, so that the timed {@code EVENTS} measure a
 *       running service rather than the JIT compiler at work (on two CPUs it takes one of them for the first
 *       several seconds);</li>
 *   <li>{@code replay EVENTS SEED}: the workload, stamped 100 events a millisecond, straight through
 *       {@code DetectionReplay} on this thread, rounds alternating between the default state and a state that keeps
 *       nothing (every detector then runs its rule on every event but finds no history): what the rules cost and what
 *       the state costs, apart from the ledger and the pipeline;</li>
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
                    Long.parseLong(args[4]), args[5]);
            case "replay" -> replay(Integer.parseInt(args[1]), Long.parseLong(args[2]));
            case "heap" -> heap(Integer.parseInt(args[1]));
            default -> throw new IllegalArgumentException("unknown mode " + args[0]);
        }
    }

    private static void pipeline(Path dir, long warmup, long events, long seed, String side) throws Exception {
        if (!List.of("on", "off", "rules").contains(side)) {
            throw new IllegalArgumentException("side " + side + ": expected on, off or rules");
        }
        boolean detect = !side.equals("off");
        Workload workload = new Workload(seed);
        PipelineOptions pipeline = PipelineOptions.DEFAULT.withShutdownHook(false).withQueueCapacity(VigilWriter.QUEUE)
                .withOverflow(OverflowPolicy.BLOCK).withBlockTimeout(Duration.ofSeconds(60))
                .withShutdownTimeout(Duration.ofMinutes(5));
        LedgerStore store = FileLedger.open(dir, LedgerChild.options(seed));
        AuditLog.Builder builder = AuditLog.builder().selfAudit(false).pipeline(pipeline)
                .sink("ledger", new LedgerSink(store));
        DetectionStage.Builder stages = DetectionStage.builder().allDefaults();
        if (side.equals("rules")) {
            stages.state(new NothingKept());
        }
        DetectionStage stage = stages.build();
        if (detect) {
            builder.sink("detect", stage);
        }
        AuditLog audit = builder.build();
        if (detect) {
            stage.bind(audit);
        }
        for (long i = 0; i < warmup; i++) {
            audit.record(VigilEvents.builder(workload.event(i)));
        }
        flush(audit, detect ? stage : null);
        long findingsBefore = stage.stats().findings();
        CpuMeter cpu = CpuMeter.start();
        long start = System.nanoTime();
        for (long i = warmup; i < warmup + events; i++) {
            audit.record(VigilEvents.builder(workload.event(i)));
        }
        flush(audit, detect ? stage : null);
        long nanos = System.nanoTime() - start;
        long cpuNanos = cpu.ownCpuSince();
        AuditStats stats = audit.stats();
        DetectionStats found = stage.stats();
        long size = store.size();
        audit.close();
        System.out.printf(Locale.ROOT, "RESULT nanos=%d cpuNanos=%d entries=%d lost=%d findings=%d findingsLost=%d "
                        + "others=%.4f%n", nanos, cpuNanos, size, stats.dropped() + stats.failed(),
                found.findings() - findingsBefore, found.findingsLost(), cpu.othersShare(nanos));
    }

    /** Waits until everything recorded is written; with a stage, also the findings the last events caused. */
    private static void flush(AuditLog audit, DetectionStage stage) {
        boolean flushed = stage != null ? stage.flush(Duration.ofMinutes(10)) : audit.flush(Duration.ofMinutes(10));
        if (!flushed) {
            throw new IllegalStateException("flush timed out");
        }
    }

    private static void replay(int events, long seed) {
        Workload workload = new Workload(seed);
        List<AuditEvent> stream = new ArrayList<>(events);
        long t0 = Instant.parse("2026-01-29T09:00:00Z").toEpochMilli();
        for (int i = 0; i < events; i++) {
            long ms = t0 + i / 100;
            stream.add(VigilEvents.builder(workload.event(i)).id(EventIds.next(ms)).timestamp(Instant.ofEpochMilli(ms))
                    .build());
        }
        int rounds = 6; // the first two warm the compiler up; the best of the rest counts
        long stateful = Long.MAX_VALUE;
        long stateless = Long.MAX_VALUE;
        CpuMeter cpu = CpuMeter.start();
        long begin = System.nanoTime();
        for (int r = 0; r < rounds; r++) {
            for (boolean real : new boolean[] {true, false}) {
                DetectionStage.Builder b = DetectionStage.builder().allDefaults();
                if (!real) {
                    b.state(new NothingKept());
                }
                DetectionReplay replay = b.buildReplay();
                long start = System.nanoTime();
                for (AuditEvent e : stream) {
                    replay.inspect(e);
                }
                long nanos = System.nanoTime() - start;
                if (r >= 2) {
                    if (real) {
                        stateful = Math.min(stateful, nanos);
                    } else {
                        stateless = Math.min(stateless, nanos);
                    }
                }
            }
        }
        System.out.printf(Locale.ROOT, "RESULT statefulNanos=%d statelessNanos=%d events=%d others=%.4f%n", stateful,
                stateless, events, cpu.othersShare(System.nanoTime() - begin));
    }

    /** A state that keeps nothing: each slot is empty before every operation. Measures the rules without history. */
    private static final class NothingKept implements DetectorState {
        @Override
        public Subject subject(String key) {
            return new Subject() {
                @Override
                public List<Sighting> append(String slot, Sighting sighting, Duration window, int keep) {
                    return List.of(sighting);
                }

                @Override
                public List<Sighting> take(String slot, Instant at, Duration window) {
                    return List.of();
                }

                @Override
                public List<Sighting> remember(String slot, Sighting sighting, Duration window, int keep) {
                    return List.of();
                }

                @Override
                public WindowCount count(String slot, Sighting sighting, Duration window, int keepFirst) {
                    return new WindowCount(sighting.timestamp(), 1, List.of());
                }
            };
        }

        @Override
        public long keys() {
            return 0;
        }
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
        stage.close(); // lets the detection thread finish the batches it was handed
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
