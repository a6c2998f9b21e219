package io.vigil.helper;

import io.vigil.AuditReceipt;
import io.vigil.EventRecorder;
import io.vigil.event.Actor;
import io.vigil.event.AuditEvent;
import io.vigil.event.Category;
import io.vigil.event.Outcome;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

import static io.vigil.event.EventCatalog.*;

/**
 * Records authentication events: logins, logouts, passwords, tokens, API keys, second factors, sessions and
 * devices. Each method records at once and returns the receipt's future.
 */
public final class AuthEvents extends EventHelper {

    /** Auth events recorded through {@code recorder}. */
    public AuthEvents(EventRecorder recorder) {
        this(recorder, noCustomizer());
    }

    private AuthEvents(EventRecorder recorder, Consumer<AuditEvent.Builder> customizer) {
        super(recorder, customizer);
    }

    /** A helper that also applies {@code customizer} (target, reason, details, …) to every event it records. */
    public AuthEvents with(Consumer<AuditEvent.Builder> customizer) {
        return new AuthEvents(recorder(), andThen(customizer));
    }

    /**
     * The legacy auth helper: the type follows from action and outcome, e.g. {@code LOGIN} with
     * {@code FAILURE} is {@code auth.login.failure}; see {@link CatalogMappings}.
     */
    public CompletableFuture<AuditReceipt> record(AuthAction action, Outcome outcome, Actor actor) {
        return auth(action, outcome, actor, b -> { });
    }

    /** As {@link #record(AuthAction, Outcome, Actor)}, with the method in {@code details.method}. */
    public CompletableFuture<AuditReceipt> record(AuthAction action, Outcome outcome, Actor actor, AuthMethod method) {
        return auth(action, outcome, actor, method(method));
    }

    /** A login with this method and outcome: {@code auth.login.success} or {@code auth.login.failure}. */
    public CompletableFuture<AuditReceipt> login(AuthMethod method, Outcome outcome, Actor actor) {
        return record(AuthAction.LOGIN, outcome, actor, method);
    }

    /** {@code auth.login.success}. */
    public CompletableFuture<AuditReceipt> loginSucceeded(Actor actor, AuthMethod method) {
        return login(method, Outcome.SUCCESS, actor);
    }

    /** {@code auth.login.failure}, with the reason (never the attempted secret). */
    public CompletableFuture<AuditReceipt> loginFailed(Actor actor, AuthMethod method, String reason) {
        return auth(AuthAction.LOGIN, Outcome.FAILURE, actor, method(method).andThen(reason(reason)));
    }

    /** {@code auth.login.success_after_failure}; {@code details.failedAttempts} holds the count of earlier failures. */
    public CompletableFuture<AuditReceipt> loginSucceededAfterFailures(Actor actor, AuthMethod method,
                                                                      int failedAttempts) {
        notNegative("failedAttempts", failedAttempts);
        return emit(AUTH_LOGIN_SUCCESS_AFTER_FAILURE, actor,
                method(method).andThen(b -> b.detail("failedAttempts", failedAttempts)));
    }

    /** {@code auth.login.failure_limit_reached}; {@code details.limit} holds the limit. */
    public CompletableFuture<AuditReceipt> loginFailureLimitReached(Actor actor, int limit) {
        notNegative("limit", limit);
        return emit(AUTH_LOGIN_FAILURE_LIMIT_REACHED, actor, b -> b.detail("limit", limit));
    }

    /** {@code auth.account.locked}; the actor is the account, {@code reason} why it was locked. */
    public CompletableFuture<AuditReceipt> accountLocked(Actor actor, String reason) {
        return emit(AUTH_ACCOUNT_LOCKED, actor, reason(reason));
    }

    /** {@code auth.logout}. */
    public CompletableFuture<AuditReceipt> loggedOut(Actor actor) {
        return record(AuthAction.LOGOUT, Outcome.SUCCESS, actor);
    }

    /** {@code auth.password.changed}. */
    public CompletableFuture<AuditReceipt> passwordChanged(Actor actor) {
        return record(AuthAction.PASSWORD_CHANGE, Outcome.SUCCESS, actor);
    }

    /** {@code auth.password.change_failed}, with the reason. */
    public CompletableFuture<AuditReceipt> passwordChangeFailed(Actor actor, String reason) {
        return auth(AuthAction.PASSWORD_CHANGE, Outcome.FAILURE, actor, reason(reason));
    }

    /** {@code auth.password.reset.requested}. */
    public CompletableFuture<AuditReceipt> passwordResetRequested(Actor actor) {
        return emit(AUTH_PASSWORD_RESET_REQUESTED, actor);
    }

    /** {@code auth.password.reset.completed}. */
    public CompletableFuture<AuditReceipt> passwordResetCompleted(Actor actor) {
        return emit(AUTH_PASSWORD_RESET_COMPLETED, actor);
    }

    /** {@code auth.token.created}; the token's id (never the token) is the target. */
    public CompletableFuture<AuditReceipt> tokenCreated(Actor actor, String tokenId) {
        return emit(AUTH_TOKEN_CREATED, actor, token(tokenId));
    }

