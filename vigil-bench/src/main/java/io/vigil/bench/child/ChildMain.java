package io.vigil.bench.child;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.bench.workload.Workload;
import io.vigil.sink.FsyncPolicy;

import java.io.BufferedReader;
import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Writes the workload through one logging stack and prints one {@code RESULT} line for
 * {@link io.vigil.bench.JsonlThroughput}. Usage: {@code ChildMain IMPL THREADS EVENTS FILE [SEED]}, IMPL one of
 * {@link #IMPLS}. The time runs from releasing the producers until the stack reports everything written and stopped.
 * Afterwards the file's lines are counted and the first and last lines parsed, so a stack that lost or mangled
 * events fails the run instead of looking fast.
 */
public final class ChildMain {
    /** The implementations a child can run. */
    public static final List<String> IMPLS = List.of("vigil-none", "vigil-batch", "log4j2", "logback");

    private ChildMain() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 4) {
            System.err.println("usage: ChildMain " + String.join("|", IMPLS) + " THREADS EVENTS FILE [SEED]");
            System.exit(2);
        }
        String impl = args[0];
        int threads = Integer.parseInt(args[1]);
        long events = Long.parseLong(args[2]);
        Path file = Path.of(args[3]);
        long seed = args.length > 4 ? Long.parseLong(args[4]) : Workload.DEFAULT_SEED;
        Files.deleteIfExists(file); // Vigil appends; every stack must start from an empty file
        Files.createDirectories(file.toAbsolutePath().getParent());

        StackWriter writer = switch (impl) {
            case "vigil-none" -> new VigilWriter(FsyncPolicy.NONE);
            case "vigil-batch" -> new VigilWriter(FsyncPolicy.BATCH);
            case "log4j2" -> new Log4jWriter();
            case "logback" -> new LogbackWriter();
            default -> throw new IllegalArgumentException("unknown implementation " + impl + "; one of " + IMPLS);
        };
        Workload workload = new Workload(seed);
        writer.open(file);

        CountDownLatch go = new CountDownLatch(1);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Thread> producers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            long from = events * t / threads;
            long to = events * (t + 1) / threads;
            Thread p = new Thread(() -> {
                try {
                    go.await();
                    for (long i = from; i < to; i++) {
                        writer.write(workload.event(i));
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            }, "producer-" + t);
            p.start();
            producers.add(p);
        }
        long gcCountBefore = gcCount();
        long gcMillisBefore = gcMillis();
        CpuMeter cpu = CpuMeter.start();
        long start = System.nanoTime();
        go.countDown();
        for (Thread p : producers) {
            p.join();
        }
        writer.finish();
        long nanos = System.nanoTime() - start;
        double othersShare = cpu.othersShare(nanos);
        long gcs = gcCount() - gcCountBefore;
        long gcMillis = gcMillis() - gcMillisBefore;
        if (failure.get() != null) {
            throw new IllegalStateException("a producer failed", failure.get());
        }

        long bytes = Files.size(file);
        long lines = countLines(file);
        String check = checkLines(file);
        System.out.printf(Locale.ROOT, "RESULT impl=%s threads=%d events=%d nanos=%d bytes=%d lines=%d lost=%d check=%s "
                        + "gcs=%d gcMillis=%d others=%.4f%n",
                impl, threads, events, nanos, bytes, lines, writer.reportedLost(), check, gcs, gcMillis, othersShare);
        System.exit(lines == events && check.equals("ok") ? 0 : 1);
    }

    /** Collections so far, all collectors; with {@link #gcMillis} it shows how much of a row's time is GC. */
    private static long gcCount() {
        long n = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            n += Math.max(0, gc.getCollectionCount());
        }
        return n;
    }

    /** Time in collections so far (for G1: pauses, not concurrent work). */
    private static long gcMillis() {
        long n = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            n += Math.max(0, gc.getCollectionTime());
        }
        return n;
    }

    private static long countLines(Path file) throws IOException {
        long lines = 0;
        ByteBuffer buf = ByteBuffer.allocateDirect(1 << 20);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            while (ch.read(buf) > 0) {
                buf.flip();
                while (buf.hasRemaining()) {
                    if (buf.get() == '\n') {
                        lines++;
                    }
                }
                buf.clear();
            }
        }
        return lines;
    }

    /** "ok" when the first and last lines are JSON objects with the audit fields, else what is wrong. */
    private static String checkLines(Path file) throws IOException {
        String first;
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            first = r.readLine();
        }
        String last = lastLine(file);
        if (first == null) {
            return "empty";
        }
        ObjectMapper json = new ObjectMapper();
        for (String line : new String[] {first, last}) {
            JsonNode n = json.readTree(line);
            for (String field : new String[] {"timestamp", "type", "outcome", "requestId"}) {
                if (!n.path(field).isTextual()) {
                    return "missing-" + field;
                }
            }
            if (!n.path("actor").path("ip").isTextual() || !n.path("details").isObject()) {
                return "missing-nested-fields";
            }
        }
        return "ok";
    }

    /** The last line without reading the whole file (lines are far shorter than the tail read). */
    private static String lastLine(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            int n = (int) Math.min(size, 64 * 1024);
            ByteBuffer buf = ByteBuffer.allocate(n);
            ch.read(buf, size - n);
            String tail = new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8);
            if (tail.endsWith("\n")) {
                tail = tail.substring(0, tail.length() - 1);
            }
            return tail.substring(tail.lastIndexOf('\n') + 1);
        }
    }
}
