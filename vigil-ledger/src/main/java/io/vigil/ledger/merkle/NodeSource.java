package io.vigil.ledger.merkle;

import io.vigil.ledger.Hash;

import java.io.IOException;

/**
 * Read access to the perfect subtrees of an append-only Merkle tree: what {@link Proofs} needs to compute any
 * root or proof up to {@link #size()}.
 *
 * <p>The node at {@code (level, index)} is the root of the perfect subtree over leaves
 * {@code [index·2^level, (index+1)·2^level)}; level 0 holds the leaf hashes. Such a node exists once all its
 * leaves do, i.e. for {@code index < size() >> level}, and never changes afterwards, which is why proofs for old
 * tree sizes can be served from the current store.
 */
public interface NodeSource {
    /** The number of leaves. */
    long size() throws IOException;

    /**
     * The hash of the perfect subtree at {@code level} and {@code index}.
     *
     * @throws IllegalArgumentException if {@code level} is outside 0..62 or the subtree is not complete
     *     ({@code index >= size() >> level})
     * @throws IOException if the node cannot be read
     */
    Hash node(int level, long index) throws IOException;
}
