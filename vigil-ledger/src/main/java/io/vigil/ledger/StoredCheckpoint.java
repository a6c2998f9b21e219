package io.vigil.ledger;

import io.vigil.ledger.checkpoint.SignedCheckpoint;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A signed checkpoint as the ledger stores it.
 *
 * @param checkpoint the signed note
 * @param recordedAt when the writer stored it, where the store keeps that
 */
public record StoredCheckpoint(SignedCheckpoint checkpoint, Optional<Instant> recordedAt) {
    public StoredCheckpoint {
        Objects.requireNonNull(checkpoint, "checkpoint");
        Objects.requireNonNull(recordedAt, "recordedAt");
    }

    /** The checkpoint's tree size. */
    public long size() {
        return checkpoint.checkpoint().size();
    }
}
