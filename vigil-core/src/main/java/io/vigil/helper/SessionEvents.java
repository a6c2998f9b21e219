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
 * Records the session lifecycle. The session id is the event's {@code sessionId}; {@code details.durationMs} is
 * always written when given, {@code 0} included. Each method records at once and returns the receipt's future.
 */
public final class SessionEvents extends EventHelper {

    /** Session events recorded through {@code recorder}. */
    public SessionEvents(EventRecorder recorder) {
        this(recorder, noCustomizer());
    }

    private SessionEvents(EventRecorder recorder, Consumer<AuditEvent.Builder> customizer) {
        super(recorder, customizer);
    }

    /** A helper that also applies {@code customizer} (target, reason, details, …) to every event it records. */
    public SessionEvents with(Consumer<AuditEvent.Builder> customizer) {
        return new SessionEvents(recorder(), andThen(customizer));
    }

    /** The legacy session helper; see {@link CatalogMappings}. */
    public CompletableFuture<AuditReceipt> record(SessionAction action, Outcome outcome, Actor actor) {
        return session(action, outcome, actor, b -> { });
    }

    /** As {@link #record(SessionAction, Outcome, Actor)}, with {@code details.durationMs}. */
    public CompletableFuture<AuditReceipt> record(SessionAction action, Outcome outcome, Actor actor,
                                                  long durationMs) {
        return session(action, outcome, actor, duration(durationMs));
    }

    /** {@code session.started}. */
    public CompletableFuture<AuditReceipt> started(Actor actor, String sessionId) {
        return session(SessionAction.SESSION_START, Outcome.SUCCESS, actor, id(sessionId));
    }

    /** {@code session.renewed}: the session was extended before it expired. */
    public CompletableFuture<AuditReceipt> renewed(Actor actor, String sessionId) {
        return session(SessionAction.SESSION_RENEW, Outcome.SUCCESS, actor, id(sessionId));
    }

    /** {@code session.ended} after {@code durationMs}. */
    public CompletableFuture<AuditReceipt> ended(Actor actor, String sessionId, long durationMs) {
        return session(SessionAction.SESSION_END, Outcome.SUCCESS, actor,
                id(sessionId).andThen(duration(durationMs)));
    }

    /** {@code session.timeout}: the session expired after {@code durationMs}. */
    public CompletableFuture<AuditReceipt> timedOut(Actor actor, String sessionId, long durationMs) {
        return session(SessionAction.SESSION_TIMEOUT, Outcome.SUCCESS, actor,
                id(sessionId).andThen(duration(durationMs)));
    }

    /** {@code session.used_after_expiry}: the expired session {@code sessionId} was presented again. */
    public CompletableFuture<AuditReceipt> usedAfterExpiry(Actor actor, String sessionId) {
        return emit(SESSION_USED_AFTER_EXPIRY, actor, id(sessionId));
    }

    private CompletableFuture<AuditReceipt> session(SessionAction action, Outcome outcome, Actor actor,
                                                    Consumer<AuditEvent.Builder> fill) {
        return emit(Category.SESSION, Objects.requireNonNull(action, "action").action(), outcome, actor, fill);
    }

    private static Consumer<AuditEvent.Builder> id(String sessionId) {
        String id = required("sessionId", sessionId);
        return b -> b.sessionId(id);
    }

    private static Consumer<AuditEvent.Builder> duration(long durationMs) {
        return detail("durationMs", notNegative("durationMs", durationMs));
    }
}
