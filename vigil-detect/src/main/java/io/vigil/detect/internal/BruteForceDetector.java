package io.vigil.detect.internal;

import io.vigil.detect.BruteForceRule;
import io.vigil.detect.DetectorState;
import io.vigil.detect.Sighting;
import io.vigil.event.AuditEvent;
import io.vigil.event.EventCatalog;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Brute force against one account.
 *
 * <ul>
 *   <li><b>Rule</b>: {@code threshold} {@code auth.login.failure} events for one account (tenant and actor id) with no
 *       {@code auth.login.success} for it between them.</li>
 *   <li><b>Window</b>: the first and the last of them less than {@code window} apart, on the events' timestamps.</li>
 *   <li><b>Emits</b>, at the failure that reaches the threshold: {@code security.brute.force.detected}
 *       ({@code details.failedAttempts}, {@code details.windowMs}) and {@code auth.login.failure_limit_reached}
 *       ({@code details.limit}, {@code details.failedAttempts}, {@code details.windowMs}), both with the anomaly flag
 *       {@code brute_force} and the ids of the {@code threshold} failures.</li>
 *   <li><b>Risk</b>: 0.6, plus 0.1 for each distinct source ip beyond the first (guesses from several places are more
 *       deliberate than a user mistyping), capped at 1.0.</li>
 * </ul>
 *
 * <p>After a finding the account's count starts again, so a continuing attack yields one finding per
 * {@code threshold} failures rather than one per failure.
 */
public final class BruteForceDetector implements Detector {

    static final String NAME = "brute_force";
    /** The account's slot for its run of failures. */
    private static final String SLOT = "bf";
    private static final double BASE_RISK = 0.6;
    private static final double RISK_PER_EXTRA_IP = 0.1;

    private final BruteForceRule rule;

    public BruteForceDetector(BruteForceRule rule) {
        this.rule = rule;
    }

    /**
     * Whether {@code event} is this detector's finding of an attack: one per attack, where
     * {@code auth.login.failure_limit_reached} is its companion.
     */
    static boolean isAttackFinding(AuditEvent event) {
        return event.type().equals(EventCatalog.SECURITY_BRUTE_FORCE_DETECTED.name())
                && NAME.equals(event.details().get(Findings.DETECTOR));
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void inspect(EventView view, DetectorState state, Consumer<AuditEvent> findings) {
        AuditEvent event = view.event();
        boolean success = view.isLoginSuccess();
        Optional<DetectorState.Subject> account = success || view.isLoginFailure() ? view.account(state)
                : Optional.empty();
        if (account.isEmpty()) {
            return;
        }
        if (success) {
            // The failures must be consecutive: a success ends the run (the user got in, whatever came before).
            account.get().take(SLOT, event.timestamp(), rule.window());
            return;
        }
        List<Sighting> window = account.get().append(SLOT, view.sighting(), rule.window(), rule.threshold());
        if (window.size() < rule.threshold()) {
            return;
        }
        account.get().take(SLOT, event.timestamp(), rule.window());
        double risk = BASE_RISK + RISK_PER_EXTRA_IP * Math.max(0, Findings.distinctIps(window) - 1);
        long windowMs = rule.window().toMillis();
        findings.accept(Findings.finding(EventCatalog.SECURITY_BRUTE_FORCE_DETECTED, event, NAME, window, risk, NAME,
                Map.of("failedAttempts", window.size(), "windowMs", windowMs)));
        findings.accept(Findings.finding(EventCatalog.AUTH_LOGIN_FAILURE_LIMIT_REACHED, event, NAME, window, risk, NAME,
                Map.of("limit", rule.threshold(), "failedAttempts", window.size(), "windowMs", windowMs)));
    }
}
