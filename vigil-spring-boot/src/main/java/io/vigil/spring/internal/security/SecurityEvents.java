package io.vigil.spring.internal.security;

import io.vigil.AuditLog;
import io.vigil.event.Actor;
import io.vigil.event.AuditEvent;
import io.vigil.event.EventType;
import io.vigil.spring.SecretHasher;
import io.vigil.spring.internal.web.IntegrationFailures;
import io.vigil.spring.internal.web.RequestAudit;
import jakarta.servlet.http.HttpSession;

import java.util.Optional;

/**
 * Starts events from what is known at the moment a listener runs: the request's correlation values, the client's
 * address and user agent, and the keyed hash of the session the request holds <em>now</em> (a login or logout may
 * have created, renewed or ended it since the request began). Events built here are complete, so they can be
 * recorded later (at the end of the request) without losing anything.
 */
public final class SecurityEvents {
    private final AuditLog log;
    private final SecretHasher hasher;
    private final IntegrationFailures failures;

    public SecurityEvents(AuditLog log, SecretHasher hasher, IntegrationFailures failures) {
        this.log = log;
        this.hasher = hasher;
        this.failures = failures;
    }

    /** An event of {@code type} by {@code actor}, carrying the current request's values. */
    public AuditEvent.Builder builder(EventType type, Actor actor) {
        AuditEvent.Builder b = AuditEvent.builder(type);
        Optional<RequestAudit> request = RequestAudit.current();
        if (request.isPresent()) {
            RequestAudit r = request.get();
            b.requestId(r.requestId());
            r.traceId().ifPresent(b::traceId);
            r.tenant().ifPresent(b::tenant);
            currentSessionHash(r).ifPresent(b::sessionId);
            if (actor.ip().isEmpty() && r.clientIp().isPresent()) {
                actor = actor.withIp(r.clientIp().get());
            }
            if (actor.userAgent().isEmpty() && r.userAgent().isPresent()) {
                actor = actor.withUserAgent(r.userAgent().get());
            }
        }
        return b.actor(actor);
    }

    /** The hash of the request's session now, or of the last one it had (a logout has just ended it). */
    public Optional<String> currentSessionHash(RequestAudit r) {
        Optional<HttpSession> session = r.session();
        if (session.isPresent()) {
            try {
                return Optional.of(hasher.hash(session.get().getId()));
            } catch (IllegalStateException invalidated) {
                // fall through to the last known
            }
        }
        return r.sessionHash();
    }

    /** The keyed hash of a secret: a session id, a token. */
    public String hash(String secret) {
        return hasher.hash(secret);
    }

    /** Hands the event to the log; never throws (a failure is counted and logged). */
    public void record(AuditEvent.Builder event, String what) {
        try {
            log.record(event);
        } catch (RuntimeException e) {
            failures.failed(what, e);
        }
    }

    public IntegrationFailures failures() {
        return failures;
    }
}
