package io.vigil.detect;

import java.time.Duration;
import java.util.Objects;

/**
 * A new user agent for an account: a successful event of an account (actor id, within a tenant) with a user agent
 * that is not among the agents remembered for it, when at least one is remembered. Every agent seen on a successful
 * event is remembered, from the start; findings begin once {@code learning} has passed. See
 * {@code docs/detection.md} for the event it records.
 *
 * @param learning    how long after the first event it takes in (a successful event of an account with a user agent)
 *                    the detector only remembers, in event time, so that its first day is not an alarm for every
 *                    account; zero or more
 * @param remembered  agents remembered per account, the most recently seen kept; 1 to {@value #MAX_REMEMBERED}
 * @param forgetAfter an agent not seen for this long is forgotten (in event time); positive
 */
public record NewUserAgentRule(Duration learning, int remembered, Duration forgetAfter) {

    /** The most agents a rule may remember per account; it bounds what is held per account. */
    public static final int MAX_REMEMBERED = 1_000;

    /**
     * One day of learning, twenty agents, forgotten after thirty days. A day covers most accounts' daily use; twenty
     * is far more than the browsers and devices one person uses, so an honest account rarely churns through them;
     * thirty days spans a monthly routine (a laptop used at month end) while a browser's old version string fades.
     */
    public static final NewUserAgentRule DEFAULT = new NewUserAgentRule(Duration.ofDays(1), 20, Duration.ofDays(30));

    public NewUserAgentRule {
        Objects.requireNonNull(learning, "learning");
        if (learning.isNegative()) {
            throw new IllegalArgumentException("new user agent learning " + learning + " must not be negative");
        }
        if (remembered < 1 || remembered > MAX_REMEMBERED) {
            throw new IllegalArgumentException("new user agent remembered " + remembered + " must be between 1 and "
                    + MAX_REMEMBERED);
        }
        Rules.positive("new user agent forgetAfter", Objects.requireNonNull(forgetAfter, "forgetAfter"));
    }
}
