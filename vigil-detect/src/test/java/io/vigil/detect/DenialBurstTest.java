package io.vigil.detect;

import io.vigil.event.Actor;
import io.vigil.event.AuditEvent;
import io.vigil.event.EventCatalog;
import io.vigil.event.EventType;
import io.vigil.event.Outcome;
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

/** The denial burst detector against a real log and file ledger: N-1 denials are quiet, N fire, once per burst. */
class DenialBurstTest {

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

    private void ledgerWith(int threshold) throws IOException {
        ledger = new DetectedLedger(DetectionStage.builder().denialBurst(new DenialBurstRule(threshold, WINDOW)).build(),
                tmp.resolve("ledger"));
    }

    private AuditEvent as(Actor actor, EventType type, String tenant, Instant at) {
        return ledger.record(AuditEvent.builder(type).timestamp(at).tenant(tenant).actor(actor));
    }

    private AuditEvent denied(String user, Instant at) {
        return as(Actor.user(user).withIp("198.51.100.4"), EventCatalog.AUTHZ_ACCESS_DENIED, "acme", at);
    }

    private static List<String> ids(List<AuditEvent> events) {
        return events.stream().map(e -> e.id().toString()).toList();
    }

    @Test
    void firesAtTheThresholdOncePerBurst() throws IOException {
        ledgerWith(3);
        List<AuditEvent> burst = new ArrayList<>();
        burst.add(denied("mallory", T0));
        burst.add(as(Actor.user("mallory").withIp("198.51.100.5"), EventCatalog.AUTHZ_PERMISSION_CHECK_DENIED, "acme",
                T0.plusSeconds(10)));
        assertThat(ledger.findings()).as("two denials, threshold three").isEmpty();

        burst.add(denied("mallory", T0.plusSeconds(20)));
        List<AuditEvent> found = ledger.findings();
        assertThat(found).hasSize(1);
        AuditEvent f = found.get(0);
        assertThat(f.type()).isEqualTo(EventCatalog.SECURITY_SUSPICIOUS_ACTIVITY.name());
        assertThat(f.category()).isEqualTo(EventCatalog.SECURITY_SUSPICIOUS_ACTIVITY.category());
        assertThat(f.severity()).isEqualTo(EventCatalog.SECURITY_SUSPICIOUS_ACTIVITY.severity());
        assertThat(f.timestamp()).isEqualTo(T0.plusSeconds(20));
        assertThat(f.actor().flatMap(Actor::id)).contains("mallory");
        assertThat(f.riskScore().getAsDouble()).isEqualTo(0.5, Offset.offset(1e-9));
        assertThat(f.anomalyFlags()).containsExactly("denial_burst");
        assertThat(f.details()).containsEntry("detector", "denial_burst")
                .containsEntry("triggeringEventIds", ids(burst))
                .containsEntry("deniedAttempts", 3L)
                .containsEntry("threshold", 3L)
                .containsEntry("windowMs", WINDOW.toMillis())
                .containsEntry("keyedBy", "actor");

        // The same burst going on within the window is not reported again.
        for (int i = 0; i < 5; i++) {
            denied("mallory", T0.plusSeconds(30 + i));
        }
        assertThat(ledger.findings()).hasSize(1);

        // A later burst, after a quiet window, is.
        Instant later = T0.plus(Duration.ofMinutes(10));
        denied("mallory", later);
        denied("mallory", later.plusSeconds(1));
        assertThat(ledger.findings()).hasSize(1);
        denied("mallory", later.plusSeconds(2));
        found = ledger.findings();
        assertThat(found).hasSize(2);
        assertThat(found.get(1).timestamp()).isEqualTo(later.plusSeconds(2));
        ledger.closeAndVerify();
    }

    @Test
    void probingThatGoesOnIsReportedOncePerWindow() throws IOException {
        ledgerWith(3);
        // One denial every ten seconds for three minutes.
        for (int i = 0; i < 18; i++) {
            denied("oscar", T0.plusSeconds(i * 10L));
        }
        assertThat(ledger.findings()).extracting(AuditEvent::timestamp)
                .containsExactly(T0.plusSeconds(20), T0.plusSeconds(80), T0.plusSeconds(140));
    }

