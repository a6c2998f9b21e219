package io.vigil.ledger.internal;

/**
 * The checks of a seq, a size or a range of seqs against a ledger's size, worded once for every store's reader and
 * writer, so that a caller sees the same message whatever the store. An argument out of range is the caller's
 * mistake, reported as an {@link IllegalArgumentException}.
 */
public final class Ranges {
    private Ranges() {
    }

    /** Checks that {@code seq} names an entry of a ledger of {@code size} entries. */
    public static void requireSeq(long seq, long size) {
        if (seq < 0 || seq >= size) {
            throw new IllegalArgumentException("seq " + seq + " is not in the ledger (size " + size + ")");
        }
    }

    /** Checks that {@code treeSize} is a size the ledger of {@code size} entries has had (0 to size). */
    public static void requireSize(long treeSize, long size) {
        if (treeSize < 0 || treeSize > size) {
            throw new IllegalArgumentException("size " + treeSize + " is not within the ledger (size " + size + ")");
        }
    }

    /** Checks that {@code [fromSeq, toSeq)} is a range of entries of a ledger of {@code size} entries. */
    public static void requireRange(long fromSeq, long toSeq, long size) {
        if (fromSeq < 0 || fromSeq > toSeq || toSeq > size) {
            throw new IllegalArgumentException("seqs " + fromSeq + " to " + toSeq + " (exclusive) are not within the"
                    + " ledger (size " + size + ")");
        }
    }

    /** Checks the arguments of an inclusion proof of {@code seq} in the tree of {@code treeSize} entries. */
    public static void requireInclusion(long seq, long treeSize, long size) {
        requireSize(treeSize, size);
        // the tree of treeSize entries is the ledger as it was at that size
        requireSeq(seq, treeSize);
    }

    /** Checks the sizes of a consistency proof: {@code 0 <= size1 <= size2 <= size}. */
    public static void requireConsistency(long size1, long size2, long size) {
        requireSize(size2, size);
        if (size1 < 0 || size1 > size2) {
            throw new IllegalArgumentException("size " + size1 + " is not within 0.." + size2 + " (the later size)");
        }
    }
}
