package io.vigil.ledger.merkle;

import io.vigil.ledger.Hash;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Builds an RFC 6962 tree incrementally, keeping only its right-edge <em>frontier</em> (the "compact range"
 * {@code [0, size)}): one perfect subtree per set bit of {@code size}, at most 64 hashes.
 *
 * <p>Appending a leaf merges equal-sized subtrees like binary addition carries, so it costs one node hash
 * amortized and reports each completed node to the {@link NodeSink}. The root folds the frontier from the
 * smallest subtree to the largest, which is exactly RFC 6962's MTH: its left subtree is always the largest
 * perfect one, recursively.
 *
 * <p>Not thread-safe; a store that shares one builder must guard it.
 */
public final class TreeBuilder {
    /** Levels 0..63 are enough for any {@code long} size. */
    private static final int MAX_LEVELS = 64;

    /**
     * One perfect subtree of a frontier.
     *
     * @param level the subtree covers 2^level leaves
     * @param hash its root hash
     */
    public record FrontierNode(int level, Hash hash) {
        public FrontierNode {
            if (level < 0 || level >= MAX_LEVELS - 1) {
                throw new IllegalArgumentException("a frontier level is 0..62, not " + level);
            }
            Objects.requireNonNull(hash, "hash");
        }
    }

    private final NodeSink sink;
    /** {@code peaks[l]} is the subtree of 2^l leaves in the frontier when bit l of size is set, else null. */
    private final Hash[] peaks = new Hash[MAX_LEVELS];
    private long size;
    /** The root for the current size, computed lazily: appends in a batch should not each pay for it. */
    private Hash root;

    /** An empty tree whose completed nodes go nowhere. */
    public TreeBuilder() {
        this(NodeSink.NONE);
    }

    /** An empty tree that reports completed nodes to {@code sink}. */
    public TreeBuilder(NodeSink sink) {
        this.sink = Objects.requireNonNull(sink, "sink");
    }

    /**
     * A tree resumed from its frontier, listed left to right (strictly decreasing levels), as returned by
     * {@link #frontier()}. The size is the sum of 2^level over the list.
     *
     * @throws IllegalArgumentException if the levels are not strictly decreasing
     */
    public TreeBuilder(List<FrontierNode> frontier, NodeSink sink) {
        this(sink);
        int previous = MAX_LEVELS;
        for (FrontierNode n : frontier) {
            if (n.level() >= previous) {
                throw new IllegalArgumentException(
                        "frontier levels must strictly decrease left to right; got " + n.level() + " after " + previous);
            }
            previous = n.level();
            peaks[n.level()] = n.hash();
            size |= 1L << n.level();
        }
    }

    /**
     * Rebuilds the frontier of {@code src} from the last perfect node of each level that {@code src.size()} has a
     * bit for: O(log n) reads, no leaf rescanning.
     */
    public static TreeBuilder restore(NodeSource src, NodeSink sink) throws IOException {
        return restore(src, src.size(), sink);
    }

    /**
     * Rebuilds the frontier of the first {@code size} leaves of {@code src}, for resuming from an older tree size
     * (say, a trusted checkpoint's) in O(log n) reads.
     *
     * @throws IllegalArgumentException if {@code size} is negative or beyond {@code src.size()}
     */
    public static TreeBuilder restore(NodeSource src, long size, NodeSink sink) throws IOException {
        long available = src.size();
        if (size < 0 || size > available) {
            throw new IllegalArgumentException("size " + size + " is not within 0.." + available);
        }
        long n = size;
        List<FrontierNode> frontier = new ArrayList<>(Long.bitCount(n));
        for (int level = MAX_LEVELS - 1; level >= 0; level--) {
            if ((n & (1L << level)) != 0) {
                // The peak for bit `level` ends exactly where the higher bits' peaks leave off, so it is the last
                // complete node of its level.
                frontier.add(new FrontierNode(level, src.node(level, (n >>> level) - 1)));
            }
        }
        return new TreeBuilder(frontier, sink);
    }

