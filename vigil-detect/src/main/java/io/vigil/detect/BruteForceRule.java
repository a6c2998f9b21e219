package io.vigil.detect;

import java.time.Duration;
import java.util.Objects;

/**
 * Brute force against one account: {@code threshold} failed logins ({@code auth.login.failure}) for the same account
 * (actor id, within a tenant) inside {@code window}, with no successful login between them. See
 * {@code docs/detection.md} for the events it records.
 *
 * @param threshold failed logins that make a finding; at least 2, since one failure is not an attack
 * @param window    how close together they must be: the first and the last less than this apart, in event time
 */
public record BruteForceRule(int threshold, Duration window) {

    /** Five failures within fifteen minutes: the lockout policy most guidance (OWASP, NIST 800-63B) starts from. */
    public static final BruteForceRule DEFAULT = new BruteForceRule(5, Duration.ofMinutes(15));

    public BruteForceRule {
        if (threshold < 2) {
            throw new IllegalArgumentException("brute force threshold " + threshold + " must be at least 2");
        }
        Rules.positive("brute force window", Objects.requireNonNull(window, "window"));
    }
}
