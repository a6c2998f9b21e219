package io.vigil.example.gateway.domain;

import java.time.Instant;

/**
 * An API token the gateway issued.
 *
 * @param id        how the owner names it (to revoke it); not a secret
 * @param secret    the bearer value itself
 * @param owner     the user it acts for
 * @param expiresAt when it stops working
 */
public record ApiToken(String id, String secret, String owner, Instant expiresAt) {

    @Override
    public String toString() {
        return "ApiToken[id=" + id + ", owner=" + owner + ", expiresAt=" + expiresAt + "]"; // never the secret
    }
}
