package io.vigil.detect.internal;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.vigil.detect.DetectorState;
import io.vigil.detect.Sighting;
import io.vigil.detect.WindowCount;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * {@link DetectorState} in a Caffeine cache: bounded by a maximum number of keys and an expiry after last use, so an
 * attacker who sprays a million accounts costs at most {@code maximumKeys} entries. Each key holds a slot whose
 * immutable value (a list of sightings, or a {@link WindowCount}) is replaced under the slot's lock, so each operation
 * is one atomic step on its key and readers never see a half-made change.
 *
 * <p>Why slots rather than {@code asMap().compute}: to Caffeine a compute is a write, with the bookkeeping of one (the
 * write buffer, the eviction policy's reordering) on every event; finding a slot is a read, and only a new key is a
 * write. Detection on every detector measured about a quarter cheaper this way.
 *
 * <p>Caffeine's expiry runs on its own (wall-clock) ticker; that is fine, because it only bounds memory: which
 * sightings are inside a window is decided on their event timestamps alone.
 */
public final class CaffeineDetectorState implements DetectorState {

    private static final Function<String, Slot> NEW_SLOT = k -> new Slot();

    private final Cache<String, Slot> cache;

    /**
     * One key's value: a {@code List<Sighting>}, a {@link WindowCount} ({@link #sightings} tells them apart) or null;
     * read and replaced only under the slot's own lock. A slot taken out of the cache is marked removed, and an
     * operation that finds it so starts again with the key's new slot, so no change lands in a slot nobody can find.
     */
    private static final class Slot {
        private Object value;
        private boolean removed;
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
        @SuppressWarnings("unchecked")
        List<Sighting> after = (List<Sighting>) update(key, before -> {
            List<Sighting> kept = inside(sightings(key, before), sighting.timestamp(), window);
            kept.add(sighting);
            int from = Math.max(0, kept.size() - keep);
            return List.copyOf(kept.subList(from, kept.size()));
        });
        return after;
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
            List<Sighting> held;
            synchronized (slot) {
                if (slot.removed) {
                    continue;
                }
                held = sightings(key, slot.value); // a key holding a count fails the call and stays as it was
                slot.removed = true;
            }
            cache.asMap().remove(key, slot);
            return List.copyOf(inside(held, at, window));
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
        return (WindowCount) update(key, before -> {
            if (before != null && !(before instanceof WindowCount)) {
                throw new IllegalStateException("state key " + key + " holds sightings, not a window count");
            }
            WindowCount current = (WindowCount) before;
            if (current == null || !sighting.timestamp().isBefore(current.start().plus(window))) {
                return new WindowCount(sighting.timestamp(), 1, keepFirst > 0 ? List.of(sighting) : List.of());
            }
            List<Sighting> first = current.first();
            if (first.size() < keepFirst) {
                List<Sighting> more = new ArrayList<>(first);
                more.add(sighting);
                first = more;
            }
            return new WindowCount(current.start(), current.count() + 1, first);
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
        List<List<Sighting>> before = new ArrayList<>(1); // what the update saw, handed out of the lambda
        update(key, held -> {
            List<Sighting> kept = inside(sightings(key, held), sighting.timestamp(), window);
            before.clear();
            before.add(List.copyOf(kept));
            kept.removeIf(s -> s.tracks(value));
            kept.add(sighting);
            int from = Math.max(0, kept.size() - keep);
            return List.copyOf(kept.subList(from, kept.size()));
        });
        return before.get(0);
    }

    @Override
    public long keys() {
        cache.cleanUp(); // pending evictions first, so the count is the bound that holds
        return cache.estimatedSize();
    }

    /**
     * Replaces the key's value by {@code change} of it, as one step: under the lock of the key's slot (made when the
     * key is new). A change that throws leaves the value as it was.
     */
    private Object update(String key, UnaryOperator<Object> change) {
        while (true) {
            Slot slot = cache.get(key, NEW_SLOT);
            synchronized (slot) {
                if (slot.removed) {
                    continue; // taken meanwhile: the key has, or will get, a new slot
                }
                Object next = change.apply(slot.value);
                slot.value = next;
                return next;
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static List<Sighting> sightings(String key, Object value) {
        if (value instanceof WindowCount) {
            throw new IllegalStateException("state key " + key + " holds a window count, not sightings");
        }
        return value == null ? List.of() : (List<Sighting>) value;
    }

    /** The sightings of {@code list} inside the window ending at {@code at}, in a new mutable list. */
    private static List<Sighting> inside(List<Sighting> list, Instant at, Duration window) {
        List<Sighting> out = new ArrayList<>();
        Instant after = at.minus(window);
        for (Sighting s : list) {
            if (s.timestamp().isAfter(after)) {
                out.add(s);
            }
        }
        return out;
    }
}
