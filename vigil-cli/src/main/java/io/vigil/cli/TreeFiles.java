package io.vigil.cli;

import io.vigil.ledger.Hash;
import io.vigil.ledger.merkle.MerkleHashes;
import io.vigil.ledger.merkle.NodeSource;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Read-only access to a file ledger's Merkle tree ({@code tree/level-NN.bin}: flat arrays of 32-byte node hashes),
 * without the lock and repair of the writer's node store, so proofs can be made while the ledger is being written.
 * A node that is not (yet) in its level file is recomputed from the level below. Nothing read here is trusted:
 * callers check leaves against the entries and roots against signed checkpoints.
 */
final class TreeFiles implements NodeSource, Closeable {
    private static final int LEVELS = 63;
    private final Path dir;
    private final FileChannel[] levels = new FileChannel[LEVELS];
    private final long[] counts = new long[LEVELS];
    private final long size;

    TreeFiles(Path ledgerDir) throws IOException {
        this(ledgerDir, false);
    }

    /**
     * @param leavesOnly ignore the stored interior nodes and compute every node from the leaves (slow; for when a
     *                   stored node is suspect, e.g. left zero-filled by a crash the writer has not repaired yet)
     */
    TreeFiles(Path ledgerDir, boolean leavesOnly) throws IOException {
        this.dir = ledgerDir.resolve("tree");
        Path leaves = dir.resolve(name(0));
        if (!Files.isRegularFile(leaves)) {
            throw new IOException("the ledger has no Merkle tree (" + leaves + " is missing)");
        }
        for (int l = 0; l < (leavesOnly ? 1 : LEVELS); l++) {
            Path p = dir.resolve(name(l));
            if (!Files.isRegularFile(p)) {
                break;
            }
            levels[l] = FileChannel.open(p, StandardOpenOption.READ);
            counts[l] = levels[l].size() / Hash.LENGTH;
        }
        this.size = counts[0];
    }

    private static String name(int level) {
        return String.format("level-%02d.bin", level);
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public Hash node(int level, long index) throws IOException {
        if (level < 0 || level >= LEVELS || index < 0 || index >= size >> level) {
            throw new IllegalArgumentException("no complete node at level " + level + " index " + index);
        }
        if (levels[level] != null && index < counts[level]) {
            ByteBuffer b = ByteBuffer.allocate(Hash.LENGTH);
            LedgerFiles.readFully(levels[level], b, index * Hash.LENGTH);
            return Hash.wrap(b.array());
        }
        if (level == 0) {
            throw new IOException("leaf " + index + " is missing from " + dir.resolve(name(0)));
        }
        return MerkleHashes.nodeHash(node(level - 1, 2 * index), node(level - 1, 2 * index + 1));
    }

    @Override
    public void close() throws IOException {
        for (FileChannel c : levels) {
            if (c != null) {
                c.close();
            }
        }
    }
}
