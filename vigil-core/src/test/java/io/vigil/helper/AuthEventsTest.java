package io.vigil.helper;

import io.vigil.AuditReceipt;
import io.vigil.event.Actor;
import io.vigil.event.AuditEvent;
import io.vigil.event.Category;
import io.vigil.event.Outcome;
import io.vigil.event.Severity;
import io.vigil.event.Target;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.vigil.event.EventCatalog.*;
import static io.vigil.helper.CapturingRecorder.assertType;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AuthEventsTest {
    private final CapturingRecorder recorder = new CapturingRecorder();
    private final AuthEvents auth = new AuthEvents(recorder);
    private final Actor alice = Actor.user("alice").withIp("192.168.1.1");

    @Test
    void legacyLogAuthBecomesTheCatalogueType() {
        auth.record(AuthAction.LOGIN, Outcome.SUCCESS, alice, AuthMethod.TOKEN);
        AuditEvent e = assertType(recorder.only(), AUTH_LOGIN_SUCCESS);
        assertThat(e.actor()).contains(alice);
        assertThat(e.details()).isEqualTo(Map.of("method", "token"));
    }

    @Test
    void aLoginThatFailsOrErrsIsALoginFailureKeepingTheOutcome() {
        auth.login(AuthMethod.TAILSCALE, Outcome.ERROR, alice);
        assertType(recorder.only(), AUTH_LOGIN_FAILURE, Outcome.ERROR);
        assertThat(recorder.only().details()).containsEntry("method", "tailscale");
    }

    @Test
    void loginFailedRecordsTheReason() {
        auth.loginFailed(alice, AuthMethod.PASSWORD, "bad password");
        AuditEvent e = assertType(recorder.only(), AUTH_LOGIN_FAILURE);
        assertThat(e.reason()).contains("bad password");
        assertThat(e.details()).containsEntry("method", "password");
    }

    @Test
    void loginSucceededAfterZeroFailuresKeepsTheZero() {
        auth.loginSucceededAfterFailures(alice, AuthMethod.DEVICE, 0);
        AuditEvent e = assertType(recorder.only(), AUTH_LOGIN_SUCCESS_AFTER_FAILURE);
        assertThat(e.details()).containsEntry("failedAttempts", 0L).containsEntry("method", "device");
    }

    @Test
    void failureLimitAndLock() {
        auth.loginFailureLimitReached(alice, 5);
        assertType(recorder.last(), AUTH_LOGIN_FAILURE_LIMIT_REACHED);
        assertThat(recorder.last().details()).containsEntry("limit", 5L);
        auth.accountLocked(alice, "maxretries");
        assertType(recorder.last(), AUTH_ACCOUNT_LOCKED);
        assertThat(recorder.last().reason()).contains("maxretries");
        assertThat(recorder.last().severity()).isEqualTo(Severity.MEDIUM);
    }

    @Test
    void logoutAndPasswords() {
        auth.loggedOut(alice);
        assertType(recorder.last(), AUTH_LOGOUT);
        auth.passwordChanged(alice);
        assertType(recorder.last(), AUTH_PASSWORD_CHANGED);
        auth.passwordChangeFailed(alice, "current password wrong");
        assertType(recorder.last(), AUTH_PASSWORD_CHANGE_FAILED);
        assertThat(recorder.last().reason()).contains("current password wrong");
        auth.passwordResetRequested(alice);
        assertType(recorder.last(), AUTH_PASSWORD_RESET_REQUESTED);
        auth.passwordResetCompleted(alice);
        assertType(recorder.last(), AUTH_PASSWORD_RESET_COMPLETED);
    }

    @Test
    void tokensAreTargetsById() {
        auth.tokenCreated(alice, "tok-1");
        assertType(recorder.last(), AUTH_TOKEN_CREATED);
        assertThat(recorder.last().target()).contains(Target.of("token", "tok-1"));
        auth.tokenRefreshed(alice, "tok-2");
        assertType(recorder.last(), AUTH_TOKEN_REFRESHED);
        assertThat(recorder.last().target()).contains(Target.of("token", "tok-2"));
        auth.tokenRefreshFailed(alice, "refresh token expired");
        assertType(recorder.last(), AUTH_TOKEN_REFRESH_FAILED);
        auth.tokenRevoked(alice, "tok-2");
        assertType(recorder.last(), AUTH_TOKEN_REVOKED);
        auth.tokenDeleted(alice, "tok-2");
        assertType(recorder.last(), AUTH_TOKEN_DELETED);
        auth.tokenReused(alice, "tok-2");
        assertType(recorder.last(), AUTH_TOKEN_REUSED);
        assertThat(recorder.last().severity()).isEqualTo(Severity.HIGH);
        assertThat(recorder.events).hasSize(6);
    }

    @Test
    void apiKeys() {
        Actor client = Actor.api("ci-bot");
        auth.apiKeyUsed(client, "key-7");
        assertType(recorder.last(), AUTH_API_KEY_USED);
        assertThat(recorder.last().target()).contains(Target.of("api_key", "key-7"));
        auth.apiKeyRejected(client, "key-8", "revoked");
        assertType(recorder.last(), AUTH_API_KEY_REJECTED);
        assertThat(recorder.last().reason()).contains("revoked");
    }

    @Test
    void secondFactors() {
        auth.mfaEnabled(alice, "totp");
        assertType(recorder.last(), AUTH_MFA_ENABLED);
        assertThat(recorder.last().details()).containsEntry("factor", "totp");
        auth.mfaChallenged(alice, "totp");
        assertType(recorder.last(), AUTH_MFA_CHALLENGED);
        auth.mfaVerified(alice, "totp");
        assertType(recorder.last(), AUTH_MFA_VERIFIED);
        auth.mfaFailed(alice, "totp", "wrong code");
        assertType(recorder.last(), AUTH_MFA_FAILED);
        assertThat(recorder.last().reason()).contains("wrong code");
        auth.mfaDisabled(alice, "totp");
        assertType(recorder.last(), AUTH_MFA_DISABLED);
    }

    @Test
    void sessionsAndDevices() {
        auth.sessionCreated(alice, "s-1");
        assertType(recorder.last(), AUTH_SESSION_CREATED);
        assertThat(recorder.last().sessionId()).contains("s-1");
        auth.sessionRevoked(Actor.user("admin"), "s-1");
        assertType(recorder.last(), AUTH_SESSION_REVOKED);
        assertThat(recorder.last().sessionId()).contains("s-1");
        auth.deviceRegistered(alice, "phone");
        assertType(recorder.last(), AUTH_DEVICE_REGISTERED);
        assertThat(recorder.last().target()).contains(Target.of("device", "phone"));
        auth.deviceRevoked(alice, "phone");
        assertType(recorder.last(), AUTH_DEVICE_REVOKED);
    }

    @Test
    void customizersRunAfterTheHelperAndCompose() {
        AuthEvents custom = auth.with(b -> b.requestId("req-1")).with(b -> b.severity(Severity.HIGH));
        custom.loginFailed(alice, AuthMethod.PASSWORD, "bad password");
        AuditEvent e = recorder.only();
        assertThat(e.requestId()).contains("req-1");
        assertThat(e.severity()).isEqualTo(Severity.HIGH);
        assertThat(e.reason()).contains("bad password");

        auth.loggedOut(alice);
        assertThat(recorder.last().requestId()).as("the original helper is unchanged").isEmpty();
    }

    @Test
    void returnsTheRecordersReceipt() {
        AuditReceipt receipt = auth.loggedOut(alice).join();
        assertThat(receipt.eventId()).isEqualTo(recorder.only().id());
        assertThat(receipt.status()).isEqualTo(AuditReceipt.Status.WRITTEN);
    }

    @Test
    void missingArgumentsAreRefusedBeforeAnythingIsRecorded() {
        assertThatThrownBy(() -> auth.loginFailed(alice, AuthMethod.PASSWORD, null))
                .isInstanceOf(NullPointerException.class).hasMessage("reason");
        assertThatThrownBy(() -> auth.tokenCreated(alice, null))
                .isInstanceOf(NullPointerException.class).hasMessage("tokenId");
        assertThatThrownBy(() -> auth.loggedOut(null))
                .isInstanceOf(NullPointerException.class).hasMessage("actor");
        assertThatThrownBy(() -> auth.record(null, Outcome.SUCCESS, alice))
                .isInstanceOf(NullPointerException.class).hasMessage("action");
        assertThatThrownBy(() -> auth.login(AuthMethod.TOKEN, null, alice))
                .isInstanceOf(NullPointerException.class).hasMessage("outcome");
        assertThatThrownBy(() -> auth.loginSucceededAfterFailures(alice, AuthMethod.TOKEN, -1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("failedAttempts is -1");
        assertThat(recorder.events).isEmpty();
    }

    @Property
    void everyAuthActionAndOutcomeIsRecordedWithThatOutcome(@ForAll AuthAction action, @ForAll Outcome outcome) {
        CapturingRecorder r = new CapturingRecorder();
        new AuthEvents(r).record(action, outcome, alice);
        AuditEvent e = r.only();
        assertThat(e.outcome()).isEqualTo(outcome);
        assertThat(e.type()).isEqualTo(CatalogMappings.typeFor(Category.AUTH, action.action(), outcome)
                .name());
        assertThat(e.action()).isEqualTo(action.action());
    }
}
