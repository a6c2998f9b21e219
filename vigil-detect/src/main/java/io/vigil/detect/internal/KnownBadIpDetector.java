package io.vigil.detect.internal;

import io.vigil.detect.DetectorState;
import io.vigil.detect.KnownBadIpRule;
import io.vigil.detect.KnownBadIps;
import io.vigil.detect.Sighting;
import io.vigil.event.AuditEvent;
import io.vigil.event.EventCatalog;
import io.vigil.event.IpAddress;
import io.vigil.event.IpRange;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Activity from a known bad address.
 *
 * <ul>
 *   <li><b>Rule</b>: an event, of any type, whose {@code actor.ip} is in a {@link KnownBadIps} list.</li>
 *   <li><b>Window</b>: one finding per address and account (tenant and actor id; tenant alone for events naming no
 *       actor id) per {@code window}, counted from the finding, on the events' timestamps.</li>
 *   <li><b>Emits</b>: {@code security.anomaly.detected} ({@code details.block}, the listed block that matched, and
 *       {@code details.windowMs}) with the anomaly flag {@code known_bad_ip} and the id of the event.</li>
 *   <li><b>Risk</b>: 0.5, the original detector's weight: lists hold shared and reassigned addresses too.</li>
 * </ul>
 */
public final class KnownBadIpDetector implements Detector {

    static final String NAME = "known_bad_ip";
    /** Followed by the address: a slot per listed address. */
    private static final String SLOT_PREFIX = "kb|";
    private static final double RISK = 0.5;

    private final KnownBadIps list;
    private final KnownBadIpRule rule;

    public KnownBadIpDetector(KnownBadIps list, KnownBadIpRule rule) {
        this.list = list;
        this.rule = rule;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void inspect(EventView view, DetectorState state, Consumer<AuditEvent> findings) {
        AuditEvent event = view.event();
        Optional<IpAddress> address = view.address();
        Optional<IpRange> block = address.flatMap(list::blockOf);
        if (block.isEmpty()) {
            return;
        }
        // Per account (or per tenant, for events without one), one slot per listed address it came from.
        DetectorState.Subject subject = view.account(state).orElseGet(() -> state.subject(view.tenantKey("t|", "")));
        Sighting sighting = view.sighting();
        if (subject.count(SLOT_PREFIX + address.get(), sighting, rule.window(), 0).count() > 1) {
            return; // reported already in this window
        }
        findings.accept(Findings.finding(EventCatalog.SECURITY_ANOMALY_DETECTED, event, NAME, List.of(sighting), RISK,
                NAME, Map.of("block", block.get().toString(), "windowMs", rule.window().toMillis())));
    }
}
