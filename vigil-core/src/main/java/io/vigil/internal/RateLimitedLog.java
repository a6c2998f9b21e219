package io.vigil.internal;

import org.slf4j.Logger;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Emits a WARN at most once per interval and says how many occurrences were folded into it, so that a storm of
 * overflow drops is visible without flooding the application log.
 */
public final class RateLimitedLog {
    private final Logger log;
    private final long intervalNanos;
    private final AtomicLong nextAllowed = new AtomicLong(Long.MIN_VALUE);
    private final AtomicLong suppressed = new AtomicLong();

    public RateLimitedLog(Logger log, long intervalMillis) {
        this.log = log;
        this.intervalNanos = intervalMillis * 1_000_000L;
    }

    /** Logs {@code message} (with {@code {}} for the occurrence count) now, or counts it for the next report. */
    public void warn(String message, Object... args) {
        long now = System.nanoTime();
        long next = nextAllowed.get();
        if ((next == Long.MIN_VALUE || now - next >= 0) && nextAllowed.compareAndSet(next, now + intervalNanos)) {
            long folded = suppressed.getAndSet(0) + 1;
            Object[] all = new Object[args.length + 1];
            all[0] = folded;
            System.arraycopy(args, 0, all, 1, args.length);
            log.warn(message, all);
        } else {
            suppressed.incrementAndGet();
        }
    }
}
