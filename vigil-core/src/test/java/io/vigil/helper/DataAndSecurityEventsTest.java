package io.vigil.helper;

import io.vigil.event.Actor;
import io.vigil.event.AuditEvent;
import io.vigil.event.EventValidationException;
import io.vigil.event.Outcome;
import io.vigil.event.Target;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.vigil.event.EventCatalog.*;
import static io.vigil.helper.CapturingRecorder.assertType;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DataAndSecurityEventsTest {
    private final CapturingRecorder recorder = new CapturingRecorder();
    private final DataEvents data = new DataEvents(recorder);
    private final SecurityEvents security = new SecurityEvents(recorder);
    private final Actor alice = Actor.user("alice").withIp("203.0.113.7");
    private final Target customers = Target.of("table", "customers");

    @Test
    void dataAccess() {
        data.read(alice, customers);
        assertType(recorder.last(), DATA_READ);
        assertThat(recorder.last().target()).contains(customers);
        assertThat(recorder.last().details()).isEmpty();
        data.read(alice, customers, 0);
        assertThat(recorder.last().details()).isEqualTo(Map.of("recordCount", 0L));
        data.created(alice, customers);
        assertType(recorder.last(), DATA_CREATE);
        data.updated(alice, customers);
        assertType(recorder.last(), DATA_UPDATE);
        data.written(alice, customers);
        assertType(recorder.last(), DATA_WRITE);
        data.deleted(alice, customers);
        assertType(recorder.last(), DATA_DELETE);
        data.deleted(alice, customers, 3);
        assertThat(recorder.last().details()).containsEntry("recordCount", 3L);
        data.exported(alice, customers);
        assertType(recorder.last(), DATA_EXPORT);
        data.exported(alice, customers, 12_000);
        assertType(recorder.last(), DATA_EXPORT);
        assertThat(recorder.last().details()).containsEntry("recordCount", 12_000L);
        data.shared(alice, customers, "partner-co");
        assertType(recorder.last(), DATA_SHARE);
        assertThat(recorder.last().details()).containsEntry("sharedWith", "partner-co");
    }

    @Test
    void uploads() {
        Target file = Target.of("file", "blob-42").withName("avatar.png");
        data.uploaded(alice, file);
        assertType(recorder.last(), DATA_UPLOAD);
        data.uploadRejected(alice, file, "virus scan failed");
        AuditEvent e = assertType(recorder.last(), DATA_UPLOAD_REJECTED);
        assertThat(e.reason()).contains("virus scan failed");
        data.record(DataAction.UPLOAD, Outcome.ERROR, alice, file);
        assertType(recorder.last(), DATA_UPLOAD_REJECTED, Outcome.ERROR);
    }

    @Test
    void anomalyAsTheLegacyDetectorWroteIt() {
        security.anomalyDetected(alice, 0.6, "impossible_travel", "new_user_agent");
        AuditEvent e = assertType(recorder.only(), SECURITY_ANOMALY_DETECTED);
        assertThat(e.riskScore().getAsDouble()).isEqualTo(0.6);
        assertThat(e.anomalyFlags()).containsExactly("impossible_travel", "new_user_agent");
    }

    @Test
    void aZeroRiskScoreIsKept() {
        security.anomalyDetected(alice, 0.0);
        assertThat(recorder.only().riskScore()).hasValue(0.0);
        assertThat(recorder.only().anomalyFlags()).isEmpty();
    }

    @Test
    void aRiskScoreOutOfRangeIsRefused() {
        assertThatThrownBy(() -> security.anomalyDetected(alice, 1.5, "x"))
                .isInstanceOf(EventValidationException.class).hasMessageContaining("riskScore 1.5");
        assertThat(recorder.events).isEmpty();
    }

    @Test
    void detections() {
        security.bruteForceDetected(alice, 0, 60_000);
        assertType(recorder.last(), SECURITY_BRUTE_FORCE_DETECTED);
        assertThat(recorder.last().details()).isEqualTo(Map.of("failedAttempts", 0L, "windowMs", 60_000L));
        security.rateLimited(alice, 100, 60_000);
        assertType(recorder.last(), SECURITY_RATE_LIMITED);
        assertThat(recorder.last().details()).isEqualTo(Map.of("limit", 100L, "windowMs", 60_000L));
        security.suspiciousActivity(alice, "out of sequence checkout", "out_of_sequence");
        assertType(recorder.last(), SECURITY_SUSPICIOUS_ACTIVITY);
        assertThat(recorder.last().reason()).contains("out of sequence checkout");
        assertThat(recorder.last().anomalyFlags()).containsExactly("out_of_sequence");
        security.attackDetected(alice, "attack_tool");
        assertType(recorder.last(), SECURITY_ATTACK_DETECTED);
        assertThat(recorder.last().details()).containsEntry("technique", "attack_tool");
        security.inputRejected(alice, List.of("zip", "date_of_birth"));
        assertType(recorder.last(), SECURITY_INPUT_REJECTED);
        assertThat(recorder.last().details()).containsEntry("fields", List.of("zip", "date_of_birth"));
        security.cryptoFailed(Actor.system(), "decrypt", "tag mismatch");
        assertType(recorder.last(), SECURITY_CRYPTO_FAILED);
        assertThat(recorder.last().details()).containsEntry("operation", "decrypt");
        assertThat(recorder.last().error()).contains("tag mismatch");
    }
}
