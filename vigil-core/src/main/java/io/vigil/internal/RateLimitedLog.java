package io.vigil.internal;

import io.vigil.internal.time.Ticker;
import org.slf4j.Logger;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Lets a kind of log line through at most {@code burst} times at once and then once per interval, and counts the
 * occurrences held back in between, so that a storm of failures stays visible without flooding the application log.
 *
 * <p>The limit is a generic cell rate: one atomic "earliest time the bucket is empty again", so callers on many
 * threads need no lock.
 */
public final class RateLimitedLog {
    private final Logger log;
    private final long intervalNanos;
    private final long burstNanos;
    private final Ticker ticker;
    /** When the bucket has drained; starts at construction, so the first {@code burst} occurrences pass. */
    private final AtomicLong emptyAt;
    private final AtomicLong suppressed = new AtomicLong();

    public RateLimitedLog(Logger log, Duration interval, int burst, Ticker ticker) {
        if (burst < 1) {
            throw new IllegalArgumentException("burst must be at least 1, was " + burst);
        }
        this.log = log;
        this.intervalNanos = interval.toNanos();
        this.burstNanos = intervalNanos * burst;
        this.ticker = ticker;
        this.emptyAt = new AtomicLong(ticker.read());
    }

    /**
     * Decides about one occurrence.
     *
     * @return -1 when it is to be held back (and is counted); otherwise how many were held back since the last one
     *         let through
     */
    public long admit() {
        long now = ticker.read();
        while (true) {
            long empty = emptyAt.get();
            // the differences, not the readings, are compared: the ticker's origin is arbitrary
            long next = Math.max(empty - now, 0) + intervalNanos;
            if (next > burstNanos) {
                suppressed.incrementAndGet();
                return -1;
            }
            if (emptyAt.compareAndSet(empty, now + next)) {
                return suppressed.getAndSet(0);
            }
        }
    }

    /** Logs {@code message} (with {@code {}} first for the occurrences folded into it) now, or counts it. */
    public void warn(String message, Object... args) {
        long held = admit();
        if (held < 0) {
            return;
        }
        Object[] all = new Object[args.length + 1];
        all[0] = held + 1;
        System.arraycopy(args, 0, all, 1, args.length);
        log.warn(message, all);
    }
}
