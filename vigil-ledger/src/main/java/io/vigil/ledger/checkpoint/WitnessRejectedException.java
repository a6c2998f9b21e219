package io.vigil.ledger.checkpoint;

import java.util.Objects;
import java.util.Optional;

/**
 * A witness refused a checkpoint: it is not signed by the log's key, names another log, or does not extend the
 * checkpoint the witness already holds (smaller, forked, or without a valid consistency proof). The message names
 * the sizes and roots involved. Checked, because a refusal is evidence of tampering or misconfiguration that the
 * submitter must report, never ignore.
 */
public class WitnessRejectedException extends Exception {
    private static final long serialVersionUID = 1L;

    private final transient Checkpoint submitted;
    private final transient Checkpoint witnessed;

    /**
     * @param message   why the checkpoint was refused
     * @param submitted the refused checkpoint
     * @param witnessed the checkpoint the witness holds, or {@code null} if it holds none
     */
    public WitnessRejectedException(String message, Checkpoint submitted, Checkpoint witnessed) {
        super(message);
        this.submitted = Objects.requireNonNull(submitted, "submitted");
        this.witnessed = witnessed;
    }

    /** The refused checkpoint. */
    public Checkpoint submitted() {
        return submitted;
    }

    /** The checkpoint the witness held when it refused, if any. */
    public Optional<Checkpoint> witnessed() {
        return Optional.ofNullable(witnessed);
    }
}
