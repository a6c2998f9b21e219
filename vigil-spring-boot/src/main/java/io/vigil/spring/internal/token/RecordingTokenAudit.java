package io.vigil.spring.internal.token;

import io.vigil.AuditLog;
import io.vigil.event.Actor;
import io.vigil.event.AuditEvent;
import io.vigil.event.EventCatalog;
import io.vigil.event.EventType;
import io.vigil.event.Target;
import io.vigil.spring.SecretHasher;
import io.vigil.spring.TokenAudit;
import io.vigil.spring.internal.web.IntegrationFailures;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * {@link TokenAudit} recording to the audit log. Every event names the token by its id ({@code target}, type
 * {@code token}) and its keyed hash ({@code details.tokenHash}); the owner is the actor unless someone else acted
 * (a revocation by an administrator). The request's address and ids come from the audit context. Recording never
 * throws into the caller: a failure is counted and logged.
 */
public final class RecordingTokenAudit implements TokenAudit {
    private final AuditLog log;
    private final SecretHasher hasher;
    private final RevokedTokens revoked;
    private final IntegrationFailures failures;

    public RecordingTokenAudit(AuditLog log, SecretHasher hasher, RevokedTokens revoked, IntegrationFailures failures) {
        this.log = log;
        this.hasher = hasher;
        this.revoked = revoked;
        this.failures = failures;
    }

    @Override
    public void created(String token, String tokenId, String owner, Instant expiresAt, Map<String, ?> details) {
        AuditEvent.Builder b = event(EventCatalog.AUTH_TOKEN_CREATED, token, tokenId, Actor.user(owner));
        if (details != null) {
            details.forEach((k, v) -> {
                if (v != null && !k.equals("tokenHash")) {
                    b.detail(k, v);
                }
            });
        }
        if (expiresAt != null) {
            b.detail("expiresAt", expiresAt.toString());
        }
        record(b, "token created");
    }

    @Override
    public void used(String token, String tokenId, String owner) {
        record(event(EventCatalog.AUTH_TOKEN_USED, token, tokenId, Actor.user(owner)), "token used");
    }

    @Override
    public void refreshed(String oldToken, String newToken, String tokenId, String owner) {
        AuditEvent.Builder b = event(EventCatalog.AUTH_TOKEN_REFRESHED, newToken, tokenId, Actor.user(owner))
                .detail("previousTokenHash", hasher.hash(Objects.requireNonNull(oldToken, "oldToken")));
        record(b, "token refreshed");
    }

    @Override
    public void revoked(String token, String tokenId, String owner, Actor by) {
        Objects.requireNonNull(owner, "owner");
        AuditEvent.Builder b = event(EventCatalog.AUTH_TOKEN_REVOKED, token, tokenId,
                Objects.requireNonNull(by, "by")).detail("owner", owner);
        revoked.remember(hasher.hash(token));
        record(b, "token revoked");
    }

    @Override
    public boolean rejected(String token, String reason) {
        String hash = hasher.hash(Objects.requireNonNull(token, "token"));
        boolean reuse = revoked.contains(hash);
        AuditEvent.Builder b = AuditEvent.builder(reuse ? EventCatalog.AUTH_TOKEN_REUSED : EventCatalog.AUTH_TOKEN_REJECTED)
                .actor(Actor.anonymous())
                .detail("tokenHash", hash);
        b.reason(reuse ? "revoked_token_presented" : reason == null || reason.isBlank() ? "rejected" : reason);
        record(b, reuse ? "token reused" : "token rejected");
        return reuse;
    }

    @Override
    public boolean isRevoked(String token) {
        return revoked.contains(hasher.hash(Objects.requireNonNull(token, "token")));
    }

    private AuditEvent.Builder event(EventType type, String token, String tokenId, Actor actor) {
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(tokenId, "tokenId");
        return AuditEvent.builder(type)
                .actor(actor)
                .target(Target.of("token", tokenId))
                .detail("tokenHash", hasher.hash(token));
    }

    private void record(AuditEvent.Builder b, String what) {
        try {
            log.record(b);
        } catch (RuntimeException e) {
            failures.failed(what, e);
        }
    }
}
