package io.vigil.spring.internal.authserver;

import io.vigil.event.AuditEvent;
import io.vigil.event.EventCatalog;
import io.vigil.event.EventType;
import io.vigil.spring.internal.web.RequestAudit;
import org.springframework.security.oauth2.core.OAuth2Token;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;

import java.time.Instant;
import java.util.Optional;

/**
 * Decorates the application's {@link OAuth2AuthorizationService}, the one place every token of the Authorization
 * Server passes through, and records what changed on each save by comparing with what was stored before:
 * <ul>
 *   <li>a new access token is {@code auth.token.created}, or {@code auth.token.refreshed} when it replaces one
 *   (the refresh token grant);</li>
 *   <li>a token that was active and is now invalidated (revocation, or the tokens of a reused authorization code)
 *   is {@code auth.token.revoked}; removing an authorization revokes its active tokens;</li>
 *   <li>a spent authorization code or refresh token presented to the token endpoint again is
 *   {@code auth.token.reused} (a refresh token rotated away, which the store forgets, is remembered as a hash for
 *   this, within {@code vigil.tokens.*}'s bounds).</li>
 * </ul>
 * The store's behaviour is unchanged, and a failure to audit never fails the store's call.
 */
public final class AuditingAuthorizationService implements OAuth2AuthorizationService {
    static final OAuth2TokenType AUTHORIZATION_CODE = new OAuth2TokenType("code");

    private final OAuth2AuthorizationService delegate;
    private final TokenEvents events;

    AuditingAuthorizationService(OAuth2AuthorizationService delegate, TokenEvents events) {
        this.delegate = delegate;
        this.events = events;
    }

    /** The decorated service. */
    public OAuth2AuthorizationService delegate() {
        return delegate;
    }

    @Override
    public void save(OAuth2Authorization authorization) {
        OAuth2Authorization before = null;
        try {
            before = authorization == null ? null : delegate.findById(authorization.getId());
        } catch (RuntimeException e) {
            events.failed("authorization lookup", e);
        }
        delegate.save(authorization);
        try {
            audit(before, authorization);
        } catch (RuntimeException e) {
            events.failed("token save", e);
        }
    }

    @Override
    public void remove(OAuth2Authorization authorization) {
        delegate.remove(authorization);
        try {
            if (authorization != null) {
                revokeActive(authorization.getAccessToken(), authorization, "access_token", "removed");
                revokeActive(authorization.getRefreshToken(), authorization, "refresh_token", "removed");
            }
        } catch (RuntimeException e) {
            events.failed("token remove", e);
        }
    }

    @Override
    public OAuth2Authorization findById(String id) {
        return delegate.findById(id);
    }

    @Override
    public OAuth2Authorization findByToken(String token, OAuth2TokenType tokenType) {
        OAuth2Authorization found = delegate.findByToken(token, tokenType);
        try {
            // Only the token endpoint's grants look tokens up by these types; revocation and introspection pass
            // none, and presenting a spent token to them is not a use of it.
            boolean grant = AUTHORIZATION_CODE.equals(tokenType) || OAuth2TokenType.REFRESH_TOKEN.equals(tokenType);
            if (found != null && grant && token != null) {
                OAuth2Authorization.Token<OAuth2Token> presented = found.getToken(token);
                if (presented != null && presented.isInvalidated()) {
                    String hash = events.hash(token);
                    // One grant request may look the code up twice (client authentication with PKCE, then the
                    // grant): one reuse.
                    boolean first = RequestAudit.current().map(r -> r.mark("token-reuse:" + hash))
                            .orElseGet(() -> PresentedTokens.current().filter(p -> p.tokenHash().equals(hash))
                                    .isEmpty());
                    PresentedTokens.spent(found.getId(), hash);
                    if (!first) {
                        return found;
                    }
                    AuditEvent.Builder b = events.about(EventCatalog.AUTH_TOKEN_REUSED, found)
                            .detail("tokenType", tokenType.getValue().equals("code") ? "authorization_code"
                                    : tokenType.getValue())
                            .detail("tokenHash", hash)
                            .reason("spent_token_presented");
                    events.record(b, "token reuse");
                }
            }
        } catch (RuntimeException e) {
            events.failed("token lookup", e);
        }
        return found;
    }

