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

class AuthzEventsTest {
    private final CapturingRecorder recorder = new CapturingRecorder();
    private final AuthzEvents authz = new AuthzEvents(recorder);
    private final Actor bob = Actor.user("bob");
    private final Target report = Target.of("document", "q3-report");
    private final Target alice = Target.of("user", "alice");

    @Test
    void accessDecisions() {
        authz.accessGranted(bob, report);
        assertType(recorder.last(), AUTHZ_ACCESS_GRANTED);
        assertThat(recorder.last().target()).contains(report);
        authz.accessDenied(bob, report, "not a member of finance");
        AuditEvent e = assertType(recorder.last(), AUTHZ_ACCESS_DENIED);
        assertThat(e.reason()).contains("not a member of finance");
        assertThat(e.target()).contains(report);
    }

    @Test
    void legacyAccessGrantedWithAnotherOutcomeIsADenial() {
        authz.record(AuthzAction.ACCESS_GRANTED, Outcome.DENIED, bob);
        assertType(recorder.only(), AUTHZ_ACCESS_DENIED);
    }

    @Test
    void permissionChecksByResult() {
        authz.permissionChecked(bob, "invoice:approve", true);
        assertType(recorder.last(), AUTHZ_PERMISSION_CHECKED);
        assertThat(recorder.last().details()).isEqualTo(Map.of("permission", "invoice:approve"));
        authz.permissionChecked(bob, "invoice:approve", false);
        assertType(recorder.last(), AUTHZ_PERMISSION_CHECK_DENIED, Outcome.DENIED);
        assertThat(recorder.last().action()).isEqualTo("permission_check");
    }

    @Test
    void entitlementChanges() {
        Actor admin = Actor.user("admin");
        authz.permissionGranted(admin, alice, "invoice:approve");
        assertType(recorder.last(), AUTHZ_PERMISSION_GRANTED);
        assertThat(recorder.last().target()).contains(alice);
        assertThat(recorder.last().details()).containsEntry("permission", "invoice:approve");
        authz.permissionRevoked(admin, alice, "invoice:approve");
        assertType(recorder.last(), AUTHZ_PERMISSION_REVOKED);
        authz.roleAssigned(admin, alice, "auditor");
        assertType(recorder.last(), AUTHZ_ROLE_ASSIGNED);
        assertThat(recorder.last().details()).containsEntry("role", "auditor");
        authz.roleRemoved(admin, alice, "auditor");
        assertType(recorder.last(), AUTHZ_ROLE_REMOVED);
        authz.privilegeChanged(admin, alice, "user", "admin");
        assertType(recorder.last(), AUTHZ_PRIVILEGE_CHANGED);
        assertThat(recorder.last().details()).isEqualTo(Map.of("from", "user", "to", "admin"));
        authz.aclChanged(admin, Target.of("file", "/srv/keys"), "0511", "0777");
        assertType(recorder.last(), AUTHZ_ACL_CHANGED);
        assertThat(recorder.last().details()).isEqualTo(Map.of("from", "0511", "to", "0777"));
    }
}
