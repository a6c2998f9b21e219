package io.vigil.ledger.checkpoint;

/**
 * A checkpoint that cannot be trusted: it carries no signature by the expected key, or that signature is invalid.
 * Checked, because every caller that verifies a checkpoint must decide what a failed verification means for it.
 */
public class CheckpointException extends Exception {
    private static final long serialVersionUID = 1L;

    /** A verification failure described by {@code message}. */
    public CheckpointException(String message) {
        super(message);
    }
}
