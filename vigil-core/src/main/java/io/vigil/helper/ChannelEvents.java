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
 * Records the lifecycle of communication channels and integrations (the legacy helpers had the category but forgot the
 * helper); the channel is the event's target. Each method records at once and returns the receipt's future.
 */
public final class ChannelEvents extends EventHelper {

    /** Channel events recorded through {@code recorder}. */
    public ChannelEvents(EventRecorder recorder) {
        this(recorder, noCustomizer());
    }

    private ChannelEvents(EventRecorder recorder, Consumer<AuditEvent.Builder> customizer) {
        super(recorder, customizer);
    }

    /** A helper that also applies {@code customizer} (target, reason, details, …) to every event it records. */
    public ChannelEvents with(Consumer<AuditEvent.Builder> customizer) {
        return new ChannelEvents(recorder(), andThen(customizer));
    }

    /**
     * The type follows from action and outcome: a failed connect is {@code channel.error}; see
     * {@link CatalogMappings}.
     */
    public CompletableFuture<AuditReceipt> record(ChannelAction action, Outcome outcome, Actor actor) {
        return channel(action, outcome, actor, b -> { });
    }

    /** {@code channel.connected}. */
    public CompletableFuture<AuditReceipt> connected(Actor actor, String channelId) {
        return channel(ChannelAction.CHANNEL_CONNECT, Outcome.SUCCESS, actor, channelTarget(channelId));
    }

    /** {@code channel.disconnected}, with the reason. */
    public CompletableFuture<AuditReceipt> disconnected(Actor actor, String channelId, String reason) {
        return channel(ChannelAction.CHANNEL_DISCONNECT, Outcome.SUCCESS, actor,
                channelTarget(channelId).andThen(reason(reason)));
    }

    /** {@code channel.added}: the channel was put into service. */
    public CompletableFuture<AuditReceipt> added(Actor actor, String channelId) {
        return channel(ChannelAction.CHANNEL_ADD, Outcome.SUCCESS, actor, channelTarget(channelId));
    }

    /** {@code channel.removed}: the channel was taken out of service. */
    public CompletableFuture<AuditReceipt> removed(Actor actor, String channelId) {
        return channel(ChannelAction.CHANNEL_REMOVE, Outcome.SUCCESS, actor, channelTarget(channelId));
    }

    /** {@code channel.error}: the channel failed with {@code error}. */
    public CompletableFuture<AuditReceipt> failed(Actor actor, String channelId, String error) {
        return emit(CHANNEL_ERROR, actor, channelTarget(channelId).andThen(error(error)));
    }

    /** {@code channel.message.rejected}: an inbound message on the channel was refused, for {@code reason}. */
    public CompletableFuture<AuditReceipt> messageRejected(Actor actor, String channelId, String reason) {
        return emit(CHANNEL_MESSAGE_REJECTED, actor, channelTarget(channelId).andThen(reason(reason)));
    }

    private CompletableFuture<AuditReceipt> channel(ChannelAction action, Outcome outcome, Actor actor,
                                                    Consumer<AuditEvent.Builder> fill) {
        return emit(Category.CHANNEL, Objects.requireNonNull(action, "action").action(), outcome, actor, fill);
    }

    private static Consumer<AuditEvent.Builder> channelTarget(String channelId) {
        return target(targetOf("channel", "channelId", channelId));
    }
}
