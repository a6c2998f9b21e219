package io.vigil.detect;

import io.vigil.event.Actor;
import io.vigil.event.AuditEvent;
import io.vigil.event.EventCatalog;
import io.vigil.event.EventType;
import io.vigil.event.IpAddress;
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
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static io.vigil.detect.DetectedLedger.ids;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Impossible travel against a real log and file ledger: by network prefix (IPv4 /16, IPv6 /48, IPv4-mapped read as
 * IPv4) and, with a resolver that locates addresses, by distance and speed.
 */
class ImpossibleTravelTest {

    private static final Instant T0 = Instant.parse("2025-03-01T09:00:00Z");
    private static final String FLAG = "impossible_travel";
    private static final Offset<Double> EXACT = Offset.offset(1e-9);

    private static final String LONDON = "192.0.2.1";
    private static final String LONDON_OTHER_PROVIDER = "100.64.0.1";
    private static final String PARIS = "203.0.113.1";
    private static final String NEW_YORK = "198.51.100.1";
    private static final String UNLOCATED = "10.1.0.1";

    /** A resolver backed by a map: a real implementation, as a user's geolocation database would be. */
    private static final GeoResolver ATLAS = new MapGeoResolver(Map.of(
            LONDON, new GeoLocation(51.5074, -0.1278, Optional.of("GB"), Optional.of("London")),
            LONDON_OTHER_PROVIDER, new GeoLocation(51.52, -0.10, Optional.of("GB"), Optional.of("London")),
            PARIS, new GeoLocation(48.8566, 2.3522, Optional.of("FR"), Optional.of("Paris")),
            NEW_YORK, new GeoLocation(40.7128, -74.0060, Optional.of("US"), Optional.of("New York"))));

    @TempDir
    Path tmp;

    private final List<DetectedLedger> ledgers = new ArrayList<>();

    @AfterEach
    void close() {
        ledgers.forEach(DetectedLedger::close);
    }

    private DetectedLedger ledger(DetectionStage stage) throws IOException {
        DetectedLedger l = new DetectedLedger(stage, tmp.resolve("ledger"));
        ledgers.add(l);
        return l;
    }

    private static AuditEvent.Builder event(EventType type, String tenant, String account, String ip, Instant at) {
        return AuditEvent.builder(type).timestamp(at).tenant(tenant).actor(Actor.user(account).withIp(ip));
    }

    private static AuditEvent.Builder login(String account, String ip, Instant at) {
        return event(EventCatalog.AUTH_LOGIN_SUCCESS, "acme", account, ip, at);
    }

    @Test
    void ipv4ByTheSixteenBitNetwork() throws IOException {
        DetectedLedger ledger = ledger(DetectionStage.builder().impossibleTravel(ImpossibleTravelRule.DEFAULT).build());
        ledger.record(login("alice", "203.0.113.7", T0));
        UUID sameNetwork = ledger.record(login("alice", "203.0.9.1", T0.plus(Duration.ofMinutes(5)))).id();
        assertThat(ledger.findings(FLAG)).as("the first sighting, then the same /16").isEmpty();

        UUID elsewhere = ledger.record(login("alice", "198.51.100.1", T0.plus(Duration.ofMinutes(10)))).id();
        List<AuditEvent> found = ledger.findings(FLAG);
        assertThat(found).hasSize(1);
        AuditEvent f = found.get(0);
        assertThat(f.type()).isEqualTo(EventCatalog.SECURITY_ANOMALY_DETECTED.name());
        assertThat(f.category()).isEqualTo(EventCatalog.SECURITY_ANOMALY_DETECTED.category());
        assertThat(f.severity()).isEqualTo(EventCatalog.SECURITY_ANOMALY_DETECTED.severity());
        assertThat(f.timestamp()).isEqualTo(T0.plus(Duration.ofMinutes(10)));
        assertThat(f.actor().flatMap(Actor::id)).contains("alice");
        assertThat(f.riskScore().getAsDouble()).isEqualTo(0.4, EXACT);
        assertThat(f.anomalyFlags()).containsExactly(FLAG);
        assertThat(f.details()).containsEntry("detector", FLAG)
                .containsEntry("previousNetwork", "203.0.0.0/16")
                .containsEntry("network", "198.51.0.0/16")
                .containsEntry("elapsedMs", Duration.ofMinutes(5).toMillis())
                .containsEntry("triggeringEventIds", ids(sameNetwork, elsewhere))
                .doesNotContainKeys("distanceKm", "speedKmh");

        // Back to a network seen inside the window, and on again: not new, so no finding at every switch.
        ledger.record(login("alice", "203.0.113.7", T0.plus(Duration.ofMinutes(15))));
        ledger.record(login("alice", "198.51.7.7", T0.plus(Duration.ofMinutes(20))));
        assertThat(ledger.findings(FLAG)).hasSize(1);
        ledger.closeAndVerify();
    }

