package io.vigil.example.gateway;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/**
 * The gateway's own settings under {@code gateway.*}.
 *
 * @param bcryptStrength the BCrypt cost of stored passwords (4 to 31); every password check costs 2^strength rounds
 * @param searchLimit    searches a user may make within {@code searchWindow}; the next one gets 429
 * @param searchWindow   the sliding window of the search rate limit
 * @param tokenLifetime  how long an API token from {@code POST /api/tokens} stays valid
 */
@ConfigurationProperties(prefix = "gateway")
public record GatewayProperties(@DefaultValue("10") int bcryptStrength,
                                @DefaultValue("5") int searchLimit,
                                @DefaultValue("10s") Duration searchWindow,
                                @DefaultValue("8h") Duration tokenLifetime) {

    public GatewayProperties {
        if (bcryptStrength < 4 || bcryptStrength > 31) {
            throw new IllegalArgumentException("gateway.bcrypt-strength must be between 4 and 31, not " + bcryptStrength);
        }
        if (searchLimit < 1) {
            throw new IllegalArgumentException("gateway.search-limit must be at least 1, not " + searchLimit);
        }
        if (searchWindow.isNegative() || searchWindow.isZero()) {
            throw new IllegalArgumentException("gateway.search-window must be positive, not " + searchWindow);
        }
        if (tokenLifetime.isNegative() || tokenLifetime.isZero()) {
            throw new IllegalArgumentException("gateway.token-lifetime must be positive, not " + tokenLifetime);
        }
    }
}
