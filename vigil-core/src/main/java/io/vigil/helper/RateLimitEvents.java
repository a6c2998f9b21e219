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

/**
 * Records throttling: requests, channels and authentication back-off. {@code details.retryAfterMs} is always
 * written when given, {@code 0} included. Each method records at once and returns the receipt's future.
 */
public final class RateLimitEvents extends EventHelper {

    /** Rate-limit events recorded through {@code recorder}. */
    public RateLimitEvents(EventRecorder recorder) {
        this(recorder, noCustomizer());
    }

    private RateLimitEvents(EventRecorder recorder, Consumer<AuditEvent.Builder> customizer) {
        super(recorder, customizer);
    }

    /** A helper that also applies {@code customizer} (target, reason, details, …) to every event it records. */
    public RateLimitEvents with(Consumer<AuditEvent.Builder> customizer) {
        return new RateLimitEvents(recorder(), andThen(customizer));
    }

    /** The legacy rate_limit helper; see {@link CatalogMappings}. */
    public CompletableFuture<AuditReceipt> record(RateLimitAction action, Outcome outcome, Actor actor) {
        return rateLimit(action, outcome, actor, b -> { });
    }

    /** As {@link #record(RateLimitAction, Outcome, Actor)}, with {@code details.retryAfterMs}. */
    public CompletableFuture<AuditReceipt> record(RateLimitAction action, Outcome outcome, Actor actor,
                                                  long retryAfterMs) {
        return rateLimit(action, outcome, actor, retryAfter(retryAfterMs));
    }

    /** {@code rate_limit.request.limited}: the actor's request was refused; retry after {@code retryAfterMs}. */
    public CompletableFuture<AuditReceipt> requestLimited(Actor actor, long retryAfterMs) {
        return record(RateLimitAction.REQUEST_LIMITED, Outcome.DENIED, actor, retryAfterMs);
    }

    /** {@code rate_limit.channel.limited}: traffic on {@code channelId} was throttled. */
    public CompletableFuture<AuditReceipt> channelLimited(Actor actor, String channelId, long retryAfterMs) {
        return rateLimit(RateLimitAction.CHANNEL_LIMITED, Outcome.DENIED, actor,
                target(targetOf("channel", "channelId", channelId)).andThen(retryAfter(retryAfterMs)));
    }

    /** {@code rate_limit.auth.backoff}: the actor may not try to authenticate for {@code retryAfterMs}. */
    public CompletableFuture<AuditReceipt> authBackoff(Actor actor, long retryAfterMs) {
        return record(RateLimitAction.AUTH_BACKOFF, Outcome.DENIED, actor, retryAfterMs);
    }

    private CompletableFuture<AuditReceipt> rateLimit(RateLimitAction action, Outcome outcome, Actor actor,
                                                      Consumer<AuditEvent.Builder> fill) {
        return emit(Category.RATE_LIMIT, Objects.requireNonNull(action, "action").action(), outcome, actor, fill);
    }

    private static Consumer<AuditEvent.Builder> retryAfter(long retryAfterMs) {
        return detail("retryAfterMs", notNegative("retryAfterMs", retryAfterMs));
    }
}
