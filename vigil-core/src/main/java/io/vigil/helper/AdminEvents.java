package io.vigil.helper;

import io.vigil.AuditReceipt;
import io.vigil.EventRecorder;
import io.vigil.event.Actor;
import io.vigil.event.AuditEvent;
import io.vigil.event.Category;
import io.vigil.event.Outcome;
import io.vigil.event.Target;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

import static io.vigil.event.EventCatalog.*;

/**
 * Records administrative events: settings changes, user accounts, channels and privileged execution. Each method
 * records at once and returns the receipt's future.
 */
public final class AdminEvents extends EventHelper {

    /** Admin events recorded through {@code recorder}. */
    public AdminEvents(EventRecorder recorder) {
        this(recorder, noCustomizer());
    }

    private AdminEvents(EventRecorder recorder, Consumer<AuditEvent.Builder> customizer) {
        super(recorder, customizer);
    }

    /** A helper that also applies {@code customizer} (target, reason, details, …) to every event it records. */
    public AdminEvents with(Consumer<AuditEvent.Builder> customizer) {
        return new AdminEvents(recorder(), andThen(customizer));
    }

    /**
     * The legacy admin helper: {@code CONFIG_CHANGE} is {@code admin.settings.changed}, {@code USER_ADD}
     * {@code admin.user.created}, {@code USER_REMOVE} {@code admin.user.deleted}; see {@link CatalogMappings}.
     */
    public CompletableFuture<AuditReceipt> record(AdminAction action, Outcome outcome, Actor actor) {
        return admin(action, outcome, actor, b -> { });
    }

    /** {@code admin.settings.changed} (the legacy config_change); {@code details.changes} holds {@code changes}. */
    public CompletableFuture<AuditReceipt> settingsChanged(Actor actor, Target target, Map<String, ?> changes) {
        return admin(AdminAction.CONFIG_CHANGE, Outcome.SUCCESS, actor,
                target(target).andThen(detail("changes", changes)));
    }

    /** {@code admin.user.created} (the legacy user_add). */
    public CompletableFuture<AuditReceipt> userCreated(Actor actor, String userId) {
        return admin(AdminAction.USER_ADD, Outcome.SUCCESS, actor, user(userId));
    }

    /** {@code admin.user.updated}; {@code details.changes} holds {@code changes}. */
    public CompletableFuture<AuditReceipt> userUpdated(Actor actor, String userId, Map<String, ?> changes) {
        return emit(ADMIN_USER_UPDATED, actor, user(userId).andThen(detail("changes", changes)));
    }

    /** {@code admin.user.suspended}, with the reason. */
    public CompletableFuture<AuditReceipt> userSuspended(Actor actor, String userId, String reason) {
        return emit(ADMIN_USER_SUSPENDED, actor, user(userId).andThen(reason(reason)));
    }

    /** {@code admin.user.reactivated}. */
    public CompletableFuture<AuditReceipt> userReactivated(Actor actor, String userId) {
        return emit(ADMIN_USER_REACTIVATED, actor, user(userId));
    }

    /** {@code admin.user.deleted} (the legacy user_remove). */
    public CompletableFuture<AuditReceipt> userDeleted(Actor actor, String userId) {
        return admin(AdminAction.USER_REMOVE, Outcome.SUCCESS, actor, user(userId));
    }

    /** {@code admin.channel.added}. */
    public CompletableFuture<AuditReceipt> channelAdded(Actor actor, String channelId) {
        return admin(AdminAction.CHANNEL_ADD, Outcome.SUCCESS, actor,
                target(targetOf("channel", "channelId", channelId)));
    }

    /** {@code admin.channel.removed}. */
    public CompletableFuture<AuditReceipt> channelRemoved(Actor actor, String channelId) {
        return admin(AdminAction.CHANNEL_REMOVE, Outcome.SUCCESS, actor,
                target(targetOf("channel", "channelId", channelId)));
    }

    /** {@code admin.exec.elevated}: {@code operation} (a command or function name, no secrets) ran elevated. */
    public CompletableFuture<AuditReceipt> elevatedExecution(Actor actor, String operation) {
        return admin(AdminAction.ELEVATED_EXEC, Outcome.SUCCESS, actor,
                target(targetOf("operation", "operation", operation)));
    }

    private CompletableFuture<AuditReceipt> admin(AdminAction action, Outcome outcome, Actor actor,
                                                  Consumer<AuditEvent.Builder> fill) {
        return emit(Category.ADMIN, Objects.requireNonNull(action, "action").action(), outcome, actor, fill);
    }

    private static Consumer<AuditEvent.Builder> user(String userId) {
        return target(targetOf("user", "userId", userId));
    }
}
