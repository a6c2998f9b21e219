package io.vigil.example.gateway.security;

import io.vigil.example.gateway.domain.ApiToken;
import io.vigil.example.gateway.domain.ApiTokens;
import io.vigil.example.gateway.domain.UserDirectory;
import io.vigil.spring.TokenAudit;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.oauth2.core.DefaultOAuth2AuthenticatedPrincipal;
import org.springframework.security.oauth2.core.OAuth2AccessToken;
import org.springframework.security.oauth2.core.OAuth2AuthenticatedPrincipal;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.resource.introspection.BadOpaqueTokenException;
import org.springframework.security.oauth2.server.resource.introspection.OpaqueTokenIntrospector;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Checks the bearer tokens presented to {@code /api/**} in-process: the gateway's own API tokens, then access tokens
 * of its Authorization Server. An API token acts with its owner's roles (while the owner may sign in); an access
 * token with its scopes. A use of an API token and every refused token go to {@link TokenAudit}, which records a
 * revoked token presented again as {@code auth.token.reused}.
 */
public final class BearerTokenIntrospector implements OpaqueTokenIntrospector {
    private final ApiTokens apiTokens;
    private final UserDirectory users;
    private final OAuth2AuthorizationService authorizations;
    private final ObjectProvider<TokenAudit> audit;

    public BearerTokenIntrospector(ApiTokens apiTokens, UserDirectory users, OAuth2AuthorizationService authorizations,
                                   ObjectProvider<TokenAudit> audit) {
        this.apiTokens = apiTokens;
        this.users = users;
        this.authorizations = authorizations;
        this.audit = audit;
    }

    @Override
    public OAuth2AuthenticatedPrincipal introspect(String token) {
        Optional<ApiToken> api = apiTokens.findActive(token);
        if (api.isPresent()) {
            return apiTokenPrincipal(token, api.get());
        }
        Optional<OAuth2AuthenticatedPrincipal> issued = accessTokenPrincipal(token);
        if (issued.isPresent()) {
            return issued.get();
        }
        return reject(token, "unknown, expired or revoked token");
    }

    private OAuth2AuthenticatedPrincipal apiTokenPrincipal(String token, ApiToken t) {
        Optional<UserDetails> owner = users.find(t.owner());
        if (owner.isEmpty() || !owner.get().isEnabled() || !owner.get().isAccountNonLocked()) {
            return reject(token, "the token's owner may not sign in");
        }
        audit.ifAvailable(a -> a.used(token, t.id(), t.owner()));
        List<GrantedAuthority> authorities = new ArrayList<>(owner.get().getAuthorities());
        return new DefaultOAuth2AuthenticatedPrincipal(t.owner(),
                Map.of("token_id", t.id(), "token_kind", "api"), authorities);
    }

    private Optional<OAuth2AuthenticatedPrincipal> accessTokenPrincipal(String token) {
        OAuth2Authorization authorization = authorizations.findByToken(token, OAuth2TokenType.ACCESS_TOKEN);
        if (authorization == null) {
            return Optional.empty();
        }
        OAuth2Authorization.Token<OAuth2AccessToken> access = authorization.getAccessToken();
        if (access == null || !access.isActive() || !access.getToken().getTokenValue().equals(token)) {
            return Optional.empty();
        }
        List<GrantedAuthority> authorities = new ArrayList<>();
        for (String scope : access.getToken().getScopes()) {
            authorities.add(new SimpleGrantedAuthority("SCOPE_" + scope));
        }
        return Optional.of(new DefaultOAuth2AuthenticatedPrincipal(authorization.getPrincipalName(),
                Map.of("registered_client_id", authorization.getRegisteredClientId(), "token_kind", "oauth2"), authorities));
    }

    private OAuth2AuthenticatedPrincipal reject(String token, String reason) {
        audit.ifAvailable(a -> a.rejected(token, reason));
        throw new BadOpaqueTokenException(reason);
    }
}
