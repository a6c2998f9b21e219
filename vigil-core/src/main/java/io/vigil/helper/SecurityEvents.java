package io.vigil.helper;

import io.vigil.AuditReceipt;
import io.vigil.EventRecorder;
import io.vigil.event.Actor;
import io.vigil.event.AuditEvent;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

import static io.vigil.event.EventCatalog.*;

/**
 * Records what detectors find: anomalies, brute force, abuse of limits, suspicious behaviour, attacks, rejected
 * input and cryptographic failures. Each method records at once and returns the receipt's future.
 */
public final class SecurityEvents extends EventHelper {

    /** Security events recorded through {@code recorder}. */
    public SecurityEvents(EventRecorder recorder) {
        this(recorder, noCustomizer());
    }

    private SecurityEvents(EventRecorder recorder, Consumer<AuditEvent.Builder> customizer) {
        super(recorder, customizer);
    }

    /** A helper that also applies {@code customizer} (target, reason, details, …) to every event it records. */
    public SecurityEvents with(Consumer<AuditEvent.Builder> customizer) {
        return new SecurityEvents(recorder(), andThen(customizer));
    }

    /**
     * {@code security.anomaly.detected}, as the legacy anomaly detector wrote it: {@code riskScore} between 0 and 1, and
     * the flags that raised it (e.g. {@code impossible_travel}, {@code new_user_agent}).
     */
    public CompletableFuture<AuditReceipt> anomalyDetected(Actor actor, double riskScore, String... flags) {
        return emit(SECURITY_ANOMALY_DETECTED, actor, risk(riskScore).andThen(flags(flags)));
    }

    /** {@code security.brute.force.detected}: {@code failedAttempts} failures within {@code windowMs}. */
    public CompletableFuture<AuditReceipt> bruteForceDetected(Actor actor, int failedAttempts, long windowMs) {
        return emit(SECURITY_BRUTE_FORCE_DETECTED, actor,
                detail("failedAttempts", notNegative("failedAttempts", failedAttempts))
                        .andThen(detail("windowMs", notNegative("windowMs", windowMs))));
    }

    /** {@code security.rate.limited}: the actor exceeded {@code limit} within {@code windowMs}. */
    public CompletableFuture<AuditReceipt> rateLimited(Actor actor, long limit, long windowMs) {
        return emit(SECURITY_RATE_LIMITED, actor,
                detail("limit", notNegative("limit", limit))
                        .andThen(detail("windowMs", notNegative("windowMs", windowMs))));
    }

    /** {@code security.suspicious.activity}: {@code description} goes to {@code reason}, the flags to anomalyFlags. */
    public CompletableFuture<AuditReceipt> suspiciousActivity(Actor actor, String description, String... flags) {
        return emit(SECURITY_SUSPICIOUS_ACTIVITY, actor, reason(description).andThen(flags(flags)));
    }

    /** {@code security.attack.detected}; {@code technique} (e.g. attack_tool, cors) goes to details.technique. */
    public CompletableFuture<AuditReceipt> attackDetected(Actor actor, String technique) {
        return emit(SECURITY_ATTACK_DETECTED, actor, detail("technique", technique));
    }

    /** {@code security.input.rejected}: validation rejected {@code fields} (names only, never values). */
    public CompletableFuture<AuditReceipt> inputRejected(Actor actor, List<String> fields) {
        return emit(SECURITY_INPUT_REJECTED, actor, detail("fields", List.copyOf(fields)));
    }

    /** {@code security.crypto.failed}: {@code operation} (encrypt, decrypt, sign, verify) failed with {@code error}. */
    public CompletableFuture<AuditReceipt> cryptoFailed(Actor actor, String operation, String error) {
        return emit(SECURITY_CRYPTO_FAILED, actor, detail("operation", operation).andThen(error(error)));
    }

    private static Consumer<AuditEvent.Builder> risk(double riskScore) {
        return b -> b.riskScore(riskScore);
    }

    private static Consumer<AuditEvent.Builder> flags(String... flags) {
        List<String> list = List.of(Objects.requireNonNull(flags, "flags"));
        return b -> b.anomalyFlags(list);
    }
}