    /** {@code auth.token.refreshed}; the new token's id is the target. */
    public CompletableFuture<AuditReceipt> tokenRefreshed(Actor actor, String tokenId) {
        return auth(AuthAction.TOKEN_REFRESH, Outcome.SUCCESS, actor, token(tokenId));
    }

    /** {@code auth.token.refresh_failed}, with the reason. */
    public CompletableFuture<AuditReceipt> tokenRefreshFailed(Actor actor, String reason) {
        return auth(AuthAction.TOKEN_REFRESH, Outcome.FAILURE, actor, reason(reason));
    }

    /** {@code auth.token.revoked}. */
    public CompletableFuture<AuditReceipt> tokenRevoked(Actor actor, String tokenId) {
        return emit(AUTH_TOKEN_REVOKED, actor, token(tokenId));
    }

    /** {@code auth.token.deleted}. */
    public CompletableFuture<AuditReceipt> tokenDeleted(Actor actor, String tokenId) {
        return emit(AUTH_TOKEN_DELETED, actor, token(tokenId));
    }

    /** {@code auth.token.reused}: a revoked or spent token was presented again. */
    public CompletableFuture<AuditReceipt> tokenReused(Actor actor, String tokenId) {
        return emit(AUTH_TOKEN_REUSED, actor, token(tokenId));
    }

    /** {@code auth.api_key.used}; the key's id (never the key) is the target. */
    public CompletableFuture<AuditReceipt> apiKeyUsed(Actor actor, String keyId) {
        return auth(AuthAction.API_KEY_USE, Outcome.SUCCESS, actor, apiKey(keyId));
    }

    /** {@code auth.api_key.rejected}, with the reason. */
    public CompletableFuture<AuditReceipt> apiKeyRejected(Actor actor, String keyId, String reason) {
        return auth(AuthAction.API_KEY_USE, Outcome.FAILURE, actor, apiKey(keyId).andThen(reason(reason)));
    }

    /** {@code auth.mfa.enabled}; {@code factor} (e.g. totp, webauthn) goes to {@code details.factor}. */
    public CompletableFuture<AuditReceipt> mfaEnabled(Actor actor, String factor) {
        return emit(AUTH_MFA_ENABLED, actor, factor(factor));
    }

    /** {@code auth.mfa.disabled}. */
    public CompletableFuture<AuditReceipt> mfaDisabled(Actor actor, String factor) {
        return emit(AUTH_MFA_DISABLED, actor, factor(factor));
    }

    /** {@code auth.mfa.challenged}. */
    public CompletableFuture<AuditReceipt> mfaChallenged(Actor actor, String factor) {
        return emit(AUTH_MFA_CHALLENGED, actor, factor(factor));
    }

    /** {@code auth.mfa.verified}. */
    public CompletableFuture<AuditReceipt> mfaVerified(Actor actor, String factor) {
        return emit(AUTH_MFA_VERIFIED, actor, factor(factor));
    }

    /** {@code auth.mfa.failed}, with the reason. */
    public CompletableFuture<AuditReceipt> mfaFailed(Actor actor, String factor, String reason) {
        return emit(AUTH_MFA_FAILED, actor, factor(factor).andThen(reason(reason)));
    }

    /** {@code auth.session.created}; {@code sessionId} is the event's session id. */
    public CompletableFuture<AuditReceipt> sessionCreated(Actor actor, String sessionId) {
        return emit(AUTH_SESSION_CREATED, actor, session(sessionId));
    }

    /** {@code auth.session.revoked}; {@code sessionId} is the revoked session. */
    public CompletableFuture<AuditReceipt> sessionRevoked(Actor actor, String sessionId) {
        return emit(AUTH_SESSION_REVOKED, actor, session(sessionId));
    }

    /** {@code auth.device.registered}; the device is the target. */
    public CompletableFuture<AuditReceipt> deviceRegistered(Actor actor, String deviceId) {
        return emit(AUTH_DEVICE_REGISTERED, actor, device(deviceId));
    }

    /** {@code auth.device.revoked}. */
    public CompletableFuture<AuditReceipt> deviceRevoked(Actor actor, String deviceId) {
        return emit(AUTH_DEVICE_REVOKED, actor, device(deviceId));
    }

    private CompletableFuture<AuditReceipt> auth(AuthAction action, Outcome outcome, Actor actor,
                                                 Consumer<AuditEvent.Builder> fill) {
        return emit(Category.AUTH, Objects.requireNonNull(action, "action").action(), outcome, actor, fill);
    }

    private static Consumer<AuditEvent.Builder> method(AuthMethod method) {
        String name = Objects.requireNonNull(method, "method").jsonName();
        return b -> b.detail("method", name);
    }

    private static Consumer<AuditEvent.Builder> token(String tokenId) {
        return target(targetOf("token", "tokenId", tokenId));
    }

    private static Consumer<AuditEvent.Builder> apiKey(String keyId) {
        return target(targetOf("api_key", "keyId", keyId));
    }

    private static Consumer<AuditEvent.Builder> device(String deviceId) {
        return target(targetOf("device", "deviceId", deviceId));
    }

    private static Consumer<AuditEvent.Builder> factor(String factor) {
        return detail("factor", required("factor", factor));
    }

    private static Consumer<AuditEvent.Builder> session(String sessionId) {
        String id = required("sessionId", sessionId);
        return b -> b.sessionId(id);
    }
}
