package io.vigil;

import java.time.Duration;
import java.util.Objects;

/**
 * How a failing sink write is retried: up to {@code maxAttempts} attempts in all, waiting {@code initialBackoff},
 * doubled after each failure up to {@code maxBackoff}. While a sink retries, the queue fills and the overflow
 * policy applies; nothing is discarded silently.
 */
public record RetryPolicy(int maxAttempts, Duration initialBackoff, Duration maxBackoff) {

    /** Five attempts, 50 ms doubling to 2 s. */
    public static final RetryPolicy DEFAULT = new RetryPolicy(5, Duration.ofMillis(50), Duration.ofSeconds(2));

    public RetryPolicy {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("retry.maxAttempts must be at least 1, was " + maxAttempts);
        }
        Objects.requireNonNull(initialBackoff, "initialBackoff");
        Objects.requireNonNull(maxBackoff, "maxBackoff");
        if (maxBackoff.compareTo(PipelineOptions.MAX_WAIT) > 0) {
            throw new IllegalArgumentException("retry.maxBackoff must be at most " + PipelineOptions.MAX_WAIT.toHours()
                    + "h, was " + maxBackoff);
        }
        if (initialBackoff.isNegative() || maxBackoff.compareTo(initialBackoff) < 0) {
            throw new IllegalArgumentException("retry backoff must satisfy 0 <= initialBackoff <= maxBackoff, was "
                    + initialBackoff + " and " + maxBackoff);
        }
    }

    /** The wait after the given failed attempt (1-based). */
    public Duration backoffAfter(int attempt) {
        long nanos = initialBackoff.toNanos();
        for (int i = 1; i < attempt && nanos < maxBackoff.toNanos(); i++) {
            nanos *= 2;
        }
        return Duration.ofNanos(Math.min(nanos, maxBackoff.toNanos()));
    }
}