    @Test
    void ipv6ByTheFortyEightBitNetworkAndIpv4MappedAsIpv4() throws IOException {
        DetectedLedger ledger = ledger(DetectionStage.builder().impossibleTravel(ImpossibleTravelRule.DEFAULT).build());
        ledger.record(login("bob", "2001:db8:1:1::1", T0));
        ledger.record(login("bob", "2001:db8:1:ffff::1", T0.plusSeconds(60)));
        ledger.record(login("carol", "::ffff:203.0.113.7", T0));
        ledger.record(login("carol", "203.0.200.1", T0.plusSeconds(60)));
        assertThat(ledger.findings(FLAG)).as("same /48, and an IPv4-mapped address in the same /16").isEmpty();

        ledger.record(login("bob", "2001:db8:2::1", T0.plusSeconds(120)));
        ledger.record(login("carol", "::ffff:198.51.100.1", T0.plusSeconds(120)));
        assertThat(ledger.findings(FLAG)).extracting(AuditEvent::details)
                .extracting(d -> d.get("previousNetwork") + " -> " + d.get("network"))
                .containsExactly("2001:db8:1::/48 -> 2001:db8:2::/48", "203.0.0.0/16 -> 198.51.0.0/16");
        ledger.closeAndVerify();
    }

    @Test
    void quietOutsideTheWindowAndAroundTheScenario() throws IOException {
        DetectedLedger ledger = ledger(DetectionStage.builder().impossibleTravel(ImpossibleTravelRule.DEFAULT).build());
        Duration window = ImpossibleTravelRule.DEFAULT.window();
        // Exactly one window after the previous sighting: it is forgotten; one millisecond less: it is not.
        ledger.record(login("dave", "203.0.113.7", T0));
        ledger.record(login("dave", "198.51.100.1", T0.plus(window)));
        ledger.record(login("erin", "203.0.113.7", T0));
        ledger.record(login("erin", "198.51.100.1", T0.plus(window).minusMillis(1)));
        // A failure from elsewhere is someone trying the name, not the account in use.
        ledger.record(login("frank", "203.0.113.7", T0));
        ledger.record(event(EventCatalog.AUTH_LOGIN_FAILURE, "acme", "frank", "198.51.100.1", T0.plusSeconds(1)));
        // Events without an address, and the same name in another tenant.
        ledger.record(AuditEvent.builder(EventCatalog.AUTH_LOGIN_SUCCESS).timestamp(T0.plusSeconds(2)).tenant("acme")
                .actor(Actor.user("frank")));
        ledger.record(event(EventCatalog.AUTH_LOGIN_SUCCESS, "globex", "frank", "192.0.2.1", T0.plusSeconds(3)));
        assertThat(ledger.findings(FLAG)).extracting(f -> f.actor().flatMap(Actor::id).orElseThrow())
                .containsExactly("erin");

        // Any successful event of the account is a sighting, not only a login.
        ledger.record(event(EventCatalog.DATA_READ, "acme", "frank", "198.51.100.1", T0.plusSeconds(4)));
        assertThat(ledger.findings(FLAG)).hasSize(2);
        assertThat(ledger.stage().stats().errors()).isZero();
    }

