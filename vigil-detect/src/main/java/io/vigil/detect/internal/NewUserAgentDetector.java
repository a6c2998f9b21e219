package io.vigil.detect.internal;

import io.vigil.detect.DetectorState;
import io.vigil.detect.NewUserAgentRule;
import io.vigil.detect.Sighting;
import io.vigil.event.Actor;
import io.vigil.event.AuditEvent;
import io.vigil.event.EventCatalog;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * A user agent an account has not been seen with.
 *
 * <ul>
 *   <li><b>Rule</b>: a successful event of an account (tenant and actor id) with a user agent that is not among the
 *       agents remembered for the account, when at least one is remembered. Agents are remembered from successful
 *       events only, so an attacker's failed attempts do not teach the detector their agent.</li>
 *   <li><b>Window</b>: an agent is forgotten when the account has not been seen with it for {@code forgetAfter};
 *       no finding before {@code learning} has passed since the first event the detector took in (event time),
 *       though every agent seen then is remembered.</li>
 *   <li><b>Emits</b>, at the event with the new agent: {@code security.anomaly.detected}
 *       ({@code details.previousUserAgent}: the agent the account was last seen with, {@code details.knownUserAgents})
 *       with the anomaly flag {@code new_user_agent} and the ids of the event last seen with a known agent and of
 *       this event.</li>
 *   <li><b>Risk</b>: 0.2, the original's weight: a new browser or device is common, worth weighing with other
 *       findings rather than alone.</li>
 * </ul>
 *
 * <p>Each account holds at most {@code remembered} agents, the most recently seen. Agents are compared as whole
 * strings, so a browser's version update is a new agent once.
 */
public final class NewUserAgentDetector implements Detector {

    static final String NAME = "new_user_agent";
    /** The account's slot for the agents it was seen with. */
    private static final String SLOT = "ua";
    private static final double RISK = 0.2;

    private final NewUserAgentRule rule;
    /** When learning ends: set by the first event taken in, so that a replay learns over the same events. */
    private final AtomicReference<Instant> learningEnds = new AtomicReference<>();

    public NewUserAgentDetector(NewUserAgentRule rule) {
        this.rule = rule;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void inspect(EventView view, DetectorState state, Consumer<AuditEvent> findings) {
        AuditEvent event = view.event();
        Optional<String> agent = event.actor().flatMap(Actor::userAgent);
        Optional<DetectorState.Subject> account = agent.isPresent() ? view.successAccount(state) : Optional.empty();
        if (account.isEmpty()) {
            return;
        }
        learningEnds.compareAndSet(null, event.timestamp().plus(rule.learning()));
        Sighting now = view.sighting(agent.get());
        List<Sighting> known = account.get().remember(SLOT, now, rule.forgetAfter(), rule.remembered());
        if (event.timestamp().isBefore(learningEnds.get()) || known.isEmpty()
                || known.stream().anyMatch(s -> s.tracks(agent.get()))) {
            return;
        }
        Sighting previous = known.get(known.size() - 1);
        findings.accept(Findings.finding(EventCatalog.SECURITY_ANOMALY_DETECTED, event, NAME, List.of(previous, now),
                RISK, NAME, Map.of("previousUserAgent", previous.value().orElseThrow(),
                        "knownUserAgents", known.size())));
    }
}
