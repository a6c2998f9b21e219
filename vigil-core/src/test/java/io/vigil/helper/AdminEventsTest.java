package io.vigil.helper;

import io.vigil.event.Actor;
import io.vigil.event.AuditEvent;
import io.vigil.event.Outcome;
import io.vigil.event.Target;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.vigil.event.EventCatalog.*;
import static io.vigil.helper.CapturingRecorder.assertType;
import static org.assertj.core.api.Assertions.assertThat;

class AdminEventsTest {
    private final CapturingRecorder recorder = new CapturingRecorder();
    private final AdminEvents admin = new AdminEvents(recorder);
    private final Actor root = Actor.user("admin-1");

    @Test
    void legacyConfigChangeKeepsItsChangesMap() {
        admin.settingsChanged(root, Target.ofType("gateway"), Map.of("bind", "lan", "port", 0, "tls", false));
        AuditEvent e = assertType(recorder.only(), ADMIN_SETTINGS_CHANGED);
        assertThat(e.action()).isEqualTo("config_change");
        assertThat(e.target()).contains(Target.ofType("gateway"));
        assertThat(e.details()).isEqualTo(Map.of("changes", Map.of("bind", "lan", "port", 0L, "tls", false)));
    }

    @Test
    void users() {
        admin.userCreated(root, "alice");
        assertType(recorder.last(), ADMIN_USER_CREATED);
        assertThat(recorder.last().action()).isEqualTo("user_add");
        assertThat(recorder.last().target()).contains(Target.of("user", "alice"));
        admin.userUpdated(root, "alice", Map.of("email", "changed"));
        assertType(recorder.last(), ADMIN_USER_UPDATED);
        assertThat(recorder.last().details()).containsKey("changes");
        admin.userSuspended(root, "alice", "left the company");
        assertType(recorder.last(), ADMIN_USER_SUSPENDED);
        assertThat(recorder.last().reason()).contains("left the company");
        admin.userReactivated(root, "alice");
        assertType(recorder.last(), ADMIN_USER_REACTIVATED);
        admin.userDeleted(root, "alice");
        assertType(recorder.last(), ADMIN_USER_DELETED);
        assertThat(recorder.last().action()).isEqualTo("user_remove");
    }

    @Test
    void channelsAndElevatedExecution() {
        admin.channelAdded(root, "slack-ops");
        assertType(recorder.last(), ADMIN_CHANNEL_ADDED);
        assertThat(recorder.last().target()).contains(Target.of("channel", "slack-ops"));
        admin.channelRemoved(root, "slack-ops");
        assertType(recorder.last(), ADMIN_CHANNEL_REMOVED);
        admin.elevatedExecution(root, "restart-gateway");
        assertType(recorder.last(), ADMIN_EXEC_ELEVATED);
        assertThat(recorder.last().target()).contains(Target.of("operation", "restart-gateway"));
    }

    @Test
    void aDeniedElevatedExecutionKeepsItsTypeAndOutcome() {
        admin.record(AdminAction.ELEVATED_EXEC, Outcome.DENIED, root);
        assertType(recorder.only(), ADMIN_EXEC_ELEVATED, Outcome.DENIED);
    }
}
