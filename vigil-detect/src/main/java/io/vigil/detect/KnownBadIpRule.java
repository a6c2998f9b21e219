package io.vigil.detect;

import java.time.Duration;
import java.util.Objects;

/**
 * How often a request from a known bad address is reported (the addresses themselves are a {@link KnownBadIps}): once
 * per address and account within {@code window}, so that a listed address's every request is not a finding of its own.
 * See {@code docs/detection.md} for the event it records.
 *
 * @param window how long after a finding the same address and account stay quiet, in event time
 */
public record KnownBadIpRule(Duration window) {

    /** One finding per address and account an hour: enough to see it in a day's findings, not one per request. */
    public static final KnownBadIpRule DEFAULT = new KnownBadIpRule(Duration.ofHours(1));

    public KnownBadIpRule {
        Rules.positive("known bad ip window", Objects.requireNonNull(window, "window"));
    }
}
