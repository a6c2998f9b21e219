package io.vigil.ledger.internal;

import io.vigil.ledger.Hash;
import io.vigil.ledger.LedgerOptions;
import io.vigil.ledger.checkpoint.Checkpoint;
import io.vigil.ledger.checkpoint.SignedCheckpoint;
import io.vigil.ledger.merkle.ConsistencyProof;

import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Publishes a store's checkpoints, the same way for every store: one is due after
 * {@link LedgerOptions#checkpointEvery()} new entries or {@link LedgerOptions#checkpointInterval()} (by the options'
 * clock); it is signed with the options' key, kept by the store, then handed to the witness; and closing a store signs
 * one for the entries the last did not cover. Without a signing key nothing is published. Not thread-safe: the
 * store's writer calls it.
 */
public final class CheckpointPublisher {

    /** What a store does for its checkpoints: where it stands, and how it keeps a signed one. */
    public interface Store {
        /** The number of entries now. */
        long size() throws IOException;

        /** The Merkle root of the first {@code size} entries. */
        Hash root(long size) throws IOException;

        /** Keeps {@code signed}, signed at {@code at}, durably; it is published once this returns. */
        void keep(SignedCheckpoint signed, Instant at) throws IOException;

        /** A consistency proof between two of the store's sizes, for the witness. */
        ConsistencyProof consistencyProof(long size1, long size2) throws IOException;
    }

    private final LedgerOptions options;
    private final Store store;
    private final String ledger;
    private long lastSize;
    private Instant lastTime;

    /**
     * @param lastSize the size of the store's latest checkpoint (0 when it has none)
     * @param ledger   how log lines name the ledger
     */
    public CheckpointPublisher(LedgerOptions options, Store store, long lastSize, String ledger) {
        this.options = Objects.requireNonNull(options, "options");
        this.store = Objects.requireNonNull(store, "store");
        this.ledger = Objects.requireNonNull(ledger, "ledger");
        this.lastSize = lastSize;
        this.lastTime = options.clock().instant();
    }

    /** The size of the last checkpoint published (or found when the store was opened). */
    public long lastSize() {
        return lastSize;
    }

    /** After an append that left the store at {@code size}: publishes a checkpoint when one is due. */
    public void afterAppend(long size) throws IOException {
        if (options.checkpointDue(size - lastSize, lastTime)) {
            publish();
        }
    }

    /** Signs, keeps and hands to the witness a checkpoint of the store as it is now; empty without a signing key. */
    public Optional<SignedCheckpoint> publish() throws IOException {
        if (options.signingKey().isEmpty()) {
            return Optional.empty();
        }
        long size = store.size();
        Checkpoint body = new Checkpoint(options.origin(), size, store.root(size), List.of());
        SignedCheckpoint signed = SignedCheckpoint.sign(body, options.signingKey().get());
        Instant now = options.clock().instant();
        store.keep(signed, now);
        lastSize = size;
        lastTime = now;
        if (options.witness().isPresent()) {
            WitnessSubmission.submit(options.witness().get(), signed, size, store::consistencyProof, ledger);
        }
        return Optional.of(signed);
    }

    /** On close: a last checkpoint for the entries the latest one does not cover. */
    public void publishFinal() throws IOException {
        if (options.signingKey().isPresent() && store.size() != lastSize) {
            publish();
        }
    }
}
