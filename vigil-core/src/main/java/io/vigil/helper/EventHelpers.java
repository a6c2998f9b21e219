package io.vigil.helper;

import io.vigil.EventRecorder;

import java.util.Objects;

/**
 * Every category helper over one recorder, e.g.
 * {@code helpers.auth().loginFailed(actor, AuthMethod.PASSWORD, "bad password")}.
 */
public final class EventHelpers {
    private final AuthEvents auth;
    private final AuthzEvents authz;
    private final AdminEvents admin;
    private final ConfigEvents config;
    private final RateLimitEvents rateLimit;
    private final ChannelEvents channel;
    private final SessionEvents session;
    private final DataEvents data;
    private final SecurityEvents security;

    /** Helpers recording through {@code recorder}, e.g. the {@code AuditLog}. */
    public EventHelpers(EventRecorder recorder) {
        Objects.requireNonNull(recorder, "recorder");
        this.auth = new AuthEvents(recorder);
        this.authz = new AuthzEvents(recorder);
        this.admin = new AdminEvents(recorder);
        this.config = new ConfigEvents(recorder);
        this.rateLimit = new RateLimitEvents(recorder);
        this.channel = new ChannelEvents(recorder);
        this.session = new SessionEvents(recorder);
        this.data = new DataEvents(recorder);
        this.security = new SecurityEvents(recorder);
    }

    /** Authentication events. */
    public AuthEvents auth() {
        return auth;
    }

    /** Authorization events. */
    public AuthzEvents authz() {
        return authz;
    }

    /** Administrative events. */
    public AdminEvents admin() {
        return admin;
    }

    /** Configuration events. */
    public ConfigEvents configEvents() {
        return config;
    }

    /** Rate-limit events. */
    public RateLimitEvents rateLimit() {
        return rateLimit;
    }

    /** Channel events. */
    public ChannelEvents channel() {
        return channel;
    }

    /** Session events. */
    public SessionEvents session() {
        return session;
    }

    /** Data access events. */
    public DataEvents data() {
        return data;
    }

    /** Security detections. */
    public SecurityEvents security() {
        return security;
    }
}
