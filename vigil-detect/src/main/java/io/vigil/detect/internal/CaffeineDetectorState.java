package io.vigil.detect.internal;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.vigil.detect.DetectorState;
import io.vigil.detect.Sighting;
import io.vigil.detect.WindowCount;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * {@link DetectorState} in a Caffeine cache of subjects: bounded by a maximum number of subjects and an expiry after
 * last use, so an attacker who sprays a million accounts costs at most {@code maximumKeys} entries. Each subject
 * holds its slots and is changed only under its own lock, so each operation is one atomic step on its subject and no
 * caller sees a half-made change.
 *
 * <p>Why the cache maps to a mutable subject rather than being changed with {@code asMap().compute}: to Caffeine a
 * compute is a write, with the bookkeeping of one (the write buffer, the eviction policy's reordering) on every event;
 * finding a subject is a read, and only a new subject is a write. For the same reason a slot that is taken is emptied
 * and kept: the same account fails again soon, and a removal and the insertion after it would be two writes.
 *
 * <p>A subject leaves the cache only when evicted or expired; a change racing an eviction lands in the departing
 * subject and is forgotten with it, as everything the subject held is. Caffeine's expiry runs on its own (wall-clock)
 * ticker; that is fine, because it only bounds memory: which sightings are inside a window is decided on their event
 * timestamps alone.
 */
public final class CaffeineDetectorState implements DetectorState {

    /**
     * Slots one subject holds at most. Detectors use a fixed few, plus one per event type an actor is counted for and
     * per listed address it came from; past this, the slot used longest ago makes room.
     */
    static final int MAX_SLOTS = 32;
    private static final Function<String, Entry> NEW_ENTRY = k -> new Entry();

    private final Cache<String, Entry> cache;

    public CaffeineDetectorState(long maximumKeys, Duration expireAfterAccess) {
        Objects.requireNonNull(expireAfterAccess, "expireAfterAccess");
        if (maximumKeys < 1) {
            throw new IllegalArgumentException("maximumKeys " + maximumKeys + " must be positive");
        }
        if (expireAfterAccess.isNegative() || expireAfterAccess.isZero()) {
            throw new IllegalArgumentException("expireAfterAccess " + expireAfterAccess + " must be positive");
        }
        // Caffeine's upkeep (replaying reads into the eviction policy, evicting) runs on the calling thread: handed to
        // the common pool it woke a pool thread every few dozen reads, and that wake-up was an eighth of the detection
        // thread's time.
        this.cache = Caffeine.newBuilder().maximumSize(maximumKeys).expireAfterAccess(expireAfterAccess)
                .executor(Runnable::run).build();
    }

    @Override
    public Subject subject(String key) {
        return new Handle(Objects.requireNonNull(key, "key"));
    }

    @Override
    public long keys() {
        cache.cleanUp(); // pending evictions first, so the count is the bound that holds
        return cache.estimatedSize();
    }

    private static void requireWindowArguments(String slot, Sighting sighting, Duration window, int keep) {
        Objects.requireNonNull(slot, "slot");
        Objects.requireNonNull(sighting, "sighting");
        Objects.requireNonNull(window, "window");
        if (keep < 1) {
            throw new IllegalArgumentException("keep " + keep + " must be positive");
        }
    }

    /** A subject's slots, by name; read and changed only under the entry's own lock. */
    private static final class Entry {
        /**
         * The slots' names' hashes, so a search reads one small array and looks at a slot (and compares its name)
         * only when its hash agrees; the names themselves are in the slots, one array fewer per subject.
         */
        private int[] hashes = new int[0];
        private Slot[] slots = new Slot[0];
        /** Operations on this subject so far: the clock by which its slots' last use is told. */
        private long clock;

        /** The named slot, or null. */
        Slot find(String name) {
            int hash = name.hashCode();
            for (int i = 0; i < hashes.length; i++) {
                if (hashes[i] == hash && (slots[i].name == name || slots[i].name.equals(name))) {
                    slots[i].lastUse = ++clock;
                    return slots[i];
                }
            }
            return null;
        }

        Slot findOrAdd(String name) {
            Slot found = find(name);
            if (found != null) {
                return found;
            }
            Slot made = new Slot(name);
            made.lastUse = ++clock;
            if (slots.length < MAX_SLOTS) {
                int n = slots.length;
                hashes = Arrays.copyOf(hashes, n + 1);
                slots = Arrays.copyOf(slots, n + 1);
                hashes[n] = name.hashCode();
                slots[n] = made;
            } else {
                int oldest = 0;
                for (int i = 1; i < slots.length; i++) {
                    if (slots[i].lastUse < slots[oldest].lastUse) {
                        oldest = i;
                    }
                }
                hashes[oldest] = name.hashCode();
                slots[oldest] = made;
            }
            return made;
        }
    }

    /** One subject for one event: finds its entry on the first operation and keeps it. */
    private final class Handle implements Subject {
        private final String key;
        private Entry entry;

        Handle(String key) {
            this.key = key;
        }

        /** The subject's entry, made if it is new. */
        private Entry entry() {
            if (entry == null) {
                entry = cache.get(key, NEW_ENTRY);
            }
            return entry;
        }

        /** The subject's entry, or null when it is not held; makes nothing. */
        private Entry existing() {
            if (entry == null) {
                entry = cache.getIfPresent(key);
            }
            return entry;
        }

        /**
         * The named slot of {@code e}, made if new, holding only the sightings inside the window ending at
         * {@code sighting}; under {@code e}'s lock. Fails for a slot holding a count, before any change.
         */
        private Slot windowOf(Entry e, String slot, Sighting sighting, Duration window) {
            Slot s = e.findOrAdd(slot);
            s.requireSightings(slot, key);
            s.prune(sighting.timestamp(), window);
            return s;
        }

        @Override
        public List<Sighting> append(String slot, Sighting sighting, Duration window, int keep) {
            requireWindowArguments(slot, sighting, window, keep);
            Entry e = entry();
            synchronized (e) {
                Slot s = windowOf(e, slot, sighting, window);
                s.add(sighting, keep);
                return s.sightings();
            }
        }

        @Override
        public List<Sighting> take(String slot, Instant at, Duration window) {
            Objects.requireNonNull(slot, "slot");
            Objects.requireNonNull(at, "at");
            Objects.requireNonNull(window, "window");
            Entry e = existing();
            if (e == null) {
                return List.of();
            }
            synchronized (e) {
                Slot s = e.find(slot);
                if (s == null) {
                    return List.of();
                }
                s.requireSightings(slot, key); // a slot holding a count fails the call and stays as it was
                s.prune(at, window);
                List<Sighting> inside = s.sightings();
                s.truncate(0);
                return inside;
            }
        }

        @Override
        public List<Sighting> remember(String slot, Sighting sighting, Duration window, int keep) {
            requireWindowArguments(slot, sighting, window, keep);
            String value = sighting.value().orElseThrow(() -> new IllegalArgumentException(
                    "a remembered sighting needs a value (event " + sighting.eventId() + ")"));
            Entry e = entry();
            synchronized (e) {
                Slot s = windowOf(e, slot, sighting, window);
                List<Sighting> before = s.sightings();
                s.trackValues();
                s.forget(value);
                s.add(sighting, keep);
                return before;
            }
        }

        @Override
        public WindowCount count(String slot, Sighting sighting, Duration window, int keepFirst) {
            Objects.requireNonNull(slot, "slot");
            Objects.requireNonNull(sighting, "sighting");
            Objects.requireNonNull(window, "window");
            if (keepFirst < 0) {
                throw new IllegalArgumentException("keepFirst " + keepFirst + " must not be negative");
            }
            Entry e = entry();
            synchronized (e) {
                return e.findOrAdd(slot).count(slot, key, sighting, window, keepFirst);
            }
        }
    }
}
