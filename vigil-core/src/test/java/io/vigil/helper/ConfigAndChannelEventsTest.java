package io.vigil.helper;

import io.vigil.event.Actor;
import io.vigil.event.Category;
import io.vigil.event.Outcome;
import io.vigil.event.Target;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.vigil.event.EventCatalog.*;
import static io.vigil.helper.CapturingRecorder.assertType;
import static org.assertj.core.api.Assertions.assertThat;

/** The two categories the legacy audit logger declared but never gave a helper. */
class ConfigAndChannelEventsTest {
    private final CapturingRecorder recorder = new CapturingRecorder();
    private final ConfigEvents config = new ConfigEvents(recorder);
    private final ChannelEvents channel = new ChannelEvents(recorder);
    private final Actor system = Actor.system();

    @Test
    void configLifecycle() {
        config.loaded(system, "/etc/vigil/vigil.yaml");
        assertType(recorder.last(), CONFIG_LOADED);
        assertThat(recorder.last().details()).isEqualTo(Map.of("source", "/etc/vigil/vigil.yaml"));
        config.changed(Actor.user("ops"), Map.of("sinks.file.maxBytes", 0));
        assertType(recorder.last(), CONFIG_CHANGED);
        assertThat(recorder.last().details()).isEqualTo(Map.of("changes", Map.of("sinks.file.maxBytes", 0L)));
        config.reloaded(system, "/etc/vigil/vigil.yaml");
        assertType(recorder.last(), CONFIG_RELOADED);
        config.validationFailed(system, "/etc/vigil/vigil.yaml", "unknown key 'gateway.auditLog'");
        assertType(recorder.last(), CONFIG_VALIDATION_FAILED);
        assertThat(recorder.last().error()).contains("unknown key 'gateway.auditLog'");
        assertThat(recorder.events).allSatisfy(e -> assertThat(e.category()).isEqualTo(Category.CONFIG));
    }

    @Test
    void aFailedReloadIsAValidationFailure() {
        config.record(ConfigAction.CONFIG_RELOAD, Outcome.ERROR, system);
        assertType(recorder.only(), CONFIG_VALIDATION_FAILED, Outcome.ERROR);
    }

    @Test
    void channelLifecycle() {
        Target slack = Target.of("channel", "slack");
        channel.added(system, "slack");
        assertType(recorder.last(), CHANNEL_ADDED);
        assertThat(recorder.last().target()).contains(slack);
        channel.connected(system, "slack");
        assertType(recorder.last(), CHANNEL_CONNECTED);
        channel.messageRejected(Actor.anonymous().withIp("10.0.0.9"), "slack", "bad signature");
        assertType(recorder.last(), CHANNEL_MESSAGE_REJECTED);
        assertThat(recorder.last().reason()).contains("bad signature");
        channel.failed(system, "slack", "connection reset");
        assertType(recorder.last(), CHANNEL_ERROR);
        assertThat(recorder.last().error()).contains("connection reset");
        channel.disconnected(system, "slack", "shutdown");
        assertType(recorder.last(), CHANNEL_DISCONNECTED);
        assertThat(recorder.last().reason()).contains("shutdown");
        channel.removed(system, "slack");
        assertType(recorder.last(), CHANNEL_REMOVED);
        assertThat(recorder.events).allSatisfy(e -> assertThat(e.target()).contains(slack));
    }

    @Test
    void aFailedConnectIsAChannelError() {
        channel.record(ChannelAction.CHANNEL_CONNECT, Outcome.FAILURE, system);
        assertType(recorder.only(), CHANNEL_ERROR, Outcome.FAILURE);
    }
}
