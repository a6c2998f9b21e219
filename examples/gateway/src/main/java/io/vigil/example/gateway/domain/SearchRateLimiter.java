package io.vigil.example.gateway.domain;

import io.vigil.example.gateway.GatewayProperties;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/** A sliding-window limit on searches per user: at most {@code limit} within {@code window}. */
@Component
public class SearchRateLimiter {
    private final int limit;
    private final Duration window;
    private final Clock clock;
    private final ConcurrentMap<String, Deque<Instant>> recent = new ConcurrentHashMap<>();

    @Autowired
    public SearchRateLimiter(GatewayProperties properties) {
        this(properties.searchLimit(), properties.searchWindow(), Clock.systemUTC());
    }

    SearchRateLimiter(int limit, Duration window, Clock clock) {
        this.limit = limit;
        this.window = window;
        this.clock = clock;
    }

    /**
     * Counts a search by {@code user}.
     *
     * @return empty when it may go ahead, otherwise how long until it would be allowed
     */
    public Optional<Duration> acquire(String user) {
        Instant now = clock.instant();
        Deque<Instant> times = recent.computeIfAbsent(user, k -> new ArrayDeque<>());
        synchronized (times) {
            Instant cutoff = now.minus(window);
            while (!times.isEmpty() && !times.peekFirst().isAfter(cutoff)) {
                times.pollFirst();
            }
            if (times.size() >= limit) {
                return Optional.of(Duration.between(cutoff, times.peekFirst()));
            }
            times.addLast(now);
            return Optional.empty();
        }
    }
}
