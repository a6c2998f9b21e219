package io.vigil.ledger.merkle;

/**
 * A proof did not verify, or a proof document could not be read; the message says why. Checked, because a proof
 * comes from outside and its failure is an expected outcome that callers must report, not a bug.
 */
public class ProofException extends Exception {
    private static final long serialVersionUID = 1L;

    public ProofException(String message) {
        super(message);
    }

    public ProofException(String message, Throwable cause) {
        super(message, cause);
    }
}
