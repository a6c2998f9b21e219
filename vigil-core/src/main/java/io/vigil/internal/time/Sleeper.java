package io.vigil.internal.time;

/**
 * How a thread waits: a sleep that must last (retry backoff) and a park that may end early when the thread is
 * unparked (a writer that idles, a producer polling for room).
 */
public interface Sleeper {

    /** Waits {@code nanos}; an interrupt ends the wait and is thrown. */
    void sleep(long nanos) throws InterruptedException;

    /** Parks the calling thread for at most {@code nanos}, as {@link java.util.concurrent.locks.LockSupport#parkNanos}. */
    void park(long nanos);

    /** Real sleeping and parking. */
    static Sleeper system() {
        return SystemTime.INSTANCE;
    }
}
