package io.vigil.spring.internal.authserver;

import io.vigil.event.Actor;
import io.vigil.event.AuditEvent;
import io.vigil.event.EventCatalog;
import io.vigil.spring.internal.web.RequestAudit;
import org.springframework.context.event.EventListener;
import org.springframework.security.authentication.ProviderNotFoundException;
import org.springframework.security.authentication.event.AbstractAuthenticationFailureEvent;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationGrantAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2RefreshTokenAuthenticationToken;

import java.util.Optional;

/**
 * Grants the token endpoint refused, from the authentication failure events Spring Security publishes for them
 * (Vigil makes sure one is published for every OAuth2 error): a refused refresh is
 * {@code auth.token.refresh_failed}, any other refused grant {@code auth.token.rejected}, each with the OAuth2 error
 * code as reason ({@code invalid_grant}, …) and the presented code or refresh token as a keyed hash. A spent token
 * presented again is {@code auth.token.reused}: recorded when the store found it spent, or here when it is a refresh
 * token the store no longer knows because it was rotated away. (A client that
 * fails to authenticate is an {@code auth.login.failure} of the client, recorded with the other login failures.)
 */
public final class TokenEndpointAuditor {
    private final TokenEvents events;

    TokenEndpointAuditor(TokenEvents events) {
        this.events = events;
    }

    @EventListener
    public void onFailure(AbstractAuthenticationFailureEvent event) {
        if (!(event.getAuthentication() instanceof OAuth2AuthorizationGrantAuthenticationToken grant)
                || event.getException() instanceof ProviderNotFoundException) {
            // The second case: the filter chain's manager, whose providers refused the grant, asked its parent,
            // which has no provider for grants and says so; the refusal itself is published too.
            return;
        }
        try {
            Optional<String> presented = Optional.empty();
            String tokenType = null;
            if (grant instanceof OAuth2RefreshTokenAuthenticationToken refresh) {
                presented = Optional.ofNullable(refresh.getRefreshToken());
                tokenType = "refresh_token";
            } else if (grant instanceof OAuth2AuthorizationCodeAuthenticationToken code) {
                presented = Optional.ofNullable(code.getCode());
                tokenType = "authorization_code";
            }
            Optional<String> hash = presented.filter(p -> !p.isEmpty()).map(events::hash);
            Optional<PresentedTokens.Spent> spent = PresentedTokens.current();
            PresentedTokens.clear();
            if (hash.isPresent() && spent.isPresent() && spent.get().tokenHash().equals(hash.get())) {
                return; // recorded as auth.token.reused when the spent token was looked up
            }
            boolean refresh = grant instanceof OAuth2RefreshTokenAuthenticationToken;
            boolean rotatedAway = refresh && hash.isPresent() && events.spentRefreshTokens().contains(hash.get());
            AuditEvent.Builder b = AuditEvent.builder(rotatedAway ? EventCatalog.AUTH_TOKEN_REUSED
                            : refresh ? EventCatalog.AUTH_TOKEN_REFRESH_FAILED : EventCatalog.AUTH_TOKEN_REJECTED)
                    .actor(client(grant))
                    .detail("grantType", grant.getGrantType().getValue())
                    .reason(rotatedAway ? "spent_token_presented" : errorCode(event));
            if (tokenType != null) {
                b.detail("tokenType", tokenType);
            }
            hash.ifPresent(h -> b.detail("tokenHash", h));
            RequestAudit.current().ifPresent(r -> b.requestId(r.requestId()));
            events.record(b, "token grant refused");
        } catch (RuntimeException e) {
            events.failed("token grant refused", e);
        }
    }

    private static Actor client(OAuth2AuthorizationGrantAuthenticationToken grant) {
        if (grant.getPrincipal() instanceof Authentication client && client.getName() != null
                && !client.getName().isBlank()) {
            return Actor.api(client.getName());
        }
        return Actor.anonymous();
    }

    private static String errorCode(AbstractAuthenticationFailureEvent event) {
        if (event.getException() instanceof OAuth2AuthenticationException o && o.getError() != null) {
            String code = o.getError().getErrorCode();
            if (code != null && code.matches("[a-z0-9_]{1,64}")) {
                return code;
            }
        }
        return "invalid_request";
    }
}