    private void audit(OAuth2Authorization before, OAuth2Authorization after) {
        if (after == null) {
            return;
        }
        OAuth2Authorization.Token<? extends OAuth2Token> access = after.getAccessToken();
        OAuth2Authorization.Token<? extends OAuth2Token> accessBefore = before == null ? null : before.getAccessToken();
        if (access != null && !sameToken(access, accessBefore)) {
            boolean refresh = accessBefore != null;
            AuditEvent.Builder b = events.about(refresh ? EventCatalog.AUTH_TOKEN_REFRESHED
                    : EventCatalog.AUTH_TOKEN_CREATED, after)
                    .detail("tokenType", "access_token")
                    .detail("tokenHash", events.hash(access.getToken().getTokenValue()));
            if (refresh) {
                b.detail("grantType", "refresh_token")
                        .detail("previousTokenHash", events.hash(accessBefore.getToken().getTokenValue()));
            }
            expiry(access).ifPresent(e -> b.detail("expiresAt", e.toString()));
            OAuth2Authorization.Token<? extends OAuth2Token> refreshToken = after.getRefreshToken();
            OAuth2Authorization.Token<? extends OAuth2Token> refreshBefore = before == null ? null : before.getRefreshToken();
            if (refreshBefore != null && !sameToken(refreshBefore, refreshToken)) {
                events.spentRefreshTokens().remember(events.hash(refreshBefore.getToken().getTokenValue()));
            }
            if (refreshToken != null && !sameToken(refreshToken, refreshBefore)) {
                b.detail("refreshTokenHash", events.hash(refreshToken.getToken().getTokenValue()));
                expiry(refreshToken).ifPresent(e -> b.detail("refreshTokenExpiresAt", e.toString()));
            }
            events.record(b, refresh ? "token refreshed" : "token created");
        }
        if (before != null) {
            String cause = PresentedTokens.current()
                    .filter(s -> s.authorizationId().equals(after.getId()))
                    .map(s -> "spent_token_reused").orElse("revoked");
            newlyInvalidated(accessBefore, access, after, "access_token", cause);
            newlyInvalidated(before.getRefreshToken(), after.getRefreshToken(), after, "refresh_token", cause);
        }
    }

    private void newlyInvalidated(OAuth2Authorization.Token<? extends OAuth2Token> before,
                                  OAuth2Authorization.Token<? extends OAuth2Token> after,
                                  OAuth2Authorization authorization, String tokenType, String cause) {
        if (before != null && after != null && sameToken(after, before) && !before.isInvalidated()
                && after.isInvalidated()) {
            record(EventCatalog.AUTH_TOKEN_REVOKED, authorization, after, tokenType, cause);
            if (tokenType.equals("refresh_token")) {
                events.spentRefreshTokens().remember(events.hash(after.getToken().getTokenValue()));
            }
        }
    }

    private void revokeActive(OAuth2Authorization.Token<? extends OAuth2Token> token,
                              OAuth2Authorization authorization, String tokenType, String cause) {
        if (token != null && !token.isInvalidated() && !token.isExpired()) {
            record(EventCatalog.AUTH_TOKEN_REVOKED, authorization, token, tokenType, cause);
            if (tokenType.equals("refresh_token")) {
                events.spentRefreshTokens().remember(events.hash(token.getToken().getTokenValue()));
            }
        }
    }

    private void record(EventType type, OAuth2Authorization authorization,
                        OAuth2Authorization.Token<? extends OAuth2Token> token, String tokenType, String cause) {
        AuditEvent.Builder b = events.about(type, authorization)
                .detail("tokenType", tokenType)
                .detail("tokenHash", events.hash(token.getToken().getTokenValue()))
                .reason(cause);
        events.record(b, "token revoked");
    }

    private static boolean sameToken(OAuth2Authorization.Token<? extends OAuth2Token> a,
                                     OAuth2Authorization.Token<? extends OAuth2Token> b) {
        return b != null && a.getToken().getTokenValue().equals(b.getToken().getTokenValue());
    }

    private static Optional<Instant> expiry(OAuth2Authorization.Token<? extends OAuth2Token> token) {
        return Optional.ofNullable(token.getToken().getExpiresAt());
    }
}
