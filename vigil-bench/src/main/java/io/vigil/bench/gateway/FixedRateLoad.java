package io.vigil.bench.gateway;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * An open-loop load at a fixed rate: request k is due at {@code start + k / rate}, whatever became of the requests
 * before it. N threads, each with its own keep-alive connection, take the next due request in turn when they are free,
 * wait for its time and send it; with enough threads one slow response does not hold the schedule back. Each response
 * time is counted from the time the request was due, not from when it was sent, so a server that stalls is charged
 * for every request that should have gone out meanwhile (no coordinated omission). A request sent more than
 * {@link #LATE_NANOS} after its time (every thread busy, or the load generator not scheduled) is counted as late.
 */
public final class FixedRateLoad implements HttpLoad {
    /** How far behind its time a request may be sent and still count as on time. */
    public static final long LATE_NANOS = 1_000_000;

    /** Requests sent, and how many of them late, over one interval. */
    public record Schedule(long sent, long late) {
    }

    private final ResponseCounts counts = new ResponseCounts();
    private final LongAdder sent = new LongAdder();
    private final LongAdder late = new LongAdder();
    private final AtomicLong next = new AtomicLong();
    private final double periodNanos;
    private final long start;
    private final List<Worker> workers = new ArrayList<>();
    private volatile boolean stopping;
    private long sentMark;
    private long lateMark;

    /** Starts sending {@code rate} requests a second over {@code connections} connections from {@code connection}. */
    public FixedRateLoad(double rate, int connections, Supplier<KeepAliveConnection> connection) {
        if (!(rate > 0) || connections < 1) {
            throw new IllegalArgumentException("a fixed-rate load needs a rate above 0 and a connection; got "
                    + rate + " requests/s over " + connections);
        }
        periodNanos = 1e9 / rate;
        for (int i = 0; i < connections; i++) {
            workers.add(new Worker(connection.get(), i));
        }
        start = System.nanoTime();
        workers.forEach(Thread::start);
    }

    @Override
    public synchronized LoadInterval interval() {
        return counts.interval();
    }

    /** Requests sent, and late, since the previous call (or the start); call it right after {@link #interval()}. */
    public synchronized Schedule schedule() {
        long s = sent.sum();
        long l = late.sum();
        Schedule d = new Schedule(s - sentMark, l - lateMark);
        sentMark = s;
        lateMark = l;
        return d;
    }

    @Override
    public long totalOk() {
        return counts.totalOk();
    }

    @Override
    public String firstError() {
        return counts.firstError();
    }

    /** Stops the threads; each finishes the exchange it is in; requests due later are not sent. */
    @Override
    public void close() throws InterruptedException {
        stopping = true;
        for (Worker w : workers) {
            LockSupport.unpark(w);
        }
        for (Worker w : workers) {
            w.join();
        }
    }

    private final class Worker extends Thread {
        private final KeepAliveConnection connection;

        Worker(KeepAliveConnection connection, int index) {
            super("fixed-rate-" + index);
            setDaemon(true);
            this.connection = connection;
        }

        @Override
        public void run() {
            try (connection) {
                while (!stopping) {
                    long due = start + Math.round(next.getAndIncrement() * periodNanos);
                    for (long wait = due - System.nanoTime(); wait > 0 && !stopping; wait = due - System.nanoTime()) {
                        LockSupport.parkNanos(wait);
                    }
                    if (stopping) {
                        return;
                    }
                    sent.increment();
                    if (System.nanoTime() - due > LATE_NANOS) {
                        late.increment();
                    }
                    try {
                        int status = connection.exchange();
                        counts.response(status, System.nanoTime() - due);
                    } catch (IOException e) {
                        counts.ioError(e);
                        connection.close();
                        // no pause needed: the next request is due at its time, so a refusing server fails at most at the rate
                    }
                }
            }
        }
    }
}
