package io.vigil.ledger;

import io.vigil.ledger.merkle.ConsistencyProof;
import io.vigil.ledger.merkle.InclusionProof;

import java.io.IOException;
import java.util.List;
import java.util.stream.Stream;

/**
 * Read-only access to a ledger, whatever stores it: its entries, filtered queries, Merkle roots and proofs, and the
 * signed checkpoints. A reader takes no lock and never writes, so it may be opened beside a running writer (in this
 * process or another); it sees entries once they are complete, never a torn one, and {@link #size()} grows as the
 * writer appends. Open one with {@code FileLedger.openReader(dir)} or {@code PostgresLedger.openReader(dataSource)}.
 *
 * <p>A seq or size outside the ledger is an {@link IllegalArgumentException} worded the same for every store
 * ({@code seq 12 is not in the ledger (size 10)}); a storage failure is an {@link IOException}.
 */
public interface LedgerReader extends AutoCloseable {

    /** The log's origin, the first line of its checkpoints. */
    String origin() throws IOException;

    /** True when entry hashes are keyed (HMAC): their content cannot be re-hashed without the key. */
    boolean keyed() throws IOException;

    /** The number of complete entries now; the next entry appended gets this seq. */
    long size() throws IOException;

    /**
     * The seq of the oldest entry the store still holds: 0, or where retention last pruned the ledger. Entries before
     * it are gone, but the Merkle tree and the checkpoints still cover them, so proofs and roots of any size work.
     */
    long start() throws IOException;

    /** The entry at {@code seq} ({@link #start()} to {@code size() - 1}). */
    LedgerEntry entry(long seq) throws IOException;

    /**
     * The entries from {@code fromSeq} (inclusive) to {@code toSeq} (exclusive), in seq order, read lazily as the
     * stream is consumed. Close the stream (try-with-resources): it may hold a file or a connection open. A storage
     * failure while streaming surfaces as an {@link java.io.UncheckedIOException}.
     */
    Stream<LedgerEntry> entries(long fromSeq, long toSeq) throws IOException;

    /** One page of the entries matching every filter of {@code query}, in seq order. */
    QueryPage query(AuditQuery query) throws IOException;

    /** The Merkle root of the first {@code size} entries. */
    Hash root(long size) throws IOException;

    /** Proof that the entry at {@code seq} is in the tree of the first {@code treeSize} entries. */
    InclusionProof inclusionProof(long seq, long treeSize) throws IOException;

    /** Proof that the tree of {@code size1} entries is a prefix of the tree of {@code size2} entries. */
    ConsistencyProof consistencyProof(long size1, long size2) throws IOException;

    /** Every stored checkpoint, oldest first, with the time the writer recorded with it where the store keeps one. */
    List<StoredCheckpoint> checkpoints() throws IOException;

    @Override
    void close() throws IOException;
}