    /** {@link #restore(NodeSource, NodeSink)} for a builder whose new nodes go nowhere. */
    public static TreeBuilder restore(NodeSource src) throws IOException {
        return restore(src, NodeSink.NONE);
    }

    /**
     * Appends one leaf hash and reports the leaf and each perfect node it completes to the sink.
     *
     * @return the leaf's index
     */
    public long append(Hash leaf) {
        Objects.requireNonNull(leaf, "leaf");
        if (size == Long.MAX_VALUE) {
            throw new IllegalStateException("the tree is full");
        }
        long index = size;
        long newSize = size + 1;
        sink.node(0, index, leaf);
        Hash carry = leaf;
        int level = 0;
        // Each trailing one bit of the old size is a subtree of the same size as the carry, on its left: merge.
        while (peaks[level] != null) {
            carry = MerkleHashes.nodeHash(peaks[level], carry);
            peaks[level] = null;
            level++;
            sink.node(level, (newSize >>> level) - 1, carry);
        }
        peaks[level] = carry;
        size = newSize;
        root = null;
        return index;
    }

    /**
     * Appends a perfect subtree of {@code 2^level} leaves whose root the caller computed, as if its leaves were
     * appended one by one: verification hashes aligned blocks of leaves on several threads and folds only their roots
     * here. The sink hears of the subtree's root and the nodes it completes, not of the nodes inside it.
     *
     * @throws IllegalArgumentException unless the current size is a multiple of {@code 2^level}
     */
    public void appendSubtree(int level, Hash subtreeRoot) {
        Objects.requireNonNull(subtreeRoot, "subtreeRoot");
        if (level < 0 || level >= MAX_LEVELS - 1) {
            throw new IllegalArgumentException("a subtree level is 0..62, not " + level);
        }
        long width = 1L << level;
        if ((size & (width - 1)) != 0) {
            throw new IllegalArgumentException("a subtree of 2^" + level + " leaves cannot start at leaf " + size
                    + ", which is not a multiple of " + width);
        }
        if (Long.MAX_VALUE - size < width) {
            throw new IllegalStateException("the tree is full");
        }
        long newSize = size + width;
        sink.node(level, (newSize >>> level) - 1, subtreeRoot);
        Hash carry = subtreeRoot;
        int l = level;
        while (peaks[l] != null) {
            carry = MerkleHashes.nodeHash(peaks[l], carry);
            peaks[l] = null;
            l++;
            sink.node(l, (newSize >>> l) - 1, carry);
        }
        peaks[l] = carry;
        size = newSize;
        this.root = null;
    }

    /** Appends each leaf in order. */
    public void appendAll(List<Hash> leaves) {
        for (Hash leaf : leaves) {
            append(leaf);
        }
    }

    /** The number of leaves. */
    public long size() {
        return size;
    }

    /** The RFC 6962 Merkle Tree Hash of the current leaves; {@link MerkleHashes#emptyRoot()} when there are none. */
    public Hash root() {
        Hash r = root;
        if (r == null) {
            r = foldPeaks();
            root = r;
        }
        return r;
    }

    /** The frontier, left to right (largest subtree first): enough to resume with {@link #TreeBuilder(List, NodeSink)}. */
    public List<FrontierNode> frontier() {
        List<FrontierNode> out = new ArrayList<>(Long.bitCount(size));
        for (int level = MAX_LEVELS - 1; level >= 0; level--) {
            if (peaks[level] != null) {
                out.add(new FrontierNode(level, peaks[level]));
            }
        }
        return List.copyOf(out);
    }

    private Hash foldPeaks() {
        Hash acc = null;
        for (int level = 0; level < MAX_LEVELS; level++) {
            Hash p = peaks[level];
            if (p != null) {
                acc = acc == null ? p : MerkleHashes.nodeHash(p, acc);
            }
        }
        return acc == null ? MerkleHashes.emptyRoot() : acc;
    }
}
