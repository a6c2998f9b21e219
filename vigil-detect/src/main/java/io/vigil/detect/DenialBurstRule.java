package io.vigil.detect;

import java.time.Duration;
import java.util.Objects;

/**
 * A burst of denials, as when someone probes for privileges they lack: {@code threshold} events with outcome
 * {@code denied} by one actor (actor id within a tenant; the source ip when the event names no actor id) inside
 * {@code window}. See {@code docs/detection.md} for the event it records.
 *
 * @param threshold denials that make a finding; at least 2, since one denial is a user clicking the wrong thing
 * @param window    how close together they must be: the first and the last less than this apart, in event time
 */
public record DenialBurstRule(int threshold, Duration window) {

    /**
     * Ten denials within five minutes: a user who lacks a role retries a page a few times and stops, while a person or
     * a tool walking the application for what it lets through is denied far more often than that.
     */
    public static final DenialBurstRule DEFAULT = new DenialBurstRule(10, Duration.ofMinutes(5));

    public DenialBurstRule {
        if (threshold < 2) {
            throw new IllegalArgumentException("denial burst threshold " + threshold + " must be at least 2");
        }
        Rules.positive("denial burst window", Objects.requireNonNull(window, "window"));
    }
}
