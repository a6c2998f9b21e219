package io.vigil.ledger.internal.store;

import io.vigil.internal.time.Sleeper;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Paces the forcing of a segment under {@code Durability.every(interval)}: at most one force per interval, so that an
 * append waits for the next force and the queue gathers larger batches meanwhile. Timed by the ledger's clock (an
 * injected one in tests) and waiting through an injected {@link Sleeper}, so tests move time instead of sleeping. With a zero
 * interval it reads no clock at all: forcing every batch costs nothing extra.
 */
final class ForcePacer {

    private final long intervalNanos;
    private final Clock clock;
    private final Sleeper sleeper;
    private Instant lastForce;

    ForcePacer(Duration interval, Clock clock, Sleeper sleeper) {
        this.intervalNanos = interval.toNanos();
        this.clock = clock;
        this.sleeper = sleeper;
        this.lastForce = intervalNanos > 0 ? clock.instant() : Instant.EPOCH;
    }

    /** Waits until an interval has passed since the last force; returns at once when forcing every batch. */
    void awaitTurn() {
        if (intervalNanos == 0) {
            return;
        }
        long elapsed = Duration.between(lastForce, clock.instant()).toNanos();
        // a wall clock set back must not hold the writer longer than one interval
        long wait = Math.min(intervalNanos, intervalNanos - elapsed);
        if (wait > 0) {
            try {
                sleeper.sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt(); // force now; the interrupt stays for the writer's loop to see
            }
        }
    }

    /** The segment was just forced. */
    void forced() {
        if (intervalNanos > 0) {
            lastForce = clock.instant();
        }
    }
}
