package io.vigil.detect.internal;

import io.vigil.detect.DenialBurstRule;
import io.vigil.detect.DetectorState;
import io.vigil.detect.Sighting;
import io.vigil.event.AuditEvent;
import io.vigil.event.EventCatalog;
import io.vigil.event.Outcome;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A burst of denials from one actor, as when someone probes for privileges they lack.
 *
 * <ul>
 *   <li><b>Rule</b>: {@code threshold} events with outcome {@code denied}, of any type, by one actor (tenant and
 *       actor id; tenant and source ip when the event names no actor id).</li>
 *   <li><b>Window</b>: the first and the last of them less than {@code window} apart, on the events' timestamps.</li>
 *   <li><b>Emits</b>, at the denial that reaches the threshold: {@code security.suspicious.activity}
 *       ({@code details.deniedAttempts}, {@code details.threshold}, {@code details.windowMs}, {@code details.keyedBy}
 *       {@code actor} or {@code ip}) with the anomaly flag {@code denial_burst} and the ids of the last
 *       {@code threshold} denials.</li>
 *   <li><b>Risk</b>: 0.5: a run of denials is deliberate more often than a rate is, but a client with a stale token
 *       or a missing role makes them too.</li>
 * </ul>
 *
 * <p>Once per burst: after a finding, the actor's further denials make none for one {@code window}; if they go on
 * past it, the next denial that again has {@code threshold} within the window makes another.
 */
public final class DenialBurstDetector implements Detector {

    static final String NAME = "denial_burst";
    /** The actor's (or address's) slot for its recent denials. */
    private static final String SLOT = "db";
    /** The slot remembering when its burst was last reported. */
    private static final String REPORTED_SLOT = "dbr";
    private static final double RISK = 0.5;

    private final DenialBurstRule rule;

    public DenialBurstDetector(DenialBurstRule rule) {
        this.rule = rule;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void inspect(EventView view, DetectorState state, Consumer<AuditEvent> findings) {
        AuditEvent event = view.event();
        if (event.outcome() != Outcome.DENIED) {
            return;
        }
        Optional<DetectorState.Subject> byActor = view.account(state);
        Optional<DetectorState.Subject> subject = byActor.or(() -> view.address()
                .map(ip -> state.subject(view.tenantKey("i|", ip.toString()))));
        if (subject.isEmpty()) {
            return;
        }
        Sighting sighting = view.sighting();
        List<Sighting> recent = subject.get().append(SLOT, sighting, rule.window(), rule.threshold());
        if (recent.size() < rule.threshold()) {
            return;
        }
        // The first time in a window that the burst reaches the threshold; the denials after it are the same burst.
        if (subject.get().count(REPORTED_SLOT, sighting, rule.window(), 0).count() > 1) {
            return;
        }
        findings.accept(Findings.finding(EventCatalog.SECURITY_SUSPICIOUS_ACTIVITY, event, NAME, recent, RISK, NAME,
                Map.of("deniedAttempts", recent.size(), "threshold", rule.threshold(),
                        "windowMs", rule.window().toMillis(), "keyedBy", byActor.isPresent() ? "actor" : "ip")));
    }
}
