package io.vigil.spring.internal.security;

import io.vigil.event.Actor;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.authentication.RememberMeAuthenticationToken;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.authentication.ott.OneTimeTokenAuthenticationToken;
import org.springframework.security.core.AuthenticatedPrincipal;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.util.ClassUtils;

import java.security.Principal;
import java.util.Map;
import java.util.Optional;

/**
 * Who an {@link Authentication} names, without ever recording a secret. A failed bearer authentication's principal
 * <em>is</em> the raw token, and an application's own token types often hold an API key as their principal, so a
 * name is recorded only when the authentication is of a kind whose name is an account name; otherwise the event gets
 * a keyed hash ({@code details.tokenHash} or {@code details.principalHash}) that correlates without revealing.
 * Credentials are never read.
 */
final class Principals {
    static final int MAX_NAME_CHARS = 256;
    private static final boolean RESOURCE_SERVER = ClassUtils.isPresent(
            "org.springframework.security.oauth2.server.resource.authentication.BearerTokenAuthenticationToken",
            Principals.class.getClassLoader());
    private static final String CLIENT_AUTHENTICATION =
            "org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientAuthenticationToken";

    private Principals() {
    }

    static boolean isAnonymous(Authentication a) {
        return a == null || a instanceof AnonymousAuthenticationToken;
    }

    /** The actor of a successful or ongoing authentication: its name, or anonymous. */
    static Actor actor(Authentication a) {
        if (isAnonymous(a) || !a.isAuthenticated()) {
            return Actor.anonymous();
        }
        if (carriesToken(a)) {
            return Actor.anonymous();
        }
        return named(a).map(n -> isClient(a) ? Actor.api(n) : Actor.user(n)).orElseGet(Actor::anonymous);
    }

    /**
     * The actor of an attempted authentication, and the hashes that stand for a name that may be a secret. The
     * name is kept only for authentication kinds whose principal is an account name.
     */
    static Attempt attempted(Authentication a, SecurityEvents events) {
        if (a == null) {
            return new Attempt(Actor.anonymous(), Map.of());
        }
        Optional<String> token = token(a);
        if (token.isPresent()) {
            return new Attempt(Actor.anonymous(), Map.of("tokenHash", events.hash(token.get())));
        }
        Object principal = a.getPrincipal();
        boolean accountName = a instanceof UsernamePasswordAuthenticationToken
                || a instanceof RememberMeAuthenticationToken
                || isClient(a)
                || a.getClass().getName().equals(
                        "org.springframework.security.web.authentication.preauth.PreAuthenticatedAuthenticationToken")
                || a.getClass().getName().equals(
                        "org.springframework.security.authentication.jaas.JaasAuthenticationToken")
                || principal instanceof UserDetails || principal instanceof AuthenticatedPrincipal
                || principal instanceof Principal;
        String name;
        try {
            name = a.getName();
        } catch (RuntimeException e) {
            return new Attempt(Actor.anonymous(), Map.of());
        }
        if (name == null || name.isBlank()) {
            return new Attempt(Actor.anonymous(), Map.of());
        }
        if (!accountName) {
            return new Attempt(Actor.anonymous(), Map.of("principalHash", events.hash(name)));
        }
        String n = truncate(name);
        return new Attempt(isClient(a) ? Actor.api(n) : Actor.user(n), Map.of());
    }

    /** Who attempted an authentication, and the hashes recorded in place of a name that may be a secret. */
    record Attempt(Actor actor, Map<String, String> details) {
    }

    /** The token an authentication carries as its principal or value, for hashing. */
    static Optional<String> token(Authentication a) {
        if (a instanceof OneTimeTokenAuthenticationToken ott) {
            return Optional.ofNullable(ott.getTokenValue()).filter(t -> !t.isEmpty());
        }
        if (RESOURCE_SERVER) {
            return BearerTokens.token(a);
        }
        return Optional.empty();
    }

    private static boolean carriesToken(Authentication a) {
        return a instanceof OneTimeTokenAuthenticationToken
                || (RESOURCE_SERVER && BearerTokens.isUnauthenticatedBearer(a));
    }

    static boolean isClient(Authentication a) {
        return a.getClass().getName().equals(CLIENT_AUTHENTICATION);
    }

    static Optional<String> named(Authentication a) {
        try {
            String n = a.getName();
            return n == null || n.isBlank() ? Optional.empty() : Optional.of(truncate(n));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    private static String truncate(String name) {
        return name.length() > MAX_NAME_CHARS ? name.substring(0, MAX_NAME_CHARS) : name;
    }
}
