package io.vigil.bench.gateway;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * A closed-loop load: each of N threads owns one keep-alive connection and sends its request as soon as the previous
 * response has arrived, recording each response time (request written to response read) in nanoseconds. Intervals
 * ({@link #interval()}) split what is discarded from what is measured without stopping the load.
 */
public final class ClosedLoopLoad implements AutoCloseable {
    /** What happened between two calls of {@link #interval()}. */
    public record Interval(Histogram latencyNanos, long ok, Map<Integer, Long> otherStatuses, long ioErrors,
                           long nanos) {
        public long nonOk() {
            return ioErrors + otherStatuses.values().stream().mapToLong(Long::longValue).sum();
        }

        public double okPerSecond() {
            return ok / (nanos / 1e9);
        }
    }

    private final Recorder latency = new Recorder(3);
    private final LongAdder ok = new LongAdder();
    private final Map<Integer, LongAdder> otherStatuses = new ConcurrentHashMap<>();
    private final LongAdder ioErrors = new LongAdder();
    private final AtomicReference<String> firstError = new AtomicReference<>();
    private final List<Worker> workers = new ArrayList<>();
    private volatile boolean stopping;

    private long intervalStart;
    private long okMark;
    private long ioErrorMark;
    private final Map<Integer, Long> statusMarks = new TreeMap<>();

    /** Starts {@code connections} threads, each with its own connection from {@code connection}. */
    public ClosedLoopLoad(int connections, Supplier<KeepAliveConnection> connection) {
        for (int i = 0; i < connections; i++) {
            workers.add(new Worker(connection.get(), i));
        }
        intervalStart = System.nanoTime();
        workers.forEach(Thread::start);
    }

    /** The responses since the previous call (or the start), and starts the next interval. */
    public synchronized Interval interval() {
        Histogram h = latency.getIntervalHistogram();
        long now = System.nanoTime();
        long okNow = ok.sum();
        long ioNow = ioErrors.sum();
        Map<Integer, Long> statuses = new TreeMap<>();
        otherStatuses.forEach((status, count) -> {
            long c = count.sum();
            long delta = c - statusMarks.getOrDefault(status, 0L);
            if (delta > 0) {
                statuses.put(status, delta);
            }
            statusMarks.put(status, c);
        });
        Interval i = new Interval(h, okNow - okMark, statuses, ioNow - ioErrorMark, now - intervalStart);
        intervalStart = now;
        okMark = okNow;
        ioErrorMark = ioNow;
        return i;
    }

    /** 200 responses since the start. */
    public long totalOk() {
        return ok.sum();
    }

    /** The first I/O error any thread met, if one did. */
    public String firstError() {
        String e = firstError.get();
        return e == null ? "" : e;
    }

    /** Stops the threads; each finishes the exchange it is in, so every request sent has been answered. */
    @Override
    public void close() throws InterruptedException {
        stopping = true;
        for (Worker w : workers) {
            w.join();
        }
    }

    private final class Worker extends Thread {
        private final KeepAliveConnection connection;

        Worker(KeepAliveConnection connection, int index) {
            super("load-" + index);
            setDaemon(true);
            this.connection = connection;
        }

        @Override
        public void run() {
            try (connection) {
                while (!stopping) {
                    long t0 = System.nanoTime();
                    try {
                        int status = connection.exchange();
                        latency.recordValue(System.nanoTime() - t0);
                        if (status == 200) {
                            ok.increment();
                        } else {
                            otherStatuses.computeIfAbsent(status, s -> new LongAdder()).increment();
                        }
                    } catch (IOException e) {
                        ioErrors.increment();
                        firstError.compareAndSet(null, e.toString());
                        connection.close();
                        pause(); // a server that refuses connections must not turn this loop into a spin
                    }
                }
            }
        }

        private void pause() {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                stopping = true;
            }
        }
    }
}
