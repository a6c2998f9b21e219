package io.vigil.spring.internal.security;

import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.server.resource.authentication.AbstractOAuth2TokenAuthenticationToken;
import org.springframework.security.oauth2.server.resource.authentication.BearerTokenAuthenticationToken;

import java.util.Optional;

/** The token values of the resource server's authentications. Loaded only when the resource server is present. */
final class BearerTokens {

    private BearerTokens() {
    }

    /** The raw token of a presented ({@link BearerTokenAuthenticationToken}) or accepted bearer authentication. */
    static Optional<String> token(Authentication a) {
        if (a instanceof BearerTokenAuthenticationToken bearer) {
            return Optional.ofNullable(bearer.getToken()).filter(t -> !t.isEmpty());
        }
        if (a instanceof AbstractOAuth2TokenAuthenticationToken<?> accepted && accepted.getToken() != null) {
            return Optional.ofNullable(accepted.getToken().getTokenValue()).filter(t -> !t.isEmpty());
        }
        return Optional.empty();
    }

    /** A bearer token presented but not yet validated: its name is the token itself. */
    static boolean isUnauthenticatedBearer(Authentication a) {
        return a instanceof BearerTokenAuthenticationToken;
    }
}
