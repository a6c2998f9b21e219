package io.vigil.ledger.merkle;

import io.vigil.ledger.Hash;

import java.util.List;
import java.util.Objects;

/**
 * An RFC 9162 inclusion proof: the sibling hashes ({@code inclusion_path}, leaf's sibling first) that recompute
 * the root of the tree of {@code treeSize} leaves from the leaf hash at {@code leafIndex}.
 *
 * @param leafIndex 0-based index of the leaf, below {@code treeSize}
 * @param treeSize the number of leaves of the tree whose root the proof leads to
 * @param path the audit path; an unmodifiable copy
 */
public record InclusionProof(long leafIndex, long treeSize, List<Hash> path) {
    public InclusionProof {
        if (leafIndex < 0) {
            throw new IllegalArgumentException("leaf index must not be negative: " + leafIndex);
        }
        if (leafIndex >= treeSize) {
            throw new IllegalArgumentException(
                    "leaf index " + leafIndex + " is not inside a tree of " + treeSize + " leaves");
        }
        Objects.requireNonNull(path, "path");
        path = List.copyOf(path); // also rejects null elements
    }
}
