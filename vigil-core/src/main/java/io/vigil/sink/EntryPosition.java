package io.vigil.sink;

import java.util.Objects;

/**
 * Where a ledger sink placed an event: its sequence number and chain hash.
 *
 * @param seq  the gapless position, from 0
 * @param hash the entry's hash, lowercase hex
 */
public record EntryPosition(long seq, String hash) {
    public EntryPosition {
        if (seq < 0) {
            throw new IllegalArgumentException("seq must not be negative, was " + seq);
        }
        Objects.requireNonNull(hash, "hash");
    }
}
