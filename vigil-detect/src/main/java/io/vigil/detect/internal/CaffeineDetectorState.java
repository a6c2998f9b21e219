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

/**
 * {@link DetectorState} in a Caffeine cache: bounded by a maximum number of keys and an expiry after last use, so an
 * attacker who sprays a million accounts costs at most {@code maximumKeys} entries. Each key holds an immutable value
 * (a list of sightings, or a {@link WindowCount}), replaced atomically through {@code asMap().compute}, so readers
 * never see a half-made change.
 *
 * <p>Caffeine's expiry runs on its own (wall-clock) ticker; that is fine, because it only bounds memory: which
 * sightings are inside a window is decided on their event timestamps alone.
 */
public final class CaffeineDetectorState implements DetectorState {

    /** Each value is a {@code List<Sighting>} or a {@link WindowCount}; {@link #sightings} tells them apart. */
    private final Cache<String, Object> cache;

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
        List<Sighting> after = (List<Sighting>) cache.asMap().compute(key, (k, before) -> {
            List<Sighting> kept = inside(sightings(k, before), sighting.timestamp(), window);
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
        List<List<Sighting>> removed = new ArrayList<>(1);
        // compute rather than remove: a key holding a count must fail the call and stay as it was.
        cache.asMap().compute(key, (k, before) -> {
            removed.add(sightings(k, before));
            return null;
        });
        return List.copyOf(inside(removed.isEmpty() ? List.of() : removed.get(0), at, window));
    }

    @Override
    public WindowCount count(String key, Sighting sighting, Duration window, int keepFirst) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(sighting, "sighting");
        Objects.requireNonNull(window, "window");
        if (keepFirst < 0) {
            throw new IllegalArgumentException("keepFirst " + keepFirst + " must not be negative");
        }
        return (WindowCount) cache.asMap().compute(key, (k, before) -> {
            if (before != null && !(before instanceof WindowCount)) {
                throw new IllegalStateException("state key " + k + " holds sightings, not a window count");
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
        List<List<Sighting>> before = new ArrayList<>(1); // what compute saw, handed out of the lambda
        cache.asMap().compute(key, (k, held) -> {
            List<Sighting> kept = inside(sightings(k, held), sighting.timestamp(), window);
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
