package io.vigil.spring.internal.security;

import io.vigil.event.Actor;
import io.vigil.event.AuditEvent;
import io.vigil.event.EventCatalog;
import io.vigil.spring.internal.web.RequestAudit;
import jakarta.servlet.http.HttpSession;
import org.springframework.context.event.EventListener;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.authentication.session.SessionFixationProtectionEvent;
import org.springframework.security.web.session.HttpSessionCreatedEvent;
import org.springframework.security.web.session.HttpSessionDestroyedEvent;
import org.springframework.security.web.session.HttpSessionIdChangedEvent;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The servlet session's life: {@code session.started}; {@code session.renewed} when its id changes (fixation
 * protection on login), with the previous id's hash in {@code details.previousSessionId}; and its end. A session
 * destroyed while a request is served is decided at the end of the request: {@code session.ended} when the request
 * logged out, nothing when the login's fixation protection replaced it (that is the renewal), {@code session.timeout}
 * otherwise (invalidated by the application). One destroyed outside any request expired: {@code session.timeout}.
 * Session ids appear only as keyed hashes.
 */
public final class SessionAuditor {
    static final String RENEWED_FROM = "renewed-from:";
    /** The key prefix of a session end waiting for the request to say how it ended. */
    static final String SESSION_END = "session-end:";
    private static final int RECENT_RENEWALS = 1024;

    private final SecurityEvents events;
    private final Clock clock;
    /** Renewals already recorded where no request state can say so: Spring publishes two events per renewal. */
    private final Map<String, Boolean> recentRenewals = new LinkedHashMap<>(64, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > RECENT_RENEWALS;
        }
    };

    public SessionAuditor(SecurityEvents events, Clock clock) {
        this.events = events;
        this.clock = clock;
    }

    @EventListener
    public void onCreated(HttpSessionCreatedEvent event) {
        try {
            String hash = events.hash(event.getSession().getId());
            Optional<RequestAudit> request = RequestAudit.current();
            request.ifPresent(r -> r.sessionChanged(Optional.of(hash)));
            events.record(events.builder(EventCatalog.SESSION_STARTED, currentActor()).sessionId(hash),
                    "session start");
        } catch (RuntimeException e) {
            events.failures().failed("session start", e);
        }
    }

    @EventListener
    public void onIdChanged(HttpSessionIdChangedEvent event) {
        renewed(event.getOldSessionId(), event.getNewSessionId(), currentActor(), false);
    }

    @EventListener
    public void onFixationProtection(SessionFixationProtectionEvent event) {
        renewed(event.getOldSessionId(), event.getNewSessionId(), Principals.actor(event.getAuthentication()), true);
    }

    /**
     * Spring Security announces a login's renewal twice: the container's id change first (while the login is not
     * yet in the security context), then fixation protection with the authentication. The second is the one
     * recorded; an id change nobody explains is recorded at the end of the request.
     */
    private void renewed(String oldId, String newId, Actor actor, boolean fixationProtection) {
        try {
            String oldHash = events.hash(oldId);
            String newHash = events.hash(newId);
            Optional<RequestAudit> request = RequestAudit.current();
            AuditEvent.Builder b = events.builder(EventCatalog.SESSION_RENEWED, actor)
                    .sessionId(newHash)
                    .detail("previousSessionId", oldHash);
            if (fixationProtection) {
                b.detail("cause", "fixation_protection");
            }
            if (request.isPresent()) {
                RequestAudit r = request.get();
                r.sessionChanged(Optional.of(newHash));
                r.mark(RENEWED_FROM + oldHash);
                r.cancel(SESSION_END + oldHash); // a migrated session was destroyed first: that is this renewal
                String key = "session-renewed:" + oldHash;
                if (fixationProtection) {
                    r.cancel(key);
                    if (r.mark(key)) {
                        events.record(b, "session renewal");
                    }
                } else if (!r.marked(key)) {
                    r.defer(key, () -> {
                        if (r.mark(key)) {
                            events.record(b, "session renewal");
                        }
                    });
                }
                return;
            }
            boolean first;
            synchronized (recentRenewals) {
                first = recentRenewals.putIfAbsent(oldHash + ">" + newHash, Boolean.TRUE) == null;
            }
            if (first) {
                events.record(b, "session renewal");
            }
        } catch (RuntimeException e) {
            events.failures().failed("session renewal", e);
        }
    }

    @EventListener
    public void onDestroyed(HttpSessionDestroyedEvent event) {
        try {
            String hash = events.hash(event.getId());
            Actor actor = Actor.anonymous();
            for (SecurityContext c : event.getSecurityContexts()) {
                Actor a = Principals.actor(c.getAuthentication());
                if (a.id().isPresent()) {
                    actor = a;
                    break;
                }
            }
            Optional<Long> durationMs = duration(event.getSession());
            Optional<RequestAudit> request = RequestAudit.current();
            AuditEvent.Builder b = events.builder(EventCatalog.SESSION_TIMEOUT, actor).sessionId(hash);
            durationMs.ifPresent(d -> b.detail("durationMs", d));
            if (request.isEmpty()) {
                events.record(b.detail("cause", "expired"), "session end");
                return;
            }
            RequestAudit r = request.get();
            r.defer(SESSION_END + hash, () -> {
                if (r.marked(RENEWED_FROM + hash)) {
                    return; // replaced by fixation protection: recorded as the renewal
                }
                if (r.marked(AuthenticationAuditor.LOGOUT)) {
                    b.type(EventCatalog.SESSION_ENDED).detail("cause", "logout");
                } else {
                    b.detail("cause", "invalidated");
                }
                events.record(b, "session end");
            });
        } catch (RuntimeException e) {
            events.failures().failed("session end", e);
        }
    }

    private Optional<Long> duration(HttpSession session) {
        try {
            long ms = clock.millis() - session.getCreationTime();
            return ms >= 0 ? Optional.of(ms) : Optional.empty();
        } catch (IllegalStateException alreadyInvalid) {
            return Optional.empty();
        }
    }

    private static Actor currentActor() {
        Authentication a = SecurityContextHolder.getContext().getAuthentication();
        return Principals.actor(a);
    }
}
