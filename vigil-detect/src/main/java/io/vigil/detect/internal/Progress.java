package io.vigil.detect.internal;

import io.vigil.internal.time.Ticker;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts work handed to a thread and work it finished, so that another thread can wait until everything handed over
 * before it asked is done: how the stage's flush waits for the detection thread and for the finding recorder.
 */
final class Progress {
    private final AtomicLong added = new AtomicLong();
    /** Guarded by {@code this}. */
    private long finished;
    private final Ticker ticker;

    Progress(Ticker ticker) {
        this.ticker = ticker;
    }

    /** One more piece of work handed over. */
    void added() {
        added.incrementAndGet();
    }

    /** One piece finished (or given up on); wakes the waiters. */
    synchronized void finished() {
        finished++;
        notifyAll();
    }

    /**
     * Waits until every piece handed over before this call is finished.
     *
     * @return false when the timeout passed first or the thread was interrupted
     */
    boolean awaitAll(Duration timeout) {
        long target = added.get();
        long deadline = ticker.read() + timeout.toNanos();
        synchronized (this) {
            while (finished < target) {
                long left = deadline - ticker.read();
                if (left <= 0) {
                    return false;
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(this, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
        }
        return true;
    }
}