    @Test
    void withLocationsTheSpeedDecides() throws IOException {
        ImpossibleTravelRule rule = new ImpossibleTravelRule(Duration.ofHours(12), new PrefixLengths(16, 48), 1_000,
                100);
        DetectedLedger ledger = ledger(DetectionStage.builder().impossibleTravel(rule, ATLAS).build());
        // London to New York is 5,570 km: in six hours 928 km/h, an airliner; in five 1,114 km/h, faster than one.
        ledger.record(login("grace", LONDON, T0));
        ledger.record(login("grace", NEW_YORK, T0.plus(Duration.ofHours(6))));
        ledger.record(login("heidi", LONDON, T0));
        UUID heidiInNewYork = ledger.record(login("heidi", NEW_YORK, T0.plus(Duration.ofHours(5)))).id();
        // London to Paris in two hours: other networks, an easy journey.
        ledger.record(login("ivan", LONDON, T0));
        ledger.record(login("ivan", PARIS, T0.plus(Duration.ofHours(2))));
        // Two providers in one city a second apart: 2 km, under the distance locations are good for.
        ledger.record(login("judy", LONDON, T0));
        ledger.record(login("judy", LONDON_OTHER_PROVIDER, T0.plusSeconds(1)));
        assertThat(ledger.findings(FLAG)).extracting(f -> f.actor().flatMap(Actor::id).orElseThrow())
                .containsExactly("heidi");

        AuditEvent f = ledger.findings(FLAG).get(0);
        assertThat(f.riskScore().getAsDouble()).as("located, under twice the maximum").isEqualTo(0.5, EXACT);
        assertThat(f.details()).containsEntry("previousNetwork", "192.0.0.0/16")
                .containsEntry("network", "198.51.0.0/16")
                .containsEntry("elapsedMs", Duration.ofHours(5).toMillis())
                .containsEntry("speedKmh", 1_114L)
                .hasEntrySatisfying("maxSpeedKmh", v -> assertThat(((Number) v).doubleValue()).isEqualTo(1_000.0))
                .containsEntry("previousCountry", "GB").containsEntry("previousCity", "London")
                .containsEntry("country", "US").containsEntry("city", "New York");
        assertThat(((Number) f.details().get("distanceKm")).doubleValue()).as("the great-circle distance")
                .isEqualTo(5_570.2, EXACT);
        assertThat((List<?>) f.details().get("triggeringEventIds")).hasSize(2).last()
                .isEqualTo(heidiInNewYork.toString());

        // London to New York in one hour is over five times the maximum: 0.5 + 4 × 0.1.
        ledger.record(login("kim", LONDON, T0));
        ledger.record(login("kim", NEW_YORK, T0.plus(Duration.ofHours(1))));
        // Where the resolver does not know one end, the network rule decides, at its own risk.
        ledger.record(login("leo", LONDON, T0));
        ledger.record(login("leo", UNLOCATED, T0.plus(Duration.ofHours(2))));
        List<AuditEvent> found = ledger.findings(FLAG);
        assertThat(found).hasSize(3);
        assertThat(found.get(1).riskScore().getAsDouble()).isEqualTo(0.9, EXACT);
        assertThat(found.get(2).riskScore().getAsDouble()).isEqualTo(0.4, EXACT);
        assertThat(found.get(2).details()).containsEntry("network", "10.1.0.0/16").doesNotContainKey("distanceKm");
        ledger.closeAndVerify();
    }

    @Test
    void aResolverThatBreaksItsContractIsCountedNotSwallowed() throws IOException {
        GeoResolver broken = address -> null;
        DetectedLedger ledger = ledger(DetectionStage.builder()
                .impossibleTravel(ImpossibleTravelRule.DEFAULT, broken).build());
        ledger.record(login("mike", "203.0.113.7", T0));
        ledger.record(login("mike", "198.51.100.1", T0.plusSeconds(1)));
        assertThat(ledger.findings(FLAG)).isEmpty();
        assertThat(ledger.stage().stats().errors()).isEqualTo(1);
        ledger.closeAndVerify();
    }

    @Test
    void defaultsAndValidation() {
        assertThat(ImpossibleTravelRule.DEFAULT).isEqualTo(
                new ImpossibleTravelRule(Duration.ofHours(1), new PrefixLengths(16, 48), 1_000, 100));
        PrefixLengths p = new PrefixLengths(16, 48);
        assertThatThrownBy(() -> new ImpossibleTravelRule(Duration.ofSeconds(-1), p, 1_000, 100))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("impossible travel window");
        assertThatThrownBy(() -> new ImpossibleTravelRule(Duration.ofHours(1), p, 0, 100))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxSpeedKmh 0.0");
        assertThatThrownBy(() -> new ImpossibleTravelRule(Duration.ofHours(1), p, Double.NaN, 100))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxSpeedKmh NaN");
        assertThatThrownBy(() -> new ImpossibleTravelRule(Duration.ofHours(1), p, 1_000, -1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("minDistanceKm -1.0");
        assertThatThrownBy(() -> new GeoLocation(90.5, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("latitude 90.5");
        assertThatThrownBy(() -> new GeoLocation(0, Double.NaN)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("longitude NaN");
        assertThatThrownBy(() -> DetectionStage.builder().impossibleTravel(ImpossibleTravelRule.DEFAULT)
                .impossibleTravel(ImpossibleTravelRule.DEFAULT, ATLAS)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("impossibleTravel was already added");
    }

    /** Locations of a few addresses held in a map. */
    private record MapGeoResolver(Map<String, GeoLocation> byAddress) implements GeoResolver {
        @Override
        public Optional<GeoLocation> locate(IpAddress address) {
            return Optional.ofNullable(byAddress.get(address.toString()));
        }
    }
}
