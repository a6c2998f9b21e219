package io.vigil.spring.internal.security;

import io.vigil.event.AuditEvent;
import io.vigil.event.EventCatalog;
import io.vigil.event.Target;
import io.vigil.spring.internal.web.RequestAudit;
import org.springframework.context.event.EventListener;
import org.springframework.security.authentication.ProviderNotFoundException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.authentication.event.AbstractAuthenticationFailureEvent;
import org.springframework.security.authentication.event.AuthenticationSuccessEvent;
import org.springframework.security.authentication.event.InteractiveAuthenticationSuccessEvent;
import org.springframework.security.authentication.event.LogoutSuccessEvent;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.web.authentication.switchuser.AuthenticationSwitchUserEvent;
import org.springframework.security.web.authentication.switchuser.SwitchUserGrantedAuthority;

import java.util.Optional;

/**
 * Logins, login failures, logouts and user switches.
 *
 * <ul>
 *   <li>An interactive login (form, remember-me, OAuth2 or SAML login, …) is {@code auth.login.success} with
 *   {@code details.method}.</li>
 *   <li>A stateless authentication (HTTP Basic, a bearer token, an application's own token) happens on every
 *   request, so it is recorded only when {@code vigil.security.stateless-success} is on, and then once per request.
 *   An interactive login fires the same event first; it is recognised by its kind (remember-me, OAuth2, SAML, …)
 *   and left to the interactive event. A username and password sent without an Authorization header may be a form
 *   login or an application authenticating by itself: that one waits for the end of the request, and the form
 *   login's interactive event cancels it. Authorization Server client and token authentications are audited as
 *   token events, not here.</li>
 *   <li>Every failure is {@code auth.login.failure} with a reason code; a presented token is recorded as its keyed
 *   hash, never as a name. The provider-not-found failure a filter chain's parent manager publishes before the real
 *   failure is kept only when no other outcome is recorded for the request.</li>
 *   <li>A logout is {@code auth.logout}; the session it invalidated is recorded as ended right after it.</li>
 * </ul>
 */
public final class AuthenticationAuditor {
    static final String STATELESS_SUCCESS = "stateless-success";
    static final String INTERACTIVE_LOGIN = "interactive-login";
    static final String FAILURE = "authentication-failure";
    static final String NO_PROVIDER = "authentication-failure-no-provider";
    /** Marked when a logout succeeded in the request: a session ended by it ended, rather than timed out. */
    public static final String LOGOUT = "logout";
    private static final String AUTHORIZATION_SERVER = "org.springframework.security.oauth2.server.authorization.";

    private final SecurityEvents events;
    private final boolean statelessSuccess;

    public AuthenticationAuditor(SecurityEvents events, boolean statelessSuccess) {
        this.events = events;
        this.statelessSuccess = statelessSuccess;
    }

    @EventListener
    public void onInteractiveSuccess(InteractiveAuthenticationSuccessEvent event) {
        try {
            Authentication a = event.getAuthentication();
            Optional<RequestAudit> request = RequestAudit.current();
            request.ifPresent(r -> {
                r.mark(INTERACTIVE_LOGIN);
                r.cancel(STATELESS_SUCCESS); // the authentication event that came first was this login
                r.cancel(NO_PROVIDER);
            });
            AuditEvent.Builder b = events.builder(EventCatalog.AUTH_LOGIN_SUCCESS, Principals.actor(a))
                    .detail("method", LoginMethods.of(Optional.ofNullable(event.getGeneratedBy()), a, request));
            events.record(b, "interactive login");
        } catch (RuntimeException e) {
            events.failures().failed("interactive login", e);
        }
    }

    @EventListener
    public void onSuccess(AuthenticationSuccessEvent event) {
        if (!statelessSuccess) {
            return;
        }
        try {
            Authentication a = event.getAuthentication();
            if (a == null || a.getClass().getName().startsWith(AUTHORIZATION_SERVER)) {
                return; // the Authorization Server's client and grant authentications: audited as token events
            }
            Optional<RequestAudit> request = RequestAudit.current();
            if (request.isPresent() && (request.get().marked(INTERACTIVE_LOGIN)
                    || request.get().marked(STATELESS_SUCCESS))) {
                return;
            }
            Kind kind = kind(a, request);
            if (kind == Kind.INTERACTIVE) {
                return; // the interactive event that follows records it
            }
            AuditEvent.Builder b = events.builder(EventCatalog.AUTH_LOGIN_SUCCESS, Principals.actor(a))
                    .detail("method", LoginMethods.of(Optional.empty(), a, request))
                    .detail("stateless", true);
            Principals.token(a).ifPresent(t -> b.detail("tokenHash", events.hash(t)));
            if (request.isEmpty()) {
                events.record(b, "stateless authentication");
                return;
            }
            request.get().mark(STATELESS_SUCCESS);
            request.get().cancel(NO_PROVIDER);
            if (kind == Kind.STATELESS) {
                events.record(b, "stateless authentication");
            } else {
                // A username and password without an Authorization header: a form login, whose interactive event
                // comes next and cancels this, or an application authenticating by itself, recorded at the end.
                request.get().defer(STATELESS_SUCCESS, () -> events.record(b, "stateless authentication"));
            }
        } catch (RuntimeException e) {
            events.failures().failed("stateless authentication", e);
        }
    }

