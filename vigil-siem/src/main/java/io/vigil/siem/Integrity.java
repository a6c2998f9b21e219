package io.vigil.siem;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Where an event is in its ledger: its seq and its entry hash (64 lowercase hex digits). Carried into every format so
 * that an analyst can go from a SIEM hit to an inclusion proof ({@code vigil prove inclusion --seq}).
 */
public record Integrity(long seq, String hash) {
    private static final Pattern HEX64 = Pattern.compile("[0-9a-f]{64}");

    public Integrity {
        if (seq < 0) {
            throw new IllegalArgumentException("seq must be 0 or more, was " + seq);
        }
        Objects.requireNonNull(hash, "hash");
        if (!HEX64.matcher(hash).matches()) {
            throw new IllegalArgumentException("hash must be 64 lowercase hex digits");
        }
    }
}
