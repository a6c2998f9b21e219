package io.vigil.ledger.merkle;

import io.vigil.ledger.Hash;

import java.util.List;
import java.util.Objects;

/**
 * An RFC 9162 consistency proof: the hashes ({@code consistency_path}) showing that the tree of {@code size2}
 * leaves extends the tree of {@code size1} leaves without changing any of them. It is empty when
 * {@code size1 == 0} or {@code size1 == size2}, where there is nothing to prove beyond the roots themselves.
 *
 * @param size1 the older tree size, 0..size2
 * @param size2 the newer tree size
 * @param path the consistency path; an unmodifiable copy
 */
public record ConsistencyProof(long size1, long size2, List<Hash> path) {
    public ConsistencyProof {
        if (size1 < 0) {
            throw new IllegalArgumentException("size1 must not be negative: " + size1);
        }
        if (size1 > size2) {
            throw new IllegalArgumentException(
                    "size1 " + size1 + " is larger than size2 " + size2 + "; a log only grows");
        }
        Objects.requireNonNull(path, "path");
        path = List.copyOf(path);
    }
}