    /** What an authentication success event turns out to be. */
    private enum Kind { STATELESS, INTERACTIVE, UNDECIDED }

    private static Kind kind(Authentication a, Optional<RequestAudit> request) {
        String method = LoginMethods.of(Optional.empty(), a, request);
        switch (method) {
            case "basic", "bearer":
                return Kind.STATELESS;
            case "remember_me", "oauth2", "saml2", "one_time_token", "webauthn":
                return Kind.INTERACTIVE; // their filters publish an interactive success right after
            default:
                return a instanceof UsernamePasswordAuthenticationToken ? Kind.UNDECIDED : Kind.STATELESS;
        }
    }

    @EventListener
    public void onFailure(AbstractAuthenticationFailureEvent event) {
        FailureSightings.seen(event.getException());
        try {
            Authentication a = event.getAuthentication();
            if (a != null && a.getClass().getName().startsWith(AUTHORIZATION_SERVER) && !Principals.isClient(a)) {
                return; // a grant refused at the token endpoint: the Authorization Server integration records it
            }
            Optional<RequestAudit> request = RequestAudit.current();
            boolean noProvider = event.getException() instanceof ProviderNotFoundException;
            if (request.isPresent()) {
                if (noProvider) {
                    // A filter chain's manager asks its parent when its own providers fail; the parent, knowing no
                    // provider for the token, publishes this before the real failure. Kept only if nothing else is.
                    if (!request.get().marked(FAILURE)) {
                        AuditEvent.Builder b = failure(event, a, request);
                        request.get().defer(NO_PROVIDER, () -> events.record(b, "authentication failure"));
                    }
                    return;
                }
                request.get().mark(FAILURE);
                request.get().cancel(NO_PROVIDER);
            }
            events.record(failure(event, a, request), "authentication failure");
        } catch (RuntimeException e) {
            events.failures().failed("authentication failure", e);
        }
    }

    private AuditEvent.Builder failure(AbstractAuthenticationFailureEvent event, Authentication a,
                                       Optional<RequestAudit> request) {
        Principals.Attempt attempt = Principals.attempted(a, events);
        return events.builder(EventCatalog.AUTH_LOGIN_FAILURE, attempt.actor())
                .details(attempt.details())
                .detail("method", LoginMethods.of(Optional.empty(), a, request))
                .reason(FailureReasons.code(event.getException()))
                .error(event.getException().getClass().getName());
    }

    @EventListener
    public void onLogout(LogoutSuccessEvent event) {
        try {
            Optional<RequestAudit> request = RequestAudit.current();
            request.ifPresent(r -> r.mark(LOGOUT));
            events.record(events.builder(EventCatalog.AUTH_LOGOUT, Principals.actor(event.getAuthentication())),
                    "logout");
            // The session the logout invalidated ended with it: recorded now, before the logout's response.
            request.ifPresent(r -> r.runDeferred(SessionAuditor.SESSION_END, events.failures()));
        } catch (RuntimeException e) {
            events.failures().failed("logout", e);
        }
    }

    @EventListener
    public void onSwitchUser(AuthenticationSwitchUserEvent event) {
        try {
            Authentication current = event.getAuthentication();
            UserDetails target = event.getTargetUser();
            boolean exit = false;
            if (current != null) {
                for (GrantedAuthority g : current.getAuthorities()) {
                    if (g instanceof SwitchUserGrantedAuthority) {
                        exit = true; // acting as someone already: this switch goes back
                        break;
                    }
                }
            }
            AuditEvent.Builder b = events.builder(EventCatalog.AUTH_USER_SWITCHED, Principals.actor(current))
                    .detail("exit", exit);
            if (target != null && target.getUsername() != null && !target.getUsername().isBlank()) {
                b.target(Target.of("user", target.getUsername()));
            }
            events.record(b, "switch user");
        } catch (RuntimeException e) {
            events.failures().failed("switch user", e);
        }
    }
}
