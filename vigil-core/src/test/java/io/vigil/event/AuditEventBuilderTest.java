package io.vigil.event;

import org.junit.jupiter.api.Test;

import java.lang.reflect.RecordComponent;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code toBuilder} and {@code copy} carry every field of the event. */
class AuditEventBuilderTest {

    private static AuditEvent.Builder everyField() {
        return AuditEvent.builder(EventCatalog.SECURITY_ANOMALY_DETECTED)
                .id(UUID.fromString("01890a5d-ac96-774b-bcce-b302099a8057"))
                .timestamp(Instant.parse("2025-01-02T03:04:05.678Z"))
                .category(Category.SECURITY).action("anomaly_detected").outcome(Outcome.FAILURE)
                .severity(Severity.CRITICAL)
                .actor(Actor.user("alice").withName("Alice").withIp("10.0.0.7").withUserAgent("curl/8"))
                .target(Target.of("account", "a-1")).tenant("t-1").service("billing").requestId("req-1")
                .sessionId("sess-1").traceId("trace-1").reason("odd").error("none").riskScore(0.75)
                .anomalyFlag("new_agent").detail("n", 0L).detail("ok", false);
    }

    @Test
    void theFixtureSetsEveryField() {
        AuditEvent e = everyField().build();
        for (RecordComponent c : AuditEvent.class.getRecordComponents()) {
            Object v;
            try {
                v = c.getAccessor().invoke(e);
            } catch (ReflectiveOperationException ex) {
                throw new AssertionError(ex);
            }
            assertThat(v).as(c.getName()).isNotEqualTo(Optional.empty()).isNotEqualTo(OptionalDouble.empty())
                    .isNotEqualTo(List.of()).isNotEqualTo(Map.of());
        }
    }

    @Test
    void toBuilderRebuildsAnEqualEvent() {
        AuditEvent e = everyField().build();
        assertThat(e.toBuilder().build()).isEqualTo(e);
    }

    @Test
    void copyBuildsAnEqualEventAndLeavesTheOriginalAsItWas() {
        AuditEvent.Builder original = everyField();
        AuditEvent.Builder copy = original.copy();
        assertThat(copy.build()).isEqualTo(original.build());
        copy.requestId("req-2").riskScore(0.1);
        assertThat(original.build().requestId()).contains("req-1");
        assertThat(original.build().riskScore()).hasValue(0.75);
    }
}
