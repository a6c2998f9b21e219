package io.vigil.bench.gateway;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * The responses of a load's threads, recorded concurrently and read in intervals ({@link #interval()}) that split what
 * is discarded from what is measured without stopping the load.
 */
final class ResponseCounts {
    private final Recorder latency = new Recorder(3);
    private final LongAdder ok = new LongAdder();
    private final Map<Integer, LongAdder> otherStatuses = new ConcurrentHashMap<>();
    private final LongAdder ioErrors = new LongAdder();
    private final AtomicReference<String> firstError = new AtomicReference<>();

    private long intervalStart = System.nanoTime();
    private long okMark;
    private long ioErrorMark;
    private final Map<Integer, Long> statusMarks = new TreeMap<>();

    /** One response with its status and the time it took, by whatever the load counts from. */
    void response(int status, long latencyNanos) {
        latency.recordValue(latencyNanos);
        if (status == 200) {
            ok.increment();
        } else {
            otherStatuses.computeIfAbsent(status, s -> new LongAdder()).increment();
        }
    }

    void ioError(Exception e) {
        ioErrors.increment();
        firstError.compareAndSet(null, e.toString());
    }

    /** The responses since the previous call (or the start), and starts the next interval. */
    synchronized LoadInterval interval() {
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
        LoadInterval i = new LoadInterval(h, okNow - okMark, statuses, ioNow - ioErrorMark, now - intervalStart);
        intervalStart = now;
        okMark = okNow;
        ioErrorMark = ioNow;
        return i;
    }

    long totalOk() {
        return ok.sum();
    }

    String firstError() {
        String e = firstError.get();
        return e == null ? "" : e;
    }
}
