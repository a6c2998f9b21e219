package io.vigil.detect.internal;

import io.vigil.detect.Sighting;
import io.vigil.detect.WindowCount;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * One slot of a subject in {@link CaffeineDetectorState}: sightings ({@link #items}, oldest first, with
 * {@link #valueHashes} beside them once the slot remembers values) or a window count ({@link #counted}), never both. Not
 * thread-safe: read and changed only under the lock of the subject that holds it.
 *
 * <p>Why arrays changed in place: detection runs on every event, and building two new lists on each change (filtered,
 * then copied) was the largest allocation there. A slot that remembers values keeps each one's hash beside it, so
 * finding a remembered value compares strings only when the hashes agree. Callers get an immutable copy, made once
 * per operation. Memory is per slot, so nothing else is kept beside the sightings: an array of their epoch seconds
 * measured no faster and cost 8% more heap.
 */
final class Slot {
    private static final Sighting[] NO_SIGHTINGS = new Sighting[0];

    /** The slot's name within its subject. */
    final String name;

    private Sighting[] items = NO_SIGHTINGS;
    /** {@code valueHashes[i]} is the hash of {@code items[i]}'s value (0 without one); null until a remember. */
    private int[] valueHashes;
    private int size;
    /**
     * At most the timestamp of the oldest sighting, in epoch nanoseconds (saturated outside 1677-2262, where it stays
     * a lower bound); {@link Long#MAX_VALUE} when empty. Most events find nothing to prune, and this tells so from the
     * slot alone, without reading each sighting and its timestamp, which would each be a cache miss.
     */
    private long oldestNanos = Long.MAX_VALUE;
    /**
     * Sightings in the current fixed window; 0 when the slot holds sightings instead. The window is kept as numbers,
     * not as a {@link WindowCount}, because most slots count on every event of their actor, and storing a new object in
     * a long-lived one on every event made the collector's card refinement a fifth of all CPU time under detection.
     */
    private long counted;
    private long startSecond;
    private int startNano;
    private List<Sighting> first = List.of();
    /** When the slot was last used, on its subject's own clock of operations; the least recently used makes room. */
    long lastUse;

    Slot(String name) {
        this.name = name;
    }

    /** Fails when the slot holds a count; {@code slot} and {@code subject} name it in the message. */
    void requireSightings(String slot, String subject) {
        if (counted > 0) {
            throw new IllegalStateException("state slot " + slot + " of " + subject
                    + " holds a window count, not sightings");
        }
    }

    /** The sightings, oldest first, as an immutable copy. */
    List<Sighting> sightings() {
        // One copy, wrapped: List.of(array) would copy the copy.
        return size == 0 ? List.of() : Collections.unmodifiableList(Arrays.asList(Arrays.copyOf(items, size)));
    }

    /** Drops the sightings outside the window ending at {@code at}: those at or before {@code at - window}. */
    void prune(Instant at, Duration window) {
        Instant cutoff = at.minus(window);
        if (oldestNanos > nanos(cutoff)) {
            return; // also when empty
        }
        int kept = 0;
        long oldest = Long.MAX_VALUE;
        for (int i = 0; i < size; i++) {
            Instant t = items[i].timestamp();
            if (t.isAfter(cutoff)) {
                move(i, kept++);
                oldest = Math.min(oldest, nanos(t));
            }
        }
        truncate(kept);
        oldestNanos = oldest;
    }

    /** Epoch nanoseconds, saturated: ordered as the instants are within 1677-2262, and a bound outside. */
    private static long nanos(Instant t) {
        try {
            return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000_000L), t.getNano());
        } catch (ArithmeticException e) {
            return t.getEpochSecond() < 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
    }

    /** Drops every sighting tracking {@code value}. */
    void forget(String value) {
        int hash = value.hashCode();
        int kept = 0;
        for (int i = 0; i < size; i++) {
            if (valueHashes[i] != hash || !items[i].tracks(value)) {
                move(i, kept++);
            }
        }
        truncate(kept);
    }

    /** Appends a sighting, first dropping the oldest as needed to hold at most {@code keep}. */
    void add(Sighting sighting, int keep) {
        int drop = Math.max(0, size + 1 - keep);
        for (int i = drop; i < size; i++) {
            move(i, i - drop);
        }
        truncate(size - drop);
        if (size == items.length) {
            // Grown as needed, never past keep: most slots hold one or two sightings, and memory is per slot.
            int capacity = (int) Math.min(keep, Math.max(1L, 2L * items.length));
            items = Arrays.copyOf(items, capacity);
            if (valueHashes != null) {
                valueHashes = Arrays.copyOf(valueHashes, capacity);
            }
        }
        items[size] = sighting;
        // Dropping sightings above may have raised the true oldest; the old value stays a lower bound.
        oldestNanos = Math.min(oldestNanos, nanos(sighting.timestamp()));
        if (valueHashes != null) {
            valueHashes[size] = valueHash(sighting);
        }
        size++;
    }

    /** Starts keeping value hashes, for a key that so far only appended. */
    void trackValues() {
        if (valueHashes == null) {
            valueHashes = new int[items.length];
            for (int i = 0; i < size; i++) {
                valueHashes[i] = valueHash(items[i]);
            }
        }
    }

    private void move(int from, int to) {
        if (from != to) {
            items[to] = items[from];
            if (valueHashes != null) {
                valueHashes[to] = valueHashes[from];
            }
        }
    }

    void truncate(int newSize) {
        Arrays.fill(items, newSize, size, null); // no sighting outlives its place
        size = newSize;
        if (size == 0) {
            oldestNanos = Long.MAX_VALUE;
        }
    }

    private static int valueHash(Sighting s) {
        return s.value().map(String::hashCode).orElse(0);
    }

    /** Counts a sighting in the slot's fixed window; see {@code DetectorState.Subject#count}. */
    WindowCount count(String slot, String subject, Sighting sighting, Duration length, int keepFirst) {
        if (size > 0) {
            throw new IllegalStateException("state slot " + slot + " of " + subject
                    + " holds sightings, not a window count");
        }
        Instant at = sighting.timestamp();
        if (counted == 0 || !at.isBefore(Instant.ofEpochSecond(startSecond, startNano).plus(length))) {
            counted = 1;
            startSecond = at.getEpochSecond();
            startNano = at.getNano();
            first = keepFirst > 0 ? List.of(sighting) : List.of();
        } else {
            counted++;
            if (first.size() < keepFirst) {
                List<Sighting> more = new ArrayList<>(first);
                more.add(sighting);
                first = List.copyOf(more);
            }
        }
        return new WindowCount(Instant.ofEpochSecond(startSecond, startNano), counted, first);
    }

}
