package io.vigil.detect;

import java.time.Duration;

/** The checks the rules share. */
final class Rules {

    private Rules() {
    }

    static Duration positive(String what, Duration d) {
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(what + " " + d + " must be positive");
        }
        return d;
    }
}
