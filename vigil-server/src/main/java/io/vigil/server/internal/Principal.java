package io.vigil.server.internal;

import io.vigil.server.Scope;

import java.util.Objects;
import java.util.Set;

/** Who a request acts for: an API key's id (never its secret), the one tenant it may touch, and what it may do. */
public record Principal(String keyId, String tenant, Set<Scope> scopes) {
    public Principal {
        Objects.requireNonNull(keyId, "keyId");
        Objects.requireNonNull(tenant, "tenant");
        scopes = Set.copyOf(scopes);
    }
}
