package io.vigil.detect.internal;

import io.vigil.detect.DetectorState;
import io.vigil.detect.GeoLocation;
import io.vigil.detect.GeoResolver;
import io.vigil.detect.ImpossibleTravelRule;
import io.vigil.detect.Sighting;
import io.vigil.event.AuditEvent;
import io.vigil.event.EventCatalog;
import io.vigil.event.IpAddress;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Impossible travel: an account used from two places too far apart for the time between.
 *
 * <ul>
 *   <li><b>Rule</b>: a successful event of an account (tenant and actor id) carrying an ip whose network (at the
 *       rule's prefix lengths; IPv4-mapped IPv6 counts as IPv4) is not among the networks the account was seen from
 *       inside the window. With a {@link GeoResolver} that locates both this address and the one the account was
 *       last seen from, the distance decides whether the new network is travel: a finding only when it is more than
 *       {@code minDistanceKm} and covering it in the time between takes more than {@code maxSpeedKmh}.</li>
 *   <li><b>Window</b>: networks seen less than {@code window} before, on the events' timestamps; the first sighting
 *       in a window is quiet.</li>
 *   <li><b>Emits</b>, at the event from the new network: {@code security.anomaly.detected}
 *       ({@code details.previousNetwork}, {@code details.network}, {@code details.elapsedMs}; located:
 *       {@code details.distanceKm}, {@code details.speedKmh}, {@code details.maxSpeedKmh} and the country and city
 *       of each end the resolver named) with the anomaly flag {@code impossible_travel} and the ids of the previous
 *       sighting and this event.</li>
 *   <li><b>Risk</b>: 0.4 on a change of network (the original's weight); 0.5 when both ends were located and the
 *       speed is over the maximum (measured, not inferred), plus 0.1 for each further whole multiple of the maximum
 *       speed, capped at 1.0.</li>
 * </ul>
 *
 * <p>Each account holds at most {@value #MAX_NETWORKS} networks, one sighting each. A network seen inside the window
 * is not new, so a user going back and forth between home and office, or an attacker's session beside the user's,
 * gives one finding when the other network appears rather than one at every switch.
 */
public final class ImpossibleTravelDetector implements Detector {

    static final String NAME = "impossible_travel";
    static final int MAX_NETWORKS = 16;
    /** The account's slot for the networks it was seen from. */
    private static final String SLOT = "it";
    private static final double NETWORK_RISK = 0.4;
    private static final double LOCATED_RISK = 0.5;
    private static final double RISK_PER_SPEED_MULTIPLE = 0.1;
    private static final double MS_PER_HOUR = 3_600_000.0;

    private final ImpossibleTravelRule rule;
    private final Optional<GeoResolver> resolver;

    public ImpossibleTravelDetector(ImpossibleTravelRule rule, Optional<GeoResolver> resolver) {
        this.rule = rule;
        this.resolver = resolver;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void inspect(EventView view, DetectorState state, Consumer<AuditEvent> findings) {
        AuditEvent event = view.event();
        Optional<DetectorState.Subject> account = view.successAccount(state);
        Optional<IpAddress> address = view.address();
        if (account.isEmpty() || address.isEmpty()) {
            return;
        }
        String network = rule.network().networkOf(address.get()).toString();
        Sighting now = view.sighting(network);
        List<Sighting> recent = account.get().remember(SLOT, now, rule.window(), MAX_NETWORKS);
        if (recent.isEmpty() || recent.stream().anyMatch(s -> s.tracks(network))) {
            return;
        }
        Sighting previous = recent.get(recent.size() - 1);
        long elapsedMs = Duration.between(previous.timestamp(), event.timestamp()).abs().toMillis();
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("previousNetwork", previous.value().orElseThrow());
        details.put("network", network);
        details.put("elapsedMs", elapsedMs);
        double risk = NETWORK_RISK;
        Optional<GeoLocation> from = previous.ip().flatMap(IpAddress::parse).flatMap(this::locate);
        Optional<GeoLocation> to = from.isPresent() ? locate(address.get()) : Optional.empty();
        if (to.isPresent()) {
            double km = GreatCircle.distanceKm(from.get(), to.get());
            // Timestamps are in milliseconds; two events in the same one are counted one apart, not infinitely fast.
            double kmh = km / (Math.max(1, elapsedMs) / MS_PER_HOUR);
            if (km <= rule.minDistanceKm() || kmh <= rule.maxSpeedKmh()) {
                return;
            }
            details.put("distanceKm", Math.round(km * 10) / 10.0);
            details.put("speedKmh", Math.round(kmh));
            details.put("maxSpeedKmh", rule.maxSpeedKmh());
            from.get().country().ifPresent(c -> details.put("previousCountry", c));
            from.get().city().ifPresent(c -> details.put("previousCity", c));
            to.get().country().ifPresent(c -> details.put("country", c));
            to.get().city().ifPresent(c -> details.put("city", c));
            risk = LOCATED_RISK + RISK_PER_SPEED_MULTIPLE * (Math.floor(kmh / rule.maxSpeedKmh()) - 1);
        }
        findings.accept(Findings.finding(EventCatalog.SECURITY_ANOMALY_DETECTED, event, NAME, List.of(previous, now),
                risk, NAME, details));
    }

    private Optional<GeoLocation> locate(IpAddress address) {
        if (resolver.isEmpty()) {
            return Optional.empty();
        }
        return Objects.requireNonNull(resolver.get().locate(address),
                "GeoResolver.locate returned null; it must return Optional.empty() for an unknown address");
    }
}
