package io.vigil.ledger.checkpoint;

import io.vigil.ledger.merkle.ConsistencyProof;

import java.io.IOException;
import java.util.Optional;

/**
 * Keeps the newest checkpoint of one log somewhere the log's writer cannot rewrite, and accepts a newer one only if
 * it provably extends it. A log that was truncated or rewritten after a checkpoint reached a witness can then no
 * longer produce a checkpoint the witness accepts, and its old checkpoint at the witness exposes the change.
 *
 * <p>A witness accepts {@code next} only if it is signed by the log's key, names the log's origin and, once the
 * witness holds a checkpoint {@code latest}:
 * <ul>
 *   <li>{@code next.size >= latest.size};</li>
 *   <li>at equal sizes, the roots are equal (nothing changes then);</li>
 *   <li>at a larger size, the proof is from {@code latest.size} to {@code next.size} and verifies against both
 *       roots.</li>
 * </ul>
 * The first checkpoint is accepted on trust (there is nothing to be consistent with), and no proof is needed.
 */
public interface Witness {
    /** The newest checkpoint this witness accepted, or empty if it has accepted none yet. */
    Optional<SignedCheckpoint> latest() throws IOException;

    /**
     * Offers {@code next}; on return it is the witness's latest (or was already, at equal size and root).
     *
     * @param next       the new checkpoint
     * @param fromLatest a consistency proof from {@link #latest()}'s size to {@code next}'s size; empty when the
     *                   witness holds no checkpoint yet or the sizes are equal, required otherwise
     * @throws WitnessRejectedException if the checkpoint is refused; the witness is unchanged then
     * @throws IOException              if the witness cannot read or store its state
     */
    void submit(SignedCheckpoint next, Optional<ConsistencyProof> fromLatest)
            throws IOException, WitnessRejectedException;
}
