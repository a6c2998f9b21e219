package io.vigil.detect;

import io.vigil.event.Actor;
import io.vigil.event.AuditEvent;
import io.vigil.event.EventCatalog;
import io.vigil.event.EventType;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The abnormal rate detector on a real log and file ledger: quiet at the limit, one finding per window past it. */
class AbnormalRateTest {

    private static final Instant T0 = Instant.parse("2025-03-01T09:00:00Z");
    private static final Duration WINDOW = Duration.ofMinutes(1);

    @TempDir
    Path tmp;

    private DetectedLedger ledger;

    @AfterEach
    void close() {
        if (ledger != null) {
            ledger.close();
        }
    }

    private DetectedLedger ledgerWith(int limit) throws IOException {
        ledger = new DetectedLedger(DetectionStage.builder().abnormalRate(new AbnormalRateRule(limit, WINDOW)).build(),
                tmp.resolve("ledger"));
        return ledger;
    }

    private AuditEvent event(EventType type, String tenant, String actor, Instant at) {
        return ledger.record(AuditEvent.builder(type).timestamp(at).tenant(tenant)
                .actor(Actor.user(actor).withIp("198.51.100.4")));
    }

    private AuditEvent read(String actor, Instant at) {
        return event(EventCatalog.DATA_READ, "acme", actor, at);
    }

    private static List<String> ids(List<AuditEvent> events) {
        return events.stream().map(e -> e.id().toString()).toList();
    }

    @Test
    void quietAtTheLimitThenOneFindingNamingTheFirstFewAndTheEventPastIt() throws IOException {
        ledgerWith(5);
        List<AuditEvent> reads = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            reads.add(read("alice", T0.plusSeconds(i)));
        }
        assertThat(ledger.findings()).as("five reads, limit five").isEmpty();

        reads.add(read("alice", T0.plusSeconds(30)));
        List<AuditEvent> found = ledger.findings();
        assertThat(found).hasSize(1);
        AuditEvent f = found.get(0);
        assertThat(f.type()).isEqualTo(EventCatalog.SECURITY_ANOMALY_DETECTED.name());
        assertThat(f.category()).isEqualTo(EventCatalog.SECURITY_ANOMALY_DETECTED.category());
        assertThat(f.timestamp()).as("the sixth read's own time").isEqualTo(T0.plusSeconds(30));
        assertThat(f.tenant()).contains("acme");
        assertThat(f.actor().flatMap(Actor::id)).contains("alice");
        assertThat(f.riskScore().getAsDouble()).isEqualTo(0.3, Offset.offset(1e-9));
        assertThat(f.anomalyFlags()).containsExactly("abnormal_rate");
        assertThat(f.details()).containsEntry("detector", "abnormal_rate")
                .containsEntry("eventType", "data.read")
                .containsEntry("events", 6L)
                .containsEntry("limit", 5L)
                .containsEntry("windowStart", T0.toString())
                .containsEntry("windowMs", WINDOW.toMillis())
                .containsEntry("triggeringEventIds", ids(List.of(reads.get(0), reads.get(1), reads.get(2),
                        reads.get(5))));

        // The rest of the window is the same excess: counted, not reported again.
        for (int i = 31; i < 60; i++) {
            read("alice", T0.plusSeconds(i));
        }
        assertThat(ledger.findings()).hasSize(1);

        // A new window opens with the first read at or after T0 + 1 minute, and is reported once when it goes past.
        for (int i = 0; i < 8; i++) {
            read("alice", T0.plus(WINDOW).plusSeconds(i));
        }
        found = ledger.findings();
        assertThat(found).hasSize(2);
        assertThat(found.get(1).timestamp()).isEqualTo(T0.plus(WINDOW).plusSeconds(5));
        assertThat(found.get(1).details()).containsEntry("windowStart", T0.plus(WINDOW).toString());
        ledger.closeAndVerify();
    }

    @Test
    void aLimitBelowTheSampleListsEachEventOnce() throws IOException {
        ledgerWith(1);
        AuditEvent first = read("bob", T0);
        AuditEvent second = read("bob", T0.plusSeconds(1));
        List<AuditEvent> found = ledger.findings();
        assertThat(found).hasSize(1);
        assertThat(found.get(0).details()).containsEntry("events", 2L)
                .containsEntry("triggeringEventIds", ids(List.of(first, second)));
    }

    @Test
    void staysQuietAroundItsScenario() throws IOException {
        ledgerWith(3);
        for (int i = 0; i < 3; i++) {
            // At the limit for each type: reads and writes are counted apart.
            read("carol", T0.plusSeconds(i));
            event(EventCatalog.DATA_WRITE, "acme", "carol", T0.plusSeconds(i));
            // At the limit for each actor, and for one name in two tenants.
            read("dave", T0.plusSeconds(i));
            event(EventCatalog.DATA_READ, "globex", "carol", T0.plusSeconds(i));
        }
        // Three in one window and three in the next, which opens exactly one window after the first read.
        for (int i = 0; i < 3; i++) {
            read("erin", T0.plusSeconds(50 + i));
        }
        for (int i = 0; i < 3; i++) {
            read("erin", T0.plusSeconds(50).plus(WINDOW).plusSeconds(i));
        }
        // Events naming no actor id are not counted, however many.
        for (int i = 0; i < 20; i++) {
            ledger.record(AuditEvent.builder(EventCatalog.DATA_READ).timestamp(T0.plusSeconds(i))
                    .actor(Actor.anonymous().withIp("198.51.100.9")));
        }
        assertThat(ledger.findings()).isEmpty();
        ledger.closeAndVerify();
    }

    @Test
    void rejectsBadRulesAndASecondDetector() {
        assertThatThrownBy(() -> new AbnormalRateRule(0, WINDOW)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("abnormal rate limit 0");
        assertThatThrownBy(() -> new AbnormalRateRule(100, Duration.ZERO)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("abnormal rate window");
        assertThatThrownBy(() -> DetectionStage.builder().abnormalRate(AbnormalRateRule.DEFAULT)
                .abnormalRate(AbnormalRateRule.DEFAULT)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("abnormalRate");
        assertThat(AbnormalRateRule.DEFAULT).isEqualTo(new AbnormalRateRule(100, Duration.ofMinutes(1)));
    }
}
