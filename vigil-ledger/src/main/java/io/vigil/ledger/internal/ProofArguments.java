package io.vigil.ledger.internal;

/**
 * The checks of a proof's or a read's arguments against a store's size, with one wording for every store: an
 * argument out of range is the caller's mistake, reported as an {@link IllegalArgumentException}.
 */
public final class ProofArguments {
    private ProofArguments() {
    }

    /** {@code seq} names an entry of a ledger of {@code size} entries. */
    public static void requireSeq(long seq, long size) {
        if (seq < 0 || seq >= size) {
            throw new IllegalArgumentException("seq " + seq + " is not in the ledger (size " + size + ")");
        }
    }

    /** {@code treeSize} is a size the ledger of {@code size} entries has had. */
    public static void requireTreeSize(long treeSize, long size) {
        if (treeSize < 0 || treeSize > size) {
            throw new IllegalArgumentException("tree size " + treeSize + " is not in the ledger (size " + size + ")");
        }
    }

    /** An inclusion proof of {@code seq} in the tree of {@code treeSize}, in a ledger of {@code size} entries. */
    public static void requireInclusion(long seq, long treeSize, long size) {
        requireTreeSize(treeSize, size);
        if (seq < 0 || seq >= treeSize) {
            throw new IllegalArgumentException("seq " + seq + " is not in the tree of size " + treeSize);
        }
    }

    /** A consistency proof from {@code size1} to {@code size2}, in a ledger of {@code size} entries. */
    public static void requireConsistency(long size1, long size2, long size) {
        requireTreeSize(size2, size);
        if (size1 < 0 || size1 > size2) {
            throw new IllegalArgumentException("sizes must satisfy 0 <= from <= to, were " + size1 + " and " + size2);
        }
    }
}
