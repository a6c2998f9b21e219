package io.vigil.spring;

import io.vigil.event.Actor;

import java.time.Instant;
import java.util.Map;

/**
 * Audits tokens and API keys an application issues itself (the OAuth2 Authorization Server's are audited without
 * it). Tokens are never recorded: each event carries {@code details.tokenHash}, the {@link SecretHasher} hash of the
 * token, so its life can be followed from creation to revocation. The actor, ip and request come from the current
 * request. Revoked tokens are remembered (their hashes, in bounded memory) so that a revoked token presented again
 * is recorded as {@code auth.token.reused}.
 */
public interface TokenAudit {

    /** {@code auth.token.created}: a token was issued to {@code owner}. */
    void created(String token, String tokenId, String owner, Instant expiresAt, Map<String, ?> details);

    /** {@code auth.token.used}: a request authenticated with the token. */
    void used(String token, String tokenId, String owner);

    /** {@code auth.token.refreshed}: {@code oldToken} was exchanged for {@code newToken}. */
    void refreshed(String oldToken, String newToken, String tokenId, String owner);

    /** {@code auth.token.revoked}: the token can no longer be used; {@code by} revoked it. */
    void revoked(String token, String tokenId, String owner, Actor by);

    /**
     * A presented token was refused. Records {@code auth.token.reused} when it was revoked earlier (it is
     * remembered), otherwise {@code auth.token.rejected} with the reason.
     *
     * @return true when the token was a revoked one presented again
     */
    boolean rejected(String token, String reason);

    /** Whether this token was revoked (as far as the bounded memory of revoked tokens reaches). */
    boolean isRevoked(String token);
}
