package io.vigil.ledger.merkle;

import io.vigil.ledger.Hash;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A {@link NodeSource} kept in memory: every perfect node, packed 32 bytes apiece per level, about 64 bytes per
 * leaf. For verifiers and tools that rebuild a tree from exported entries to answer proofs; a ledger persists its
 * nodes in a file store instead. At most 2^26 leaves; not thread-safe.
 */
public final class MemoryNodeStore implements NodeSource {
    /** Level arrays are int-indexed byte arrays. */
    private static final long MAX_LEAVES = Integer.MAX_VALUE / Hash.LENGTH;

    private byte[][] levels = new byte[1][];
    private final TreeBuilder builder = new TreeBuilder(this::store);

    /** An empty tree. */
    public MemoryNodeStore() {
        levels[0] = new byte[64 * Hash.LENGTH];
    }

    /** A tree of {@code leaves}, in order. */
    public static MemoryNodeStore of(List<Hash> leaves) {
        MemoryNodeStore s = new MemoryNodeStore();
        s.appendAll(leaves);
        return s;
    }

    /** Appends a leaf hash; returns its index. */
    public long append(Hash leaf) {
        Objects.requireNonNull(leaf, "leaf");
        if (builder.size() >= MAX_LEAVES) {
            throw new IllegalStateException("an in-memory tree holds at most " + MAX_LEAVES + " leaves");
        }
        return builder.append(leaf);
    }

    /** Appends each leaf hash in order. */
    public void appendAll(List<Hash> leaves) {
        for (Hash leaf : leaves) {
            append(leaf);
        }
    }

    /** The root of all leaves appended so far. */
    public Hash root() {
        return builder.root();
    }

    @Override
    public long size() {
        return builder.size();
    }

    @Override
    public Hash node(int level, long index) {
        checkNode(level, index, builder.size());
        byte[] out = new byte[Hash.LENGTH];
        System.arraycopy(levels[level], (int) index * Hash.LENGTH, out, 0, Hash.LENGTH);
        return Hash.wrap(out);
    }

    private void store(int level, long index, Hash hash) {
        if (level >= levels.length) {
            levels = Arrays.copyOf(levels, level + 1);
            levels[level] = new byte[4 * Hash.LENGTH];
        }
        int offset = (int) index * Hash.LENGTH;
        if (offset + Hash.LENGTH > levels[level].length) {
            levels[level] = Arrays.copyOf(levels[level], Math.max(offset + Hash.LENGTH, 2 * levels[level].length));
        }
        hash.copyTo(levels[level], offset);
    }

    /** The {@link NodeSource#node} argument contract, shared so that every source reports misuse the same way. */
    static void checkNode(int level, long index, long size) {
        if (level < 0 || level > 62) {
            throw new IllegalArgumentException("node level must be 0..62, not " + level);
        }
        if (index < 0 || index >= (size >>> level)) {
            throw new IllegalArgumentException("node (" + level + ", " + index + ") is not a complete subtree of a tree of "
                    + size + " leaves");
        }
    }
}
