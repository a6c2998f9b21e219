package io.vigil.ledger;

import java.time.Duration;
import java.util.Objects;

/**
 * When appended entries are forced to the device. Receipts complete only after that, so a receipt is a promise
 * that the entry survives a crash.
 *
 * @param interval {@link Duration#ZERO} forces every batch; a positive interval groups batches, forcing at most
 *                 once per interval (appends wait for the next force, which lets the queue gather larger batches)
 */
public record Durability(Duration interval) {
    /** Force every batch (group commit of whatever the pipeline batched). */
    public static final Durability EVERY_BATCH = new Durability(Duration.ZERO);

    public Durability {
        Objects.requireNonNull(interval, "interval");
        if (interval.isNegative() || interval.compareTo(Duration.ofSeconds(10)) > 0) {
            throw new IllegalArgumentException("durability interval must be between 0 and 10s, was " + interval);
        }
    }

    /** Force at most once per {@code interval}. */
    public static Durability every(Duration interval) {
        return new Durability(interval);
    }
}
