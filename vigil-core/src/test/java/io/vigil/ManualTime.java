package io.vigil;

import io.vigil.internal.time.Sleeper;
import io.vigil.internal.time.Ticker;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * Time that moves only when a test moves it, or when the pipeline sleeps (a sleep is recorded and passes at once).
 * Parks stay real: they are wake-up polls, and unparking must still reach the parked thread; they do not move the
 * time, and each is counted by thread, so a test can see a thread waiting.
 */
final class ManualTime implements Ticker, Sleeper {
    private final AtomicLong now = new AtomicLong(123_456_789L);
    private final List<Duration> sleeps = new ArrayList<>();
    private final ConcurrentHashMap<String, LongAdder> parksByThread = new ConcurrentHashMap<>();

    @Override
    public long read() {
        return now.get();
    }

    void advance(Duration d) {
        now.addAndGet(d.toNanos());
    }

    @Override
    public void sleep(long nanos) {
        synchronized (sleeps) {
            sleeps.add(Duration.ofNanos(nanos));
        }
        now.addAndGet(nanos);
    }

    @Override
    public void park(long nanos) {
        parksByThread.computeIfAbsent(Thread.currentThread().getName(), k -> new LongAdder()).increment();
        LockSupport.parkNanos(nanos);
    }

    List<Duration> sleeps() {
        synchronized (sleeps) {
            return List.copyOf(sleeps);
        }
    }

    /** How often the named thread has parked so far. */
    long parks(String thread) {
        LongAdder n = parksByThread.get(thread);
        return n == null ? 0 : n.sum();
    }
}
