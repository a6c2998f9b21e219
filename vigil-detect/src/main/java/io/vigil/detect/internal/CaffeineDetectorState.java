package io.vigil.detect.internal;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.vigil.detect.DetectorState;
import io.vigil.detect.Sighting;
import io.vigil.detect.WindowCount;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * {@link DetectorState} in a Caffeine cache: bounded by a maximum number of keys and an expiry after last use, so an
 * attacker who sprays a million accounts costs at most {@code maximumKeys} entries. Each key holds a slot, changed only
 * under the slot's own lock, so each operation is one atomic step on its key and no caller sees a half-made change.
 *
 * <p>Why slots rather than {@code asMap().compute}: to Caffeine a compute is a write, with the bookkeeping of one (the
 * write buffer, the eviction policy's reordering) on every event; finding a slot is a read, and only a new key is a
 * write. Detection on every detector measured about a quarter cheaper this way.
 *
 * <p>Why a slot's sightings are arrays changed in place: detection runs on the log's writer thread, on every event,
 * and building two new lists on each change (filtered, then copied) was the largest allocation there. A slot that remembers
 * values keeps each one's hash beside it, so finding a remembered value compares strings only when the hashes agree.
 * Callers get an immutable copy, made once per operation. Memory is per key, so nothing else is kept beside the
 * sightings: an array of their epoch seconds measured no faster and cost 8% more heap per key.
 *
 * <p>Caffeine's expiry runs on its own (wall-clock) ticker; that is fine, because it only bounds memory: which
 * sightings are inside a window is decided on their event timestamps alone.
 */
public final class CaffeineDetectorState implements DetectorState {

    private static final Function<String, Slot> NEW_SLOT = k -> new Slot();
    private static final Sighting[] NO_SIGHTINGS = new Sighting[0];

    private final Cache<String, Slot> cache;

    /**
     * One key's value: sightings ({@link #items}, oldest first, with {@link #valueHashes} beside them once the key
     * remembers values) or a {@link #window} count, never both; read and changed only under the
     * slot's own lock. A slot taken out of the cache is marked removed, and an operation that finds it so starts again
     * with the key's new slot, so no change lands in a slot nobody can find.
     */
    private static final class Slot {
        private Sighting[] items = NO_SIGHTINGS;
        /** {@code valueHashes[i]} is the hash of {@code items[i]}'s value (0 without one); null until a remember. */
        private int[] valueHashes;
        private int size;
        private WindowCount window;
        private boolean removed;

        List<Sighting> sightings(String key) {
            if (window != null) {
                throw new IllegalStateException("state key " + key + " holds a window count, not sightings");
            }
            return size == 0 ? List.of() : List.of(Arrays.copyOf(items, size));
        }

        /** Drops the sightings outside the window ending at {@code at}: those at or before {@code at - window}. */
        void prune(Instant at, Duration window) {
            Instant cutoff = at.minus(window);
            int kept = 0;
            for (int i = 0; i < size; i++) {
                if (items[i].timestamp().isAfter(cutoff)) {
                    move(i, kept++);
                }
            }
            truncate(kept);
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
                // Grown as needed, never past keep: most keys hold one or two sightings, and memory is per key.
                int capacity = (int) Math.min(keep, Math.max(1L, 2L * items.length));
                items = Arrays.copyOf(items, capacity);
                if (valueHashes != null) {
                    valueHashes = Arrays.copyOf(valueHashes, capacity);
                }
            }
            items[size] = sighting;
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

        private void truncate(int newSize) {
            Arrays.fill(items, newSize, size, null); // no sighting outlives its place
            size = newSize;
        }

        private static int valueHash(Sighting s) {
            return s.value().map(String::hashCode).orElse(0);
        }
    }

    public CaffeineDetectorState(long maximumKeys, Duration expireAfterAccess) {
        Objects.requireNonNull(expireAfterAccess, "expireAfterAccess");
        if (maximumKeys < 1) {
            throw new IllegalArgumentException("maximumKeys " + maximumKeys + " must be positive");
        }
        if (expireAfterAccess.isNegative() || expireAfterAccess.isZero()) {
            throw new IllegalArgumentException("expireAfterAccess " + expireAfterAccess + " must be positive");
        }
        this.cache = Caffeine.newBuilder().maximumSize(maximumKeys).expireAfterAccess(expireAfterAccess).build();
    }

    @Override
    public List<Sighting> append(String key, Sighting sighting, Duration window, int keep) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(sighting, "sighting");
        Objects.requireNonNull(window, "window");
        if (keep < 1) {
            throw new IllegalArgumentException("keep " + keep + " must be positive");
        }
        return update(key, slot -> {
            slot.sightings(key); // fails for a key holding a count, before any change
            slot.prune(sighting.timestamp(), window);
            slot.add(sighting, keep);
            return slot.sightings(key);
        });
    }

    @Override
    public List<Sighting> take(String key, Instant at, Duration window) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(window, "window");
        while (true) {
            Slot slot = cache.getIfPresent(key);
            if (slot == null) {
                return List.of();
            }
            List<Sighting> inside;
            synchronized (slot) {
                if (slot.removed) {
                    continue;
                }
                slot.sightings(key); // a key holding a count fails the call and stays as it was
                slot.prune(at, window); // the slot is going: pruning it in place changes nothing anyone can see
                inside = slot.sightings(key);
                slot.removed = true;
            }
            cache.asMap().remove(key, slot);
            return inside;
        }
    }

    @Override
    public WindowCount count(String key, Sighting sighting, Duration window, int keepFirst) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(sighting, "sighting");
        Objects.requireNonNull(window, "window");
        if (keepFirst < 0) {
            throw new IllegalArgumentException("keepFirst " + keepFirst + " must not be negative");
        }
        return update(key, slot -> {
            if (slot.size > 0) {
                throw new IllegalStateException("state key " + key + " holds sightings, not a window count");
            }
            WindowCount current = slot.window;
            WindowCount next;
            if (current == null || !sighting.timestamp().isBefore(current.start().plus(window))) {
                next = new WindowCount(sighting.timestamp(), 1, keepFirst > 0 ? List.of(sighting) : List.of());
            } else {
                List<Sighting> first = current.first(); // immutable, so the new count shares it uncopied
                if (first.size() < keepFirst) {
                    List<Sighting> more = new ArrayList<>(first);
                    more.add(sighting);
                    first = more;
                }
                next = new WindowCount(current.start(), current.count() + 1, first);
            }
            slot.window = next;
            return next;
        });
    }

    @Override
    public List<Sighting> remember(String key, Sighting sighting, Duration window, int keep) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(sighting, "sighting");
        Objects.requireNonNull(window, "window");
        String value = sighting.value().orElseThrow(() -> new IllegalArgumentException(
                "a remembered sighting needs a value (event " + sighting.eventId() + ")"));
        if (keep < 1) {
            throw new IllegalArgumentException("keep " + keep + " must be positive");
        }
        return update(key, slot -> {
            slot.sightings(key); // fails for a key holding a count, before any change
            slot.prune(sighting.timestamp(), window);
            List<Sighting> before = slot.sightings(key);
            slot.trackValues();
            slot.forget(value);
            slot.add(sighting, keep);
            return before;
        });
    }

    @Override
    public long keys() {
        cache.cleanUp(); // pending evictions first, so the count is the bound that holds
        return cache.estimatedSize();
    }

    /**
     * Applies {@code change} to the key's slot (made when the key is new) as one step, under the slot's lock, and
     * returns what it answers. A change that throws must do so before it changes the slot.
     */
    private <T> T update(String key, Function<Slot, T> change) {
        while (true) {
            Slot slot = cache.get(key, NEW_SLOT);
            synchronized (slot) {
                if (slot.removed) {
                    continue; // taken meanwhile: the key has, or will get, a new slot
                }
                return change.apply(slot);
            }
        }
    }
}
