package io.vigil.detect;

import io.vigil.event.Actor;
import io.vigil.event.AuditEvent;
import io.vigil.event.EventCatalog;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The known bad ip detector against a real log and file ledger: activity from a listed address is reported once per
 * address and account per window, and a list file edited while the log runs is used once it has been read again.
 */
class KnownBadIpDetectionTest {

    private static final Instant T0 = Instant.parse("2025-03-01T09:00:00Z");
    private static final Duration WINDOW = Duration.ofHours(1);

    @TempDir
    Path tmp;

    private final TestClock clock = new TestClock(Instant.parse("2025-06-01T12:00:00Z"));
    private DetectedLedger ledger;

    @AfterEach
    void close() {
        if (ledger != null) {
            ledger.close();
        }
    }

    private void ledgerWith(KnownBadIps list) throws IOException {
        ledger = new DetectedLedger(DetectionStage.builder().knownBadIps(list, new KnownBadIpRule(WINDOW)).build(),
                tmp.resolve("ledger"));
    }

    private AuditEvent from(Actor actor, String tenant, Instant at) {
        return ledger.record(AuditEvent.builder(EventCatalog.DATA_READ).timestamp(at).tenant(tenant).actor(actor));
    }

    private AuditEvent from(String ip, String user, Instant at) {
        return from(Actor.user(user).withIp(ip), "acme", at);
    }

    @Test
    void reportsAListedAddressOncePerAccountPerWindow() throws IOException {
        ledgerWith(KnownBadIps.of(List.of("203.0.113.0/24", "2001:db8:bad::/48")));
        AuditEvent first = from("203.0.113.7", "alice", T0);
        List<AuditEvent> found = ledger.findings();
        assertThat(found).hasSize(1);
        AuditEvent f = found.get(0);
        assertThat(f.type()).isEqualTo(EventCatalog.SECURITY_ANOMALY_DETECTED.name());
        assertThat(f.category()).isEqualTo(EventCatalog.SECURITY_ANOMALY_DETECTED.category());
        assertThat(f.timestamp()).isEqualTo(T0);
        assertThat(f.actor().flatMap(Actor::id)).contains("alice");
        assertThat(f.actor().flatMap(Actor::ip)).contains("203.0.113.7");
        assertThat(f.riskScore().getAsDouble()).isEqualTo(0.5, Offset.offset(1e-9));
        assertThat(f.anomalyFlags()).containsExactly("known_bad_ip");
        assertThat(f.details()).containsEntry("detector", "known_bad_ip")
                .containsEntry("block", "203.0.113.0/24")
                .containsEntry("windowMs", WINDOW.toMillis())
                .containsEntry("triggeringEventIds", List.of(first.id().toString()));

        // The same address and account within the hour, however written: no new finding.
        from("203.0.113.7", "alice", T0.plusSeconds(1));
        from("::ffff:203.0.113.7", "alice", T0.plus(WINDOW).minusMillis(1));
        assertThat(ledger.findings()).hasSize(1);

        // Another account, another listed address, an anonymous caller, another tenant: each a finding.
        from("203.0.113.7", "bob", T0.plusSeconds(2));
        from("203.0.113.8", "alice", T0.plusSeconds(3));
        from(Actor.anonymous().withIp("203.0.113.7"), "acme", T0.plusSeconds(4));
        from(Actor.anonymous().withIp("203.0.113.7"), "acme", T0.plusSeconds(5)); // the same anonymous caller
        from("203.0.113.7", "alice", T0.plusSeconds(6)); // alice of acme again: quiet
        from(Actor.user("alice").withIp("203.0.113.7"), "globex", T0.plusSeconds(7));
        from("2001:db8:bad:1::2", "carol", T0.plusSeconds(8));
        // An hour after the first finding the same address and account are reported again.
        from("203.0.113.7", "alice", T0.plus(WINDOW));
        found = ledger.findings();
        assertThat(found).extracting(e -> e.timestamp().getEpochSecond() - T0.getEpochSecond())
                .containsExactly(0L, 2L, 3L, 4L, 7L, 8L, WINDOW.toSeconds());
        assertThat(found.get(5).details()).containsEntry("block", "2001:db8:bad::/48");
        ledger.closeAndVerify();
    }

    @Test
    void staysQuietForAddressesNotListed() throws IOException {
        ledgerWith(KnownBadIps.of(List.of("# nothing near these", "203.0.113.0/24")));
        from("203.0.114.7", "alice", T0);
        from("198.51.100.1", "alice", T0);
        from("2001:db8::1", "alice", T0);
        from(Actor.user("dave"), "acme", T0); // no address at all
        assertThat(ledger.findings()).isEmpty();
        ledger.closeAndVerify();
    }

    @Test
    void anAddressAddedToTheFileIsReportedOnceTheFileIsReadAgain() throws IOException {
        Path file = tmp.resolve("bad-ips.txt");
        Files.writeString(file, "203.0.113.0/24\n");
        KnownBadIps list = KnownBadIps.load(file, Duration.ofSeconds(5), clock);
        ledgerWith(list);
        from("192.0.2.10", "erin", T0);
        assertThat(ledger.findings()).isEmpty();

        Files.writeString(file, "203.0.113.0/24\n192.0.2.0/24\n");
        Files.setLastModifiedTime(file, FileTime.from(Instant.parse("2025-06-01T12:00:05Z")));
        clock.advance(Duration.ofSeconds(5));
        from("192.0.2.10", "erin", T0.plusSeconds(1));
        List<AuditEvent> found = ledger.findings();
        assertThat(found).hasSize(1);
        assertThat(found.get(0).details()).containsEntry("block", "192.0.2.0/24");
        assertThat(list.reloads()).isEqualTo(1);

        // A broken edit keeps the list in use: the new address is still reported for another account.
        Files.writeString(file, "203.0.113.0/24\n192.0.2.0/24\nnot an address\n");
        Files.setLastModifiedTime(file, FileTime.from(Instant.parse("2025-06-01T12:00:10Z")));
        clock.advance(Duration.ofSeconds(5));
        from("192.0.2.10", "frank", T0.plusSeconds(2));
        assertThat(ledger.findings()).hasSize(2);
        assertThat(list.failedReloads()).isEqualTo(1);
        ledger.closeAndVerify();
    }

    @Test
    void rejectsBadRulesAndASecondDetector() {
        assertThatThrownBy(() -> new KnownBadIpRule(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("known bad ip window");
        KnownBadIps list = KnownBadIps.of(List.of());
        assertThatThrownBy(() -> DetectionStage.builder().knownBadIps(list, KnownBadIpRule.DEFAULT)
                .knownBadIps(list, KnownBadIpRule.DEFAULT)).isInstanceOf(IllegalStateException.class);
        assertThat(KnownBadIpRule.DEFAULT.window()).isEqualTo(Duration.ofHours(1));
        assertThat(DetectionStage.builder().bruteForce(BruteForceRule.DEFAULT).abnormalRate(AbnormalRateRule.DEFAULT)
                .denialBurst(DenialBurstRule.DEFAULT).knownBadIps(list, KnownBadIpRule.DEFAULT).build().detectors())
                .containsExactly("brute_force", "abnormal_rate", "denial_burst", "known_bad_ip");
    }
}
