package io.vigil.detect;

import java.time.Duration;
import java.util.Objects;

/**
 * A successful login ({@code auth.login.success}) for an account that had at least {@code minFailures} failed logins
 * inside {@code window} before it, since its previous success (OWASP {@code authn_login_successafterfail}): the guess
 * that worked, or a user who finally remembered. See {@code docs/detection.md} for the event it records.
 *
 * @param minFailures failures before the success that make a finding; at least 1
 * @param window      how far back before the success a failure still counts, in event time
 */
public record SuccessAfterFailureRule(int minFailures, Duration window) {

    /** Three failures within fifteen minutes, then a success. */
    public static final SuccessAfterFailureRule DEFAULT = new SuccessAfterFailureRule(3, Duration.ofMinutes(15));

    public SuccessAfterFailureRule {
        if (minFailures < 1) {
            throw new IllegalArgumentException("success after failure minFailures " + minFailures
                    + " must be at least 1");
        }
        Rules.positive("success after failure window", Objects.requireNonNull(window, "window"));
    }
}
