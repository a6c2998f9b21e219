package io.vigil.detect;

import java.time.Duration;
import java.util.Objects;

/**
 * An abnormal rate: more than {@code limit} events of one type by one actor (actor id, within a tenant) inside one
 * {@code window}. See {@code docs/detection.md} for the event it records.
 *
 * @param limit  events of one type an actor may cause in a window; the next one makes a finding. At least 1
 * @param window the length of each counting window, in event time
 */
public record AbnormalRateRule(int limit, Duration window) {

    /** More than 100 events of one type a minute: the original detector's rate. */
    public static final AbnormalRateRule DEFAULT = new AbnormalRateRule(100, Duration.ofMinutes(1));

    public AbnormalRateRule {
        if (limit < 1) {
            throw new IllegalArgumentException("abnormal rate limit " + limit + " must be at least 1");
        }
        Rules.positive("abnormal rate window", Objects.requireNonNull(window, "window"));
    }
}
