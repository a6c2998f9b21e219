package io.vigil.detect;

import io.vigil.event.Actor;
import io.vigil.event.AuditEvent;
import io.vigil.event.EventCatalog;
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
 * Password spraying against a real log and file ledger: a finding at exactly the threshold of distinct accounts from
 * one network, none around it, one per threshold while the spray continues, networks read at the rule's prefix
 * lengths.
 */
class PasswordSprayingTest {

    private static final Instant T0 = Instant.parse("2025-03-01T09:00:00Z");
    private static final Duration WINDOW = Duration.ofMinutes(1);
    private static final String FLAG = "password_spraying";

    @TempDir
    Path tmp;

    private final List<DetectedLedger> ledgers = new ArrayList<>();

    @AfterEach
    void close() {
        ledgers.forEach(DetectedLedger::close);
    }

    private DetectedLedger ledger(PasswordSprayingRule rule) throws IOException {
        DetectedLedger l = new DetectedLedger(DetectionStage.builder().passwordSpraying(rule).build(),
                tmp.resolve("ledger"));
        ledgers.add(l);
        return l;
    }

    private static AuditEvent.Builder failure(String tenant, String account, String ip, Instant at) {
        return AuditEvent.builder(EventCatalog.AUTH_LOGIN_FAILURE).timestamp(at).tenant(tenant)
                .actor(Actor.user(account).withIp(ip));
    }

    private static AuditEvent.Builder failure(String account, String ip, Instant at) {
        return failure("acme", account, ip, at);
    }

    @Test
    void firesAtExactlyTheThresholdOfDistinctAccountsAndThenCountsAgain() throws IOException {
        DetectedLedger ledger = ledger(new PasswordSprayingRule(3, WINDOW, PrefixLengths.SINGLE_ADDRESS));
        String ip = "203.0.113.7";
        ledger.record(failure("user0", ip, T0));
        ledger.record(failure("user1", ip, T0.plusSeconds(1)));
        // Trying the same two accounts again is not a third account.
        UUID user0Again = ledger.record(failure("user0", ip, T0.plusSeconds(2))).id();
        UUID user1Again = ledger.record(failure("user1", ip, T0.plusSeconds(3))).id();
        assertThat(ledger.findings(FLAG)).as("two distinct accounts, threshold three").isEmpty();

        UUID user2 = ledger.record(failure("user2", ip, T0.plusSeconds(4))).id();
        List<AuditEvent> found = ledger.findings(FLAG);
        assertThat(found).hasSize(1);
        AuditEvent f = found.get(0);
        assertThat(f.type()).isEqualTo(EventCatalog.SECURITY_ATTACK_DETECTED.name());
        assertThat(f.category()).isEqualTo(EventCatalog.SECURITY_ATTACK_DETECTED.category());
        assertThat(f.severity()).isEqualTo(EventCatalog.SECURITY_ATTACK_DETECTED.severity());
        assertThat(f.timestamp()).as("the completing failure's own time").isEqualTo(T0.plusSeconds(4));
        assertThat(f.actor().flatMap(Actor::id)).contains("user2");
        assertThat(f.riskScore().getAsDouble()).isEqualTo(0.7, Offset.offset(1e-9));
        assertThat(f.anomalyFlags()).containsExactly(FLAG);
        assertThat(f.details()).containsEntry("detector", FLAG)
                .containsEntry("technique", FLAG)
                .containsEntry("distinctAccounts", 3L)
                .containsEntry("network", "203.0.113.7/32")
                .containsEntry("windowMs", WINDOW.toMillis())
                .as("the latest failure of each account counted")
                .containsEntry("triggeringEventIds", ids(user0Again, user1Again, user2));

        // The count starts again: two more accounts (one of them twice) are quiet, the third is the next finding.
        ledger.record(failure("user3", ip, T0.plusSeconds(5)));
        ledger.record(failure("user4", ip, T0.plusSeconds(6)));
        ledger.record(failure("user3", ip, T0.plusSeconds(6)));
        assertThat(ledger.findings(FLAG)).hasSize(1);
        ledger.record(failure("user5", ip, T0.plusSeconds(7)));
        assertThat(ledger.findings(FLAG)).hasSize(2);
        assertThat(ledger.stage().stats().errors()).isZero();
        ledger.closeAndVerify();
    }

