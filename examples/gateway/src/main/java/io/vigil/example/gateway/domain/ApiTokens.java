package io.vigil.example.gateway.domain;

import io.vigil.event.Actor;
import io.vigil.example.gateway.GatewayProperties;
import io.vigil.spring.TokenAudit;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Service;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Opaque API tokens: issued to a signed-in user, presented as {@code Authorization: Bearer}, revoked by their owner
 * or an admin. Their life is audited through {@link TokenAudit}, which records a keyed hash of each token, never the
 * token. The tokens are kept in memory as issued because {@link TokenAudit} hashes the token itself.
 */
@Service("apiTokens")
public class ApiTokens {
    private static final int TOKEN_BYTES = 32;

    private final ConcurrentMap<String, ApiToken> bySecret = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, ApiToken> byId = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();
    private final ObjectProvider<TokenAudit> audit;
    private final Duration lifetime;
    private final Clock clock = Clock.systemUTC();

    public ApiTokens(ObjectProvider<TokenAudit> audit, GatewayProperties properties) {
        this.audit = audit;
        this.lifetime = properties.tokenLifetime();
    }

    /** Issues a new token to {@code owner}. */
    public ApiToken issue(String owner) {
        byte[] bytes = new byte[TOKEN_BYTES];
        random.nextBytes(bytes);
        ApiToken t = new ApiToken("tok-" + UUID.randomUUID(), "gw_" + Base64.getUrlEncoder().withoutPadding()
                .encodeToString(bytes), owner, clock.instant().plus(lifetime));
        bySecret.put(t.secret(), t);
        byId.put(t.id(), t);
        audit.ifAvailable(a -> a.created(t.secret(), t.id(), owner, t.expiresAt(), Map.of("kind", "api")));
        return t;
    }

    /** Revokes a token; only its owner or an admin may. */
    @PreAuthorize("hasRole('ADMIN') or @apiTokens.isOwner(#id, authentication.name)")
    public void revoke(String id, String by) {
        ApiToken t = byId.remove(id);
        if (t == null) {
            throw new UnknownTokenException(id);
        }
        bySecret.remove(t.secret());
        audit.ifAvailable(a -> a.revoked(t.secret(), t.id(), t.owner(), Actor.user(by)));
    }

    /** Whether {@code username} owns the token with this id; false for an unknown id. */
    public boolean isOwner(String id, String username) {
        ApiToken t = byId.get(id);
        return t != null && t.owner().equals(username);
    }

    /** The token, when it was issued here and has not expired or been revoked. Records nothing. */
    public Optional<ApiToken> findActive(String secret) {
        ApiToken t = bySecret.get(secret);
        if (t == null) {
            return Optional.empty();
        }
        if (!clock.instant().isBefore(t.expiresAt())) {
            bySecret.remove(secret);
            byId.remove(t.id());
            return Optional.empty();
        }
        return Optional.of(t);
    }
}
