package io.vigil.detect.internal;

import io.vigil.detect.DetectorState;
import io.vigil.detect.PasswordSprayingRule;
import io.vigil.detect.Sighting;
import io.vigil.event.AuditEvent;
import io.vigil.event.EventCatalog;
import io.vigil.event.IpAddress;
import io.vigil.event.IpRange;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Password spraying or credential stuffing: many accounts failing from one source.
 *
 * <ul>
 *   <li><b>Rule</b>: {@code auth.login.failure} events for {@code threshold} distinct accounts (tenant and actor id)
 *       from one network (the source ip at the rule's prefix lengths).</li>
 *   <li><b>Window</b>: an account counts while its latest failure from the network is less than {@code window}
 *       before the failure being looked at, on the events' timestamps.</li>
 *   <li><b>Emits</b>, at the failure that brings the count to the threshold: {@code security.attack.detected}
 *       ({@code details.technique}, {@code details.distinctAccounts}, {@code details.network},
 *       {@code details.windowMs}) with the anomaly flag {@code password_spraying} and the ids of the latest failure of
 *       each account counted.</li>
 *   <li><b>Risk</b>: 0.7: failing on many accounts from one place is deliberate, more so than one account's
 *       failures, which brute force scores from 0.6.</li>
 * </ul>
 *
 * <p>A network holds at most {@code threshold} sightings (one per account), and after a finding its count starts
 * again, so a continuing spray gives one finding per {@code threshold} further accounts, not one per failure. A
 * success from the network does not reset the count: one guess that worked ends nothing.
 */
public final class PasswordSprayingDetector implements Detector {

    static final String NAME = "password_spraying";
    /** Followed by the network: the subject whose slot holds the accounts tried from it. */
    private static final String KEY_PREFIX = "ps|";
    private static final String SLOT = "ps";
    private static final double RISK = 0.7;

    private final PasswordSprayingRule rule;

    public PasswordSprayingDetector(PasswordSprayingRule rule) {
        this.rule = rule;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void inspect(EventView view, DetectorState state, Consumer<AuditEvent> findings) {
        AuditEvent event = view.event();
        Optional<String> tried = view.isLoginFailure() ? view.accountName() : Optional.empty();
        Optional<IpAddress> address = view.address();
        if (tried.isEmpty() || address.isEmpty()) {
            return;
        }
        String account = tried.get();
        IpRange network = rule.network().networkOf(address.get());
        DetectorState.Subject source = state.subject(KEY_PREFIX + network);
        Sighting failure = view.sighting(account);
        List<Sighting> before = source.remember(SLOT, failure, rule.window(), rule.threshold());
        List<Sighting> counted = new ArrayList<>(before.size() + 1);
        for (Sighting s : before) {
            if (!s.tracks(account)) {
                counted.add(s);
            }
        }
        counted.add(failure);
        if (counted.size() < rule.threshold()) {
            return;
        }
        source.take(SLOT, event.timestamp(), rule.window());
        findings.accept(Findings.finding(EventCatalog.SECURITY_ATTACK_DETECTED, event, NAME, counted, RISK, NAME,
                Map.of("technique", NAME, "distinctAccounts", counted.size(), "network", network.toString(),
                        "windowMs", rule.window().toMillis())));
    }
}