    @Test
    void staysQuietAroundItsScenario() throws IOException {
        DetectedLedger ledger = ledger(new PasswordSprayingRule(3, WINDOW, PrefixLengths.SINGLE_ADDRESS));
        // Three accounts, the first exactly one window before the third: it no longer counts.
        ledger.record(failure("a0", "203.0.113.1", T0));
        ledger.record(failure("a1", "203.0.113.1", T0.plusSeconds(30)));
        ledger.record(failure("a2", "203.0.113.1", T0.plus(WINDOW)));
        // Three accounts from three addresses: one address each, at a /32.
        ledger.record(failure("b0", "203.0.113.10", T0));
        ledger.record(failure("b1", "203.0.113.11", T0));
        ledger.record(failure("b2", "203.0.113.12", T0));
        // Successes are not failures: two failures and a third account logging in.
        ledger.record(failure("c0", "203.0.113.20", T0));
        ledger.record(failure("c1", "203.0.113.20", T0));
        ledger.record(AuditEvent.builder(EventCatalog.AUTH_LOGIN_SUCCESS).timestamp(T0).tenant("acme")
                .actor(Actor.user("c2").withIp("203.0.113.20")));
        // Failures naming no account, or from no address, are not counted.
        for (int i = 0; i < 5; i++) {
            ledger.record(AuditEvent.builder(EventCatalog.AUTH_LOGIN_FAILURE).timestamp(T0)
                    .actor(Actor.anonymous().withIp("203.0.113.30")));
            ledger.record(AuditEvent.builder(EventCatalog.AUTH_LOGIN_FAILURE).timestamp(T0).tenant("acme")
                    .actor(Actor.user("d" + i)));
        }
        assertThat(ledger.findings(FLAG)).isEmpty();
        assertThat(ledger.stage().stats().errors()).isZero();
    }

    @Test
    void theSameNameInTwoTenantsIsTwoAccounts() throws IOException {
        DetectedLedger ledger = ledger(new PasswordSprayingRule(2, WINDOW, PrefixLengths.SINGLE_ADDRESS));
        ledger.record(failure("acme", "admin", "203.0.113.7", T0));
        ledger.record(failure("acme", "admin", "203.0.113.7", T0.plusSeconds(1)));
        assertThat(ledger.findings(FLAG)).isEmpty();
        ledger.record(failure("globex", "admin", "203.0.113.7", T0.plusSeconds(2)));
        assertThat(ledger.findings(FLAG)).singleElement()
                .satisfies(f -> assertThat(f.details()).containsEntry("distinctAccounts", 2L));
    }

    @Test
    void countsANetworkAtTheRulePrefixLengths() throws IOException {
        DetectedLedger ledger = ledger(new PasswordSprayingRule(3, WINDOW, new PrefixLengths(24, 64)));
        // IPv4 /24: three addresses of one block.
        ledger.record(failure("e0", "203.0.113.7", T0));
        ledger.record(failure("e1", "203.0.113.8", T0));
        ledger.record(failure("e2", "203.0.113.200", T0));
        // IPv6 /64: three addresses of one block.
        ledger.record(failure("f0", "2001:db8:1:2::1", T0));
        ledger.record(failure("f1", "2001:db8:1:2::ff", T0));
        ledger.record(failure("f2", "2001:db8:1:2:ffff::1", T0));
        // IPv4-mapped IPv6 is its IPv4 address, in the same /24 as the plain addresses.
        ledger.record(failure("g0", "::ffff:198.51.100.1", T0));
        ledger.record(failure("g1", "198.51.100.2", T0));
        ledger.record(failure("g2", "::ffff:198.51.100.3", T0));
        // Neighbouring blocks are other networks: one account in each of three /24s, three /64s.
        ledger.record(failure("h0", "192.0.2.1", T0));
        ledger.record(failure("h1", "192.0.3.1", T0));
        ledger.record(failure("h2", "192.0.4.1", T0));
        ledger.record(failure("i0", "2001:db8:9:1::1", T0));
        ledger.record(failure("i1", "2001:db8:9:2::1", T0));
        ledger.record(failure("i2", "2001:db8:9:3::1", T0));
        assertThat(ledger.findings(FLAG)).extracting(f -> f.details().get("network"))
                .containsExactly("203.0.113.0/24", "2001:db8:1:2::/64", "198.51.100.0/24");
        ledger.closeAndVerify();
    }

    @Test
    void defaultsAndValidation() {
        assertThat(PasswordSprayingRule.DEFAULT)
                .isEqualTo(new PasswordSprayingRule(10, Duration.ofMinutes(10), new PrefixLengths(32, 128)));
        assertThatThrownBy(() -> new PasswordSprayingRule(1, WINDOW, PrefixLengths.SINGLE_ADDRESS))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("threshold 1 must be between 2");
        assertThatThrownBy(() -> new PasswordSprayingRule(1_001, WINDOW, PrefixLengths.SINGLE_ADDRESS))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("threshold 1001");
        assertThatThrownBy(() -> new PasswordSprayingRule(10, Duration.ZERO, PrefixLengths.SINGLE_ADDRESS))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("password spraying window PT0S must be positive");
        assertThatThrownBy(() -> new PrefixLengths(0, 128)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("IPv4 prefix length /0");
        assertThatThrownBy(() -> new PrefixLengths(32, 129)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("IPv6 prefix length /129");
        assertThatThrownBy(() -> DetectionStage.builder().passwordSpraying(PasswordSprayingRule.DEFAULT)
                .passwordSpraying(PasswordSprayingRule.DEFAULT)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("passwordSpraying was already added");
    }
}
