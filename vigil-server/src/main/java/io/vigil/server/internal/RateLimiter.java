package io.vigil.server.internal;

import io.vigil.internal.time.Ticker;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Events per second per API key, as a token bucket holding one second's worth: a client may send a second's events
 * at once, then at the rate. Written here because it is a dozen lines; a library would add a dependency for less.
 */
public final class RateLimiter {
    private final double perSecond;
    private final Ticker ticker;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    public RateLimiter(int perSecond, Ticker ticker) {
        this.perSecond = perSecond;
        this.ticker = ticker;
    }

    private static final class Bucket {
        private double tokens;
        private long at;

        Bucket(double tokens, long at) {
            this.tokens = tokens;
            this.at = at;
        }
    }

    /**
     * Takes {@code events} from the key's bucket.
     *
     * @return 0 when allowed; otherwise the whole seconds to wait before the same request fits (at least 1)
     */
    public long acquire(String keyId, int events) {
        long now = ticker.read();
        Bucket b = buckets.computeIfAbsent(keyId, k -> new Bucket(perSecond, now));
        synchronized (b) {
            b.tokens = Math.min(perSecond, b.tokens + (now - b.at) / 1e9 * perSecond);
            b.at = now;
            // A batch larger than a second's worth goes through on a full bucket and leaves it in debt.
            if (b.tokens >= Math.min(events, perSecond)) {
                b.tokens -= events;
                return 0;
            }
            double missing = Math.min(events, perSecond) - b.tokens;
            return Math.max(1, (long) Math.ceil(missing / perSecond));
        }
    }
}
