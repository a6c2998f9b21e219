package io.vigil.ledger.internal.read;

import io.vigil.ledger.Hash;
import io.vigil.ledger.merkle.MerkleHashes;
import io.vigil.ledger.merkle.NodeSource;

import java.io.IOException;
import java.util.List;

/**
 * The Merkle tree of a file ledger's first {@code size} entries as a reader sees it: the writer's stored tree where
 * it has the nodes, and the hashes of the entries it has not added yet (the tree is written after the entries, so it
 * may lag them by a batch). Without its stored interior nodes it is the tree recomputed from the leaves: the fallback
 * when a stored node disagrees with the entries (say, one a crash left zero-filled that the writer has not repaired).
 */
final class EntryTree implements NodeSource {
    private final NodeSource stored;
    private final long storedSize;
    private final List<Hash> later;
    private final long size;
    private final boolean storedInterior;

    /**
     * @param stored         the writer's tree (its size may be below or above {@code size})
     * @param later          the leaf hashes of entries {@code stored.size()} to {@code size - 1}, empty when the
     *                       stored tree covers {@code size}
     * @param storedInterior whether interior nodes are read from {@code stored} or recomputed from the leaves
     */
    EntryTree(NodeSource stored, List<Hash> later, long size, boolean storedInterior) throws IOException {
        this.stored = stored;
        this.storedSize = Math.min(stored.size(), size);
        this.later = List.copyOf(later);
        this.size = size;
        this.storedInterior = storedInterior;
        if (storedSize + this.later.size() != size) {
            throw new IllegalArgumentException("a tree of " + size + " leaves cannot be made of " + storedSize
                    + " stored and " + this.later.size() + " later ones");
        }
    }

    /** The same leaves with every interior node recomputed. */
    EntryTree fromLeaves() throws IOException {
        return new EntryTree(stored, later, size, false);
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public Hash node(int level, long index) throws IOException {
        long end = (index + 1) << level; // one past the last leaf under the node
        if (level == 0) {
            return index < storedSize ? stored.node(0, index) : later.get(Math.toIntExact(index - storedSize));
        }
        if (storedInterior && end <= storedSize) {
            return stored.node(level, index);
        }
        return MerkleHashes.nodeHash(node(level - 1, 2 * index), node(level - 1, 2 * index + 1));
    }
}
