package io.vigil.spring.internal.token;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The hashes of revoked tokens, remembered so that a revoked token presented again is recognised as reuse. Memory is
 * bounded twice: at most {@code capacity} hashes (the oldest forgotten first) and each for at most
 * {@code retention} (a token revoked long ago has usually expired anyway). Time comes from the injected clock.
 */
public final class RevokedTokens {
    private final int capacity;
    private final Duration retention;
    private final Clock clock;
    /** Insertion order is revocation order, so the eldest entry is the first to expire. */
    private final LinkedHashMap<String, Instant> revoked = new LinkedHashMap<>();

    public RevokedTokens(int capacity, Duration retention, Clock clock) {
        if (capacity < 0) {
            throw new IllegalArgumentException("capacity must be 0 or more: " + capacity);
        }
        if (retention.isNegative()) {
            throw new IllegalArgumentException("retention must not be negative: " + retention);
        }
        this.capacity = capacity;
        this.retention = retention;
        this.clock = clock;
    }

    /** Remembers a revoked token's hash from now on. */
    public void remember(String tokenHash) {
        if (capacity == 0) {
            return;
        }
        Instant now = clock.instant();
        synchronized (revoked) {
            expire(now);
            revoked.remove(tokenHash); // revoked again: it moves to the young end
            revoked.put(tokenHash, now);
            while (revoked.size() > capacity) {
                Iterator<String> eldest = revoked.keySet().iterator();
                eldest.next();
                eldest.remove();
            }
        }
    }

    /** Whether the token was revoked within the retention and is still remembered. */
    public boolean contains(String tokenHash) {
        Instant now = clock.instant();
        synchronized (revoked) {
            Instant at = revoked.get(tokenHash);
            if (at == null) {
                return false;
            }
            if (expired(at, now)) {
                expire(now);
                return false;
            }
            return true;
        }
    }

    /** How many hashes are remembered now. */
    public int size() {
        synchronized (revoked) {
            expire(clock.instant());
            return revoked.size();
        }
    }

    private void expire(Instant now) {
        Iterator<Map.Entry<String, Instant>> it = revoked.entrySet().iterator();
        while (it.hasNext()) {
            if (!expired(it.next().getValue(), now)) {
                return;
            }
            it.remove();
        }
    }

    private boolean expired(Instant revokedAt, Instant now) {
        return Duration.between(revokedAt, now).compareTo(retention) > 0;
    }
}
