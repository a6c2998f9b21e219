package io.vigil.detect;

import java.time.Duration;
import java.util.Objects;

/**
 * Password spraying or credential stuffing from one source: failed logins ({@code auth.login.failure}) for at least
 * {@code threshold} distinct accounts from one network inside {@code window}. Each account tried once or twice stays
 * under the brute force rule; the number of accounts gives it away. See {@code docs/detection.md} for the event it
 * records.
 *
 * @param threshold distinct accounts that make a finding, 2 to {@value #MAX_THRESHOLD} (it bounds what is held per
 *                  network)
 * @param window    how far back before the latest failure an account's failure still counts, in event time
 * @param network   which addresses count as one source; {@link PrefixLengths#SINGLE_ADDRESS} for one address
 */
public record PasswordSprayingRule(int threshold, Duration window, PrefixLengths network) {

    /** The most distinct accounts a rule may wait for; each network holds at most this many sightings. */
    public static final int MAX_THRESHOLD = 1_000;

    /**
     * Ten distinct accounts from one address within ten minutes. A person mistypes their own account name, or two or
     * three accounts of a household or an office share an address; ten different accounts failing from one address
     * in minutes is a list being worked through. One address, not a wider network, because a wider one puts many
     * honest users behind one corporate or carrier-grade NAT block into a single count.
     */
    public static final PasswordSprayingRule DEFAULT =
            new PasswordSprayingRule(10, Duration.ofMinutes(10), PrefixLengths.SINGLE_ADDRESS);

    public PasswordSprayingRule {
        if (threshold < 2 || threshold > MAX_THRESHOLD) {
            throw new IllegalArgumentException("password spraying threshold " + threshold + " must be between 2 and "
                    + MAX_THRESHOLD);
        }
        Rules.positive("password spraying window", Objects.requireNonNull(window, "window"));
        Objects.requireNonNull(network, "network");
    }
}