    @Test
    void anActorWithoutIdIsKnownByItsAddress() throws IOException {
        ledgerWith(3);
        Actor plain = Actor.anonymous().withIp("203.0.113.9");
        Actor mapped = Actor.anonymous().withIp("::ffff:203.0.113.9"); // the same address, written as IPv6
        as(plain, EventCatalog.AUTHZ_ACCESS_DENIED, "acme", T0);
        as(mapped, EventCatalog.AUTHZ_ACCESS_DENIED, "acme", T0.plusSeconds(1));
        // The same address in another tenant is another subject.
        as(plain, EventCatalog.AUTHZ_ACCESS_DENIED, "globex", T0.plusSeconds(2));
        assertThat(ledger.findings()).isEmpty();
        as(plain, EventCatalog.AUTHZ_ACCESS_DENIED, "acme", T0.plusSeconds(3));
        List<AuditEvent> found = ledger.findings();
        assertThat(found).hasSize(1);
        assertThat(found.get(0).details()).containsEntry("keyedBy", "ip").containsEntry("deniedAttempts", 3L);
        assertThat(found.get(0).tenant()).contains("acme");
        ledger.closeAndVerify();
    }

    @Test
    void staysQuietAroundItsScenario() throws IOException {
        ledgerWith(3);
        // Three denials, the first and the last exactly one window apart.
        denied("peggy", T0);
        denied("peggy", T0.plusSeconds(30));
        denied("peggy", T0.plus(WINDOW));
        // Two denials each for two users, and for one name in two tenants.
        for (String user : List.of("quinn", "rupert")) {
            denied(user, T0);
            denied(user, T0.plusSeconds(1));
        }
        as(Actor.user("sybil"), EventCatalog.AUTHZ_ACCESS_DENIED, "acme", T0);
        as(Actor.user("sybil"), EventCatalog.AUTHZ_ACCESS_DENIED, "acme", T0.plusSeconds(1));
        as(Actor.user("sybil"), EventCatalog.AUTHZ_ACCESS_DENIED, "globex", T0.plusSeconds(2));
        // Other outcomes are not denials: failed logins, granted access, an access event marked as an error.
        for (int i = 0; i < 10; i++) {
            as(Actor.user("trent"), EventCatalog.AUTH_LOGIN_FAILURE, "acme", T0.plusSeconds(i));
            as(Actor.user("trent"), EventCatalog.AUTHZ_ACCESS_GRANTED, "acme", T0.plusSeconds(i));
            ledger.record(AuditEvent.builder(EventCatalog.AUTHZ_ACCESS_DENIED).outcome(Outcome.ERROR)
                    .timestamp(T0.plusSeconds(i)).actor(Actor.user("trent")));
        }
        // Denials naming neither an actor id nor an address cannot be told apart.
        for (int i = 0; i < 10; i++) {
            as(Actor.anonymous(), EventCatalog.AUTHZ_ACCESS_DENIED, "acme", T0.plusSeconds(i));
        }
        assertThat(ledger.findings()).isEmpty();
        ledger.closeAndVerify();
    }

    @Test
    void rejectsBadRulesAndASecondDetector() {
        assertThatThrownBy(() -> new DenialBurstRule(1, WINDOW)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("denial burst threshold 1 must be at least 2");
        assertThatThrownBy(() -> new DenialBurstRule(10, Duration.ofSeconds(-5)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("denial burst window");
        assertThatThrownBy(() -> DetectionStage.builder().denialBurst(DenialBurstRule.DEFAULT)
                .denialBurst(DenialBurstRule.DEFAULT)).isInstanceOf(IllegalStateException.class);
        assertThat(DenialBurstRule.DEFAULT).isEqualTo(new DenialBurstRule(10, Duration.ofMinutes(5)));
    }
}
