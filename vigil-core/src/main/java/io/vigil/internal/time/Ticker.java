package io.vigil.internal.time;

/**
 * A monotonic clock in nanoseconds for measuring waits (deadlines, backoff, rate limits); as with
 * {@link System#nanoTime()}, only the difference of two readings means anything. Wall time is a
 * {@link java.time.Clock}'s business.
 */
@FunctionalInterface
public interface Ticker {

    long read();

    /** {@link System#nanoTime()}. */
    static Ticker system() {
        return SystemTime.INSTANCE;
    }
}
