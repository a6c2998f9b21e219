package io.vigil.spring.internal.authserver;

import io.vigil.AuditLog;
import io.vigil.event.Actor;
import io.vigil.event.AuditEvent;
import io.vigil.event.EventType;
import io.vigil.event.Target;
import io.vigil.spring.SecretHasher;
import io.vigil.spring.internal.token.RevokedTokens;
import io.vigil.spring.internal.web.IntegrationFailures;
import io.vigil.spring.internal.web.RequestAudit;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.util.function.SingletonSupplier;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Builds and records the Authorization Server's token events: the client (its registered id and client id) as the
 * actor, the authorization as the target ({@code oauth2_authorization}), grant type, scopes, expiry, and tokens
 * only as keyed hashes. Dependencies are looked up when first needed, so that decorating the authorization service
 * early in the context's start does not start the audit log early.
 */
final class TokenEvents {
    private static final IntegrationFailures FALLBACK_FAILURES = new IntegrationFailures();
    private final ObjectProvider<AuditLog> log;
    private final ObjectProvider<SecretHasher> hasher;
    private final ObjectProvider<RegisteredClientRepository> clients;
    private final ObjectProvider<IntegrationFailures> failures;
    private final Supplier<RevokedTokens> replaced;

    TokenEvents(ObjectProvider<AuditLog> log, ObjectProvider<SecretHasher> hasher,
                ObjectProvider<RegisteredClientRepository> clients, ObjectProvider<IntegrationFailures> failures,
                Supplier<RevokedTokens> replaced) {
        this.log = log;
        this.hasher = hasher;
        this.clients = clients;
        this.failures = failures;
        this.replaced = SingletonSupplier.of(replaced);
    }

    /**
     * The hashes of refresh tokens that were rotated away or invalidated: the store forgets a replaced token, so
     * without this memory a stolen, already used refresh token presented again would look merely unknown.
     */
    RevokedTokens spentRefreshTokens() {
        return replaced.get();
    }

    String hash(String token) {
        return hasher.getObject().hash(token);
    }

    /** An event about {@code authorization}, by the client calling now (else the authorization's client). */
    AuditEvent.Builder about(EventType type, OAuth2Authorization authorization) {
        String registeredClientId = authorization.getRegisteredClientId();
        Optional<String> clientId = clientId(registeredClientId);
        AuditEvent.Builder b = AuditEvent.builder(type)
                .actor(caller().orElseGet(() -> Actor.api(clientId.orElse(registeredClientId))))
                .target(Target.of("oauth2_authorization", authorization.getId()))
                .detail("registeredClientId", registeredClientId);
        clientId.ifPresent(c -> b.detail("clientId", c));
        if (authorization.getPrincipalName() != null) {
            b.detail("principal", authorization.getPrincipalName());
        }
        if (authorization.getAuthorizationGrantType() != null) {
            b.detail("grantType", authorization.getAuthorizationGrantType().getValue());
        }
        Collection<String> scopes = authorization.getAuthorizedScopes();
        if (scopes != null && !scopes.isEmpty()) {
            List<String> sorted = new ArrayList<>(scopes);
            sorted.sort(null);
            b.detail("scopes", sorted);
        }
        return withSession(b);
    }

    /** The client (or user) authenticated on this thread: the token endpoint's client. */
    static Optional<Actor> caller() {
        Authentication a = SecurityContextHolder.getContext().getAuthentication();
        if (a == null || !a.isAuthenticated() || a.getName() == null || a.getName().isBlank()) {
            return Optional.empty();
        }
        boolean client = a.getClass().getSimpleName().equals("OAuth2ClientAuthenticationToken");
        if (!client && a.getClass().getSimpleName().equals("AnonymousAuthenticationToken")) {
            return Optional.empty();
        }
        return Optional.of(client ? Actor.api(a.getName()) : Actor.user(a.getName()));
    }

    Optional<String> clientId(String registeredClientId) {
        try {
            RegisteredClientRepository repository = clients.getIfUnique();
            RegisteredClient client = repository == null ? null : repository.findById(registeredClientId);
            return client == null ? Optional.empty() : Optional.of(client.getClientId());
        } catch (RuntimeException e) {
            failed("client lookup", e);
            return Optional.empty();
        }
    }

    private AuditEvent.Builder withSession(AuditEvent.Builder b) {
        // The session the request holds now; the context's may be older.
        RequestAudit.current().flatMap(RequestAudit::session).ifPresent(s -> {
            try {
                b.sessionId(hash(s.getId()));
            } catch (IllegalStateException invalidated) {
                // no session to name
            }
        });
        return b;
    }

    void record(AuditEvent.Builder event, String what) {
        try {
            log.getObject().record(event);
        } catch (RuntimeException e) {
            failed(what, e);
        }
    }

    void failed(String what, RuntimeException e) {
        failures.getIfAvailable(() -> FALLBACK_FAILURES).failed(what, e);
    }
}
