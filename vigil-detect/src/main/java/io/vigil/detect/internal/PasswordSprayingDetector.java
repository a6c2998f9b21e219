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
    private static final String KEY_PREFIX = "ps|";
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
    public void inspect(AuditEvent event, DetectorState state, Consumer<AuditEvent> findings) {
        Optional<Logins.Attempt> attempt = Logins.attempt("", event);
        Optional<IpAddress> address = Logins.address(event);
        if (attempt.isEmpty() || attempt.get().success() || address.isEmpty()) {
            return;
        }
        String account = attempt.get().key(); // with no prefix the key is the account itself
        IpRange network = rule.network().networkOf(address.get());
        String key = KEY_PREFIX + network;
        Sighting failure = Logins.sighting(event, account);
        List<Sighting> before = state.remember(key, failure, rule.window(), rule.threshold());
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
        state.take(key, event.timestamp(), rule.window());
        findings.accept(Findings.finding(EventCatalog.SECURITY_ATTACK_DETECTED, event, NAME, counted, RISK, NAME,
                Map.of("technique", NAME, "distinctAccounts", counted.size(), "network", network.toString(),
                        "windowMs", rule.window().toMillis())));
    }
}
