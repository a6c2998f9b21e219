package io.vigil.detect.internal;

import io.vigil.detect.DetectorState;
import io.vigil.detect.Sighting;
import io.vigil.detect.SuccessAfterFailureRule;
import io.vigil.event.AuditEvent;
import io.vigil.event.EventCatalog;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A successful login after a run of failures (OWASP {@code authn_login_successafterfail}).
 *
 * <ul>
 *   <li><b>Rule</b>: an {@code auth.login.success} for an account (tenant and actor id) that had at least
 *       {@code minFailures} {@code auth.login.failure} events since its previous success.</li>
 *   <li><b>Window</b>: only failures less than {@code window} before the success count, on the events'
 *       timestamps.</li>
 *   <li><b>Emits</b>, at the success: {@code auth.login.success_after_failure} ({@code details.failedAttempts},
 *       {@code details.minFailures}, {@code details.windowMs}) with the anomaly flag {@code success_after_failure}
 *       and the ids of the failures and of the success. Failures are counted up to {@value #MAX_COUNTED}; beyond
 *       that the oldest are forgotten, which bounds memory per account.</li>
 *   <li><b>Risk</b>: 0.4, plus 0.1 for each failure beyond {@code minFailures} (a long run before the success looks
 *       more like a guess that worked than a user who remembered), capped at 1.0.</li>
 * </ul>
 */
public final class SuccessAfterFailureDetector implements Detector {

    static final String NAME = "success_after_failure";
    static final int MAX_COUNTED = 64;
    /** The account's slot for the failures before a success. */
    private static final String SLOT = "saf";
    private static final double BASE_RISK = 0.4;
    private static final double RISK_PER_EXTRA_FAILURE = 0.1;

    private final SuccessAfterFailureRule rule;

    public SuccessAfterFailureDetector(SuccessAfterFailureRule rule) {
        this.rule = rule;
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
        if (!success) {
            account.get().append(SLOT, view.sighting(), rule.window(), Math.max(rule.minFailures(), MAX_COUNTED));
            return;
        }
        List<Sighting> failures = account.get().take(SLOT, event.timestamp(), rule.window());
        if (failures.size() < rule.minFailures()) {
            return;
        }
        List<Sighting> evidence = new ArrayList<>(failures);
        evidence.add(view.sighting());
        double risk = BASE_RISK + RISK_PER_EXTRA_FAILURE * (failures.size() - rule.minFailures());
        findings.accept(Findings.finding(EventCatalog.AUTH_LOGIN_SUCCESS_AFTER_FAILURE, event, NAME, evidence, risk,
                NAME, Map.of("failedAttempts", failures.size(), "minFailures", rule.minFailures(),
                        "windowMs", rule.window().toMillis())));
    }
}
