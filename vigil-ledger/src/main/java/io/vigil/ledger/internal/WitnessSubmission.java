package io.vigil.ledger.internal;

import io.vigil.ledger.checkpoint.SignedCheckpoint;
import io.vigil.ledger.checkpoint.Witness;
import io.vigil.ledger.merkle.ConsistencyProof;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.Optional;

/** Hands a store's new checkpoint to its witness, with the consistency proof from what the witness saw last. */
public final class WitnessSubmission {
    private static final Logger LOG = LoggerFactory.getLogger(WitnessSubmission.class);

    /** Where the consistency proof from the witness's last size to the new one comes from: the store. */
    @FunctionalInterface
    public interface ConsistencySource {
        ConsistencyProof consistency(long size1, long size2) throws IOException;
    }

    private WitnessSubmission() {
    }

    /**
     * Submits {@code signed} (of size {@code size}). A witness that refuses it, or cannot be reached, is logged at
     * ERROR and does not fail the append that led here: the entries are durable, and the refusal is evidence to act on.
     */
    public static void submit(Witness witness, SignedCheckpoint signed, long size, ConsistencySource proofs, String ledger) {
        try {
            Optional<SignedCheckpoint> latest = witness.latest();
            Optional<ConsistencyProof> proof = Optional.empty();
            if (latest.isPresent() && latest.get().checkpoint().size() > 0
                    && latest.get().checkpoint().size() <= size) {
                proof = Optional.of(proofs.consistency(latest.get().checkpoint().size(), size));
            }
            witness.submit(signed, proof);
        } catch (Exception e) {
            LOG.error("ledger {}: the witness refused or did not take checkpoint {} ({}); investigate before trusting"
                    + " this ledger", ledger, size, e.toString());
        }
    }
}
