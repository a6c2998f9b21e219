package io.vigil.detect.internal;

import io.vigil.detect.AbnormalRateRule;
import io.vigil.detect.DetectorState;
import io.vigil.detect.Sighting;
import io.vigil.detect.WindowCount;
import io.vigil.event.AuditEvent;
import io.vigil.event.EventCatalog;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * An abnormal rate of one action by one actor.
 *
 * <ul>
 *   <li><b>Rule</b>: more than {@code limit} events of one type by one actor (tenant and actor id).</li>
 *   <li><b>Window</b>: fixed windows of {@code window}, the first opened by the actor's first event of that type and
 *       each next one by the first such event after the previous window ended, on the events' timestamps.</li>
 *   <li><b>Emits</b>, at the event that goes past the limit: {@code security.anomaly.detected}
 *       ({@code details.eventType}, {@code details.events}, {@code details.limit}, {@code details.windowStart},
 *       {@code details.windowMs}) with the anomaly flag {@code abnormal_rate}; the triggering ids are the window's
 *       first {@value #FIRST_KEPT} events and the one that went past the limit.</li>
 *   <li><b>Risk</b>: 0.3, the original detector's weight: a rate alone is as often a script or a busy user as an
 *       attack.</li>
 * </ul>
 *
 * <p>Once per window: the events after the one that went past the limit are counted but make no finding until a new
 * window opens. A key holds a count and at most {@value #FIRST_KEPT} sightings, however fast the actor goes.
 */
public final class AbnormalRateDetector implements Detector {

    static final String NAME = "abnormal_rate";
    static final int FIRST_KEPT = 3;
    /** One slot per event type in the account's state. */
    private static final String SLOT_PREFIX = "ar|";
    private static final double RISK = 0.3;

    private final AbnormalRateRule rule;

    public AbnormalRateDetector(AbnormalRateRule rule) {
        this.rule = rule;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void inspect(EventView view, DetectorState state, Consumer<AuditEvent> findings) {
        AuditEvent event = view.event();
        Optional<DetectorState.Subject> account = view.account(state);
        if (account.isEmpty()) {
            return;
        }
        Sighting sighting = view.sighting();
        WindowCount window = account.get().count(SLOT_PREFIX + event.type(), sighting, rule.window(), FIRST_KEPT);
        if (window.count() != rule.limit() + 1L) {
            return;
        }
        List<Sighting> evidence = new ArrayList<>(window.first());
        if (!evidence.contains(sighting)) {
            evidence.add(sighting);
        }
        findings.accept(Findings.finding(EventCatalog.SECURITY_ANOMALY_DETECTED, event, NAME, evidence, RISK, NAME,
                Map.of("eventType", event.type(), "events", window.count(), "limit", rule.limit(),
                        "windowStart", window.start().toString(), "windowMs", rule.window().toMillis())));
    }
}
