package io.vigil.ledger;

import io.vigil.event.AuditEvent;
import io.vigil.ledger.checkpoint.SignedCheckpoint;
import io.vigil.ledger.merkle.ConsistencyProof;
import io.vigil.ledger.merkle.InclusionProof;
import io.vigil.sink.EntryPosition;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * A ledger's storage: it assigns each appended event the next seq, chains and commits it to the Merkle tree, makes
 * it durable and signs checkpoints. One writer at a time per store instance. Every store (file, PostgreSQL) passes
 * the same compatibility kit.
 */
public interface LedgerStore extends AutoCloseable {

    /** The log's origin, the first line of its checkpoints. */
    String origin();

    /** Entries in the ledger; the next entry gets this seq. */
    long size();

    /**
     * Appends events in order and returns once they are durable.
     *
     * @return each event's seq and hash, in order
     * @throws IOException when the events could not be made durable; none of them is then in the ledger
     */
    List<EntryPosition> append(List<AuditEvent> events) throws IOException;

    /** The Merkle root of the first {@code size} entries. */
    Hash root(long size) throws IOException;

    /** hash(seq): the entry's chain hash, which is also its Merkle leaf. */
    Hash entryHash(long seq) throws IOException;

    /** The stored line of the entry at {@code seq} (canonical JSON, no newline). */
    String line(long seq) throws IOException;

    /** Proof that entry {@code seq} is in the tree of size {@code treeSize}. */
    InclusionProof inclusionProof(long seq, long treeSize) throws IOException;

    /** Proof that the tree of size {@code size1} is a prefix of the tree of size {@code size2}. */
    ConsistencyProof consistencyProof(long size1, long size2) throws IOException;

    /** Signs and stores a checkpoint of the current size now (when a signing key is configured). */
    Optional<SignedCheckpoint> checkpoint() throws IOException;

    /** Every stored checkpoint, oldest first. */
    List<SignedCheckpoint> checkpoints() throws IOException;

    /** Writes a final checkpoint when entries were added since the last, then releases resources. */
    @Override
    void close() throws IOException;
}
