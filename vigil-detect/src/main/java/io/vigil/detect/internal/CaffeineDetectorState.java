package io.vigil.detect.internal;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.vigil.detect.DetectorState;
import io.vigil.detect.Sighting;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * {@link DetectorState} in a Caffeine cache: bounded by a maximum number of keys and an expiry after last use, so an
 * attacker who sprays a million accounts costs at most {@code maximumKeys} entries. Each key holds an immutable list,
 * replaced atomically through {@code asMap().compute}, so readers never see a half-made change.
 *
 * <p>Caffeine's expiry runs on its own (wall-clock) ticker; that is fine, because it only bounds memory: which
 * sightings are inside a window is decided on their event timestamps alone.
 */
public final class CaffeineDetectorState implements DetectorState {

    private final Cache<String, List<Sighting>> cache;

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
        return cache.asMap().compute(key, (k, before) -> {
            List<Sighting> kept = inside(before, sighting.timestamp(), window);
            kept.add(sighting);
            int from = Math.max(0, kept.size() - keep);
            return List.copyOf(kept.subList(from, kept.size()));
        });
    }

    @Override
    public List<Sighting> take(String key, Instant at, Duration window) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(window, "window");
        List<Sighting> before = cache.asMap().remove(key);
        return List.copyOf(inside(before, at, window));
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
            List<Sighting> kept = inside(held, sighting.timestamp(), window);
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

    /** The sightings of {@code list} inside the window ending at {@code at}, in a new mutable list. */
    private static List<Sighting> inside(List<Sighting> list, Instant at, Duration window) {
        List<Sighting> out = new ArrayList<>();
        if (list == null) {
            return out;
        }
        Instant after = at.minus(window);
        for (Sighting s : list) {
            if (s.timestamp().isAfter(after)) {
                out.add(s);
            }
        }
        return out;
    }
}
