package io.vigil.detect.internal;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import java.time.Duration;
import java.util.UUID;

/**
 * The ids of the events the stage records itself (findings, account locks), so that it recognises them when they come
 * past and does not show them to the detectors: a finding fed back could count towards another.
 */
public final class OwnEvents {

    /** More than can be in flight in any queue the log allows. */
    private static final long MAX_IDS = 1_000_000;
    /** Far longer than an event spends between being recorded and reaching the stage. */
    private static final Duration EXPIRY = Duration.ofMinutes(10);

    /** Upkeep on the calling thread, as in {@link CaffeineDetectorState}: no pool thread woken per few reads. */
    private final Cache<UUID, Boolean> ids = Caffeine.newBuilder().maximumSize(MAX_IDS).expireAfterWrite(EXPIRY)
            .executor(Runnable::run).build();

    /** Remembers an event the stage is about to record. */
    public void mark(UUID id) {
        ids.put(id, Boolean.TRUE);
    }

    /** Forgets an event the stage could not record after all; it will not come past. */
    public void forget(UUID id) {
        ids.invalidate(id);
    }

    /** Whether {@code id} is one of the stage's own events; forgets it, since each comes past once. */
    public boolean recognise(UUID id) {
        // A read first: nearly every event is not the stage's own, and to Caffeine a removal is a write.
        return ids.getIfPresent(id) != null && ids.asMap().remove(id) != null;
    }
}
