package io.vigil.bench.child;

import io.vigil.AuditLog;
import io.vigil.AuditStats;
import io.vigil.OverflowPolicy;
import io.vigil.PipelineOptions;
import io.vigil.bench.workload.VigilEvents;
import io.vigil.bench.workload.Workload;
import io.vigil.event.AuditEvent;
import io.vigil.event.EventIds;
import io.vigil.ledger.FileLayout;
import io.vigil.ledger.FileLedger;
import io.vigil.ledger.LedgerOptions;
import io.vigil.ledger.LedgerSink;
import io.vigil.ledger.LedgerStore;
import io.vigil.ledger.LedgerVerifier;
import io.vigil.ledger.VerificationReport;
import io.vigil.ledger.checkpoint.SigningKey;
import io.vigil.ledger.checkpoint.VerifierKey;
import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/**
 * One measurement of the ledger in a fresh JVM, for {@link io.vigil.bench.LedgerBench}; prints one {@code RESULT}
 * line. Modes: {@code write DIR EVENTS SEED} (durable, chained, signed, through the real pipeline),
 * {@code build DIR EVENTS SEED} (straight into the store, to make a large ledger quickly), {@code verify DIR SEED},
 * {@code open DIR SEED PROOFS} (open time and inclusion-proof latency), {@code disk DIR MIB} (sequential write
 * bandwidth of the same disk, fsync at the end).
 */
public final class LedgerChild {
    static final String ORIGIN = "bench.vigil.example/ledger";

    private LedgerChild() {
    }

    static SigningKey key(long seed) {
        byte[] s = new byte[32];
        new SplittableRandom(seed).nextBytes(s);
        return SigningKey.fromSeed("bench", s);
    }

    static LedgerOptions options(long seed) {
        return LedgerOptions.defaults(ORIGIN).withSigningKey(key(seed)).withCheckpoints(10_000, Duration.ofSeconds(60));
    }

    public static void main(String[] args) throws Exception {
        String mode = args[0];
        Path dir = Path.of(args[1]);
        switch (mode) {
            case "write" -> write(dir, Long.parseLong(args[2]), Long.parseLong(args[3]));
            case "build" -> build(dir, Long.parseLong(args[2]), Long.parseLong(args[3]));
            case "verify" -> verify(dir, Long.parseLong(args[2]));
            case "open" -> open(dir, Long.parseLong(args[2]), Integer.parseInt(args[3]));
            case "disk" -> disk(dir, Integer.parseInt(args[2]));
            default -> throw new IllegalArgumentException("unknown mode " + mode);
        }
    }

    private static void write(Path dir, long events, long seed) throws Exception {
        Workload workload = new Workload(seed);
        PipelineOptions pipeline = PipelineOptions.DEFAULT.withShutdownHook(false).withQueueCapacity(VigilWriter.QUEUE)
                .withOverflow(OverflowPolicy.BLOCK).withBlockTimeout(Duration.ofSeconds(60))
                .withShutdownTimeout(Duration.ofMinutes(5));
        LedgerStore store = FileLedger.open(dir, options(seed));
        AuditLog audit = AuditLog.builder().selfAudit(false).pipeline(pipeline).sink("ledger", new LedgerSink(store))
                .build();
        CpuMeter cpu = CpuMeter.start();
        long start = System.nanoTime();
        for (long i = 0; i < events; i++) {
            audit.record(VigilEvents.builder(workload.event(i)));
        }
        if (!audit.flush(Duration.ofMinutes(10))) {
            throw new IllegalStateException("flush timed out");
        }
        long nanos = System.nanoTime() - start;
        AuditStats stats = audit.stats();
        long size = store.size();
        audit.close();
        System.out.printf(Locale.ROOT, "RESULT nanos=%d entries=%d bytes=%d lost=%d others=%.4f%n", nanos, size,
                segmentBytes(dir), stats.dropped() + stats.failed(), cpu.othersShare(nanos));
    }

    private static void build(Path dir, long events, long seed) throws Exception {
        Workload workload = new Workload(seed);
        long start = System.nanoTime();
        try (LedgerStore store = FileLedger.open(dir, options(seed))) {
            List<AuditEvent> batch = new ArrayList<>(8192);
            for (long i = 0; i < events; i++) {
                Instant t = Instant.ofEpochMilli(1_770_000_000_000L + i);
                batch.add(VigilEvents.builder(workload.event(i)).timestamp(t).id(EventIds.next(t.toEpochMilli())).build());
                if (batch.size() == 8192) {
                    store.append(batch);
                    batch.clear();
                }
            }
            store.append(batch);
        }
        System.out.printf(Locale.ROOT, "RESULT nanos=%d entries=%d bytes=%d%n", System.nanoTime() - start, events,
                segmentBytes(dir));
    }

    private static void verify(Path dir, long seed) throws Exception {
        // A verifier is given the public key; deriving it from the bench's seed is not part of verifying.
        VerifierKey publicKey = key(seed).verifierKey();
        long start = System.nanoTime();
        VerificationReport r = LedgerVerifier.of(dir).key(publicKey).verify();
        long nanos = System.nanoTime() - start;
        System.out.printf(Locale.ROOT, "RESULT nanos=%d entries=%d intact=%s checkpoints=%d%n", nanos, r.entries(),
                r.intact(), r.checkpointsVerified());
    }

    private static void open(Path dir, long seed, int proofs) throws Exception {
        long start = System.nanoTime();
        LedgerStore store = FileLedger.open(dir, options(seed));
        long openNanos = System.nanoTime() - start;
        long size = store.size();
        Histogram h = new Histogram(3);
        SplittableRandom r = new SplittableRandom(seed);
        for (int i = 0; i < proofs; i++) {
            long seq = r.nextLong(size);
            long t0 = System.nanoTime();
            store.inclusionProof(seq, size);
            h.recordValue(System.nanoTime() - t0);
        }
        store.close();
        System.out.printf(Locale.ROOT, "RESULT openNanos=%d entries=%d proofP50=%d proofP99=%d proofMax=%d%n", openNanos,
                size, h.getValueAtPercentile(50), h.getValueAtPercentile(99), h.getMaxValue());
    }

    private static void disk(Path dir, int mib) throws IOException {
        Files.createDirectories(dir);
        Path f = dir.resolve("disk-bandwidth.tmp");
        ByteBuffer chunk = ByteBuffer.allocateDirect(1 << 20);
        new SplittableRandom(1).nextBytes(new byte[0]);
        while (chunk.hasRemaining()) {
            chunk.put((byte) 'x');
        }
        long start = System.nanoTime();
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            for (int i = 0; i < mib; i++) {
                chunk.flip();
                chunk.position(0).limit(chunk.capacity());
                while (chunk.hasRemaining()) {
                    ch.write(chunk);
                }
            }
            ch.force(true);
        }
        long nanos = System.nanoTime() - start;
        Files.delete(f);
        System.out.printf(Locale.ROOT, "RESULT nanos=%d bytes=%d%n", nanos, (long) mib << 20);
    }

    private static long segmentBytes(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(FileLayout.of(dir).segments())) {
            long total = 0;
            for (Path p : (Iterable<Path>) s::iterator) {
                total += Files.size(p);
            }
            return total;
        }
    }
}
