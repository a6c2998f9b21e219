package io.vigil.ledger.merkle;

import io.vigil.ledger.Hash;

/**
 * Receives every perfect node as {@link TreeBuilder} completes it, leaves (level 0) included, so that a store can
 * persist the nodes that {@link NodeSource} later serves. Nodes of one level arrive in index order; within one
 * append, the leaf comes first and then each parent it completed, bottom up.
 */
@FunctionalInterface
public interface NodeSink {
    /** A sink that drops everything, for a builder that only needs roots. */
    NodeSink NONE = (level, index, hash) -> {};

    /** The perfect node at {@code level} and {@code index} is now complete with {@code hash}. */
    void node(int level, long index, Hash hash);
}
