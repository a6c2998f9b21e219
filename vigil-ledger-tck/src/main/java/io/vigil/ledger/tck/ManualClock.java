package io.vigil.ledger.tck;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A clock that moves only when told to: the kit passes it to the store under test (through
 * {@code LedgerOptions.withClock}), so time-based checkpoints are tested without waiting. Safe to read from the
 * store's threads while the test advances it.
 */
public final class ManualClock extends Clock {
    private volatile Instant now;
    private final AtomicLong reads = new AtomicLong();

    public ManualClock(Instant start) {
        this.now = Objects.requireNonNull(start, "start");
    }

    /** Moves the clock by {@code step}; a negative step sets it back, as an operator or a time service may. */
    public void advance(Duration step) {
        synchronized (this) {
            now = now.plus(step);
        }
    }

    /** How often the clock has been read, so a test can show that a path does not read it. */
    public long reads() {
        return reads.get();
    }

    @Override
    public Instant instant() {
        reads.incrementAndGet();
        return now;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        if (!ZoneOffset.UTC.equals(zone)) {
            throw new UnsupportedOperationException("a manual clock runs in UTC");
        }
        return this;
    }
}
