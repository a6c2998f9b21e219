package io.vigil.logback.internal;

import ch.qos.logback.core.spi.ContextAware;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Reports errors to Logback's status manager at most once per interval, saying how many were folded into the
 * report. An appender must never log through Logback itself (that would re-enter it), so the status manager is
 * where its failures go; the rate limit keeps a storm of them from filling it.
 */
public final class ErrorReporter {
    private final ContextAware target;
    private final long intervalNanos;
    private final LongSupplier nanoTime;
    private final AtomicLong nextAllowed = new AtomicLong(Long.MIN_VALUE);
    private final AtomicLong folded = new AtomicLong();

    /**
     * @param target        where errors are added ({@code addError})
     * @param intervalNanos the least time between two reports
     * @param nanoTime      the clock, {@link System#nanoTime} outside tests
     */
    public ErrorReporter(ContextAware target, long intervalNanos, LongSupplier nanoTime) {
        this.target = Objects.requireNonNull(target, "target");
        this.intervalNanos = intervalNanos;
        this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
    }

    /** Adds the error now, or counts it into the next report when one was added less than an interval ago. */
    public void error(String message, Throwable cause) {
        long now = nanoTime.getAsLong();
        long next = nextAllowed.get();
        if ((next == Long.MIN_VALUE || now - next >= 0) && nextAllowed.compareAndSet(next, now + intervalNanos)) {
            long before = folded.getAndSet(0);
            target.addError(before == 0 ? message
                    : message + " (" + before + " more since the last report)", cause);
        } else {
            folded.incrementAndGet();
        }
    }
}
