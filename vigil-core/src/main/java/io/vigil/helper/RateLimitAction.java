package io.vigil.helper;

/**
 * The legacy rate-limit action names (of the legacy rate_limit helper).
 *
 * @see RateLimitEvents#record(RateLimitAction, io.vigil.event.Outcome, io.vigil.event.Actor)
 */
public enum RateLimitAction {
    REQUEST_LIMITED("request_limited"),
    CHANNEL_LIMITED("channel_limited"),
    AUTH_BACKOFF("auth_backoff");

    private final String action;

    RateLimitAction(String action) {
        this.action = action;
    }

    /** The action as named in the catalogue mappings, e.g. {@code request_limited}; see {@link CatalogMappings}. */
    public String action() {
        return action;
    }
}
