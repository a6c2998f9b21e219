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
import java.util.UUID;

import static io.vigil.detect.DetectedLedger.ids;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * New user agent against a real log and file ledger: quiet while learning (yet remembering), a finding for an agent
 * the account has not been seen with, agents forgotten by count and by age.
 */
class NewUserAgentTest {

    private static final Instant T0 = Instant.parse("2025-03-01T09:00:00Z");
    private static final Duration LEARNING = Duration.ofHours(1);
    private static final String FLAG = "new_user_agent";
    private static final String FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0";
    private static final String SAFARI = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) Safari/604.1";
    private static final String CURL = "curl/8.5.0";
    private static final String PYTHON = "python-requests/2.31.0";

    @TempDir
    Path tmp;

    private final List<DetectedLedger> ledgers = new ArrayList<>();

    @AfterEach
    void close() {
        ledgers.forEach(DetectedLedger::close);
    }

    private DetectedLedger ledger(NewUserAgentRule rule) throws IOException {
        DetectedLedger l = new DetectedLedger(DetectionStage.builder().newUserAgent(rule).build(),
                tmp.resolve("ledger"));
        ledgers.add(l);
        return l;
    }

    private static AuditEvent.Builder event(EventType type, String account, String agent, Instant at) {
        return AuditEvent.builder(type).timestamp(at).tenant("acme")
                .actor(Actor.user(account).withIp("203.0.113.7").withUserAgent(agent));
    }

    private static AuditEvent.Builder login(String account, String agent, Instant at) {
        return event(EventCatalog.AUTH_LOGIN_SUCCESS, account, agent, at);
    }

    @Test
    void quietWhileLearningThenFiresOnAnAgentTheAccountWasNotSeenWith() throws IOException {
        DetectedLedger ledger = ledger(new NewUserAgentRule(LEARNING, 20, Duration.ofDays(30)));
        ledger.record(login("alice", FIREFOX, T0)); // the first event taken in: learning ends an hour later
        ledger.record(login("alice", SAFARI, T0.plus(Duration.ofMinutes(30))));
        ledger.record(login("alice", CURL, T0.plus(LEARNING).minusMillis(1)));
        assertThat(ledger.findings(FLAG)).as("new agents, but still learning").isEmpty();

        // Agents seen while learning are remembered.
        ledger.record(login("alice", SAFARI, T0.plus(LEARNING)));
        UUID lastKnown = ledger.record(login("alice", FIREFOX, T0.plus(LEARNING))).id();
        assertThat(ledger.findings(FLAG)).isEmpty();

        UUID fresh = ledger.record(login("alice", PYTHON, T0.plus(LEARNING))).id();
        List<AuditEvent> found = ledger.findings(FLAG);
        assertThat(found).hasSize(1);
        AuditEvent f = found.get(0);
        assertThat(f.type()).isEqualTo(EventCatalog.SECURITY_ANOMALY_DETECTED.name());
        assertThat(f.category()).isEqualTo(EventCatalog.SECURITY_ANOMALY_DETECTED.category());
        assertThat(f.timestamp()).isEqualTo(T0.plus(LEARNING));
        assertThat(f.actor().flatMap(Actor::id)).contains("alice");
        assertThat(f.actor().flatMap(Actor::userAgent)).contains(PYTHON);
        assertThat(f.riskScore().getAsDouble()).isEqualTo(0.2, Offset.offset(1e-9));
        assertThat(f.anomalyFlags()).containsExactly(FLAG);
        assertThat(f.details()).containsEntry("detector", FLAG)
                .containsEntry("previousUserAgent", FIREFOX)
                .containsEntry("knownUserAgents", 3L)
                .containsEntry("triggeringEventIds", ids(lastKnown, fresh));

        // Now it is known: the same agent again, on any successful event, is quiet.
        ledger.record(event(EventCatalog.DATA_READ, "alice", PYTHON, T0.plus(Duration.ofHours(2))));
        assertThat(ledger.findings(FLAG)).hasSize(1);
        ledger.closeAndVerify();
    }

    @Test
    void quietAroundItsScenario() throws IOException {
        DetectedLedger ledger = ledger(new NewUserAgentRule(Duration.ZERO, 20, Duration.ofDays(30)));
        // An account's first agent: nothing to compare with.
        ledger.record(login("bob", FIREFOX, T0));
        // A failure is not the account in use: its agent is neither judged nor learnt.
        ledger.record(event(EventCatalog.AUTH_LOGIN_FAILURE, "bob", CURL, T0.plusSeconds(1)));
        // Without a user agent, and the same name in another tenant.
        ledger.record(AuditEvent.builder(EventCatalog.AUTH_LOGIN_SUCCESS).timestamp(T0.plusSeconds(2)).tenant("acme")
                .actor(Actor.user("bob")));
        ledger.record(AuditEvent.builder(EventCatalog.AUTH_LOGIN_SUCCESS).timestamp(T0.plusSeconds(3))
                .tenant("globex").actor(Actor.user("bob").withUserAgent(SAFARI)));
        assertThat(ledger.findings(FLAG)).isEmpty();

        // The agent of the failure was not learnt: its first success with it is new.
        ledger.record(login("bob", CURL, T0.plusSeconds(4)));
        assertThat(ledger.findings(FLAG)).hasSize(1);
        assertThat(ledger.stage().stats().errors()).isZero();
    }

    @Test
    void forgetsTheLeastRecentlySeenBeyondTheBoundAndAgentsNotSeenForLong() throws IOException {
        Duration forgetAfter = Duration.ofDays(1);
        DetectedLedger ledger = ledger(new NewUserAgentRule(Duration.ZERO, 2, forgetAfter));
        ledger.record(login("carol", FIREFOX, T0));
        ledger.record(login("carol", SAFARI, T0.plusSeconds(1)));                      // new: 1
        ledger.record(login("carol", CURL, T0.plusSeconds(2)));                        // new: 2, Firefox dropped
        ledger.record(login("carol", SAFARI, T0.plusSeconds(3)));                      // known
        ledger.record(login("carol", FIREFOX, T0.plusSeconds(4)));                     // new again: 3
        assertThat(ledger.findings(FLAG)).hasSize(3);

        ledger.record(login("dave", FIREFOX, T0));
        ledger.record(login("dave", SAFARI, T0.plus(Duration.ofHours(12))));          // new: 4
        ledger.record(login("dave", SAFARI, T0.plus(forgetAfter).minusMillis(1)));    // known
        ledger.record(login("dave", FIREFOX, T0.plus(forgetAfter)));                  // not seen for a day: 5
        assertThat(ledger.findings(FLAG)).hasSize(5).last()
                .satisfies(f -> assertThat(f.details()).containsEntry("previousUserAgent", SAFARI)
                        .containsEntry("knownUserAgents", 1L));
        ledger.closeAndVerify();
    }

    @Test
    void defaultsAndValidation() {
        assertThat(NewUserAgentRule.DEFAULT)
                .isEqualTo(new NewUserAgentRule(Duration.ofDays(1), 20, Duration.ofDays(30)));
        assertThatThrownBy(() -> new NewUserAgentRule(Duration.ofSeconds(-1), 20, Duration.ofDays(30)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("learning PT-1S must not be negative");
        assertThatThrownBy(() -> new NewUserAgentRule(Duration.ZERO, 0, Duration.ofDays(30)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("remembered 0 must be between 1");
        assertThatThrownBy(() -> new NewUserAgentRule(Duration.ZERO, 20, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("forgetAfter PT0S must be positive");
        assertThat(DetectionStage.builder().bruteForce(BruteForceRule.DEFAULT)
                .successAfterFailure(SuccessAfterFailureRule.DEFAULT)
                .passwordSpraying(PasswordSprayingRule.DEFAULT)
                .impossibleTravel(ImpossibleTravelRule.DEFAULT)
                .newUserAgent(NewUserAgentRule.DEFAULT).build().detectors())
                .containsExactly("brute_force", "success_after_failure", "password_spraying", "impossible_travel",
                        "new_user_agent");
        assertThatThrownBy(() -> DetectionStage.builder().newUserAgent(NewUserAgentRule.DEFAULT)
                .newUserAgent(NewUserAgentRule.DEFAULT)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("newUserAgent was already added");
    }
}
