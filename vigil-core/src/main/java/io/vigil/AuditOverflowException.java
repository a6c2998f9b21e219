package io.vigil;

/** The pipeline had no room for an event (or was closed) and the event was not accepted. */
public class AuditOverflowException extends AuditException {
    private static final long serialVersionUID = 1L;

    public AuditOverflowException(String message) {
        super(message);
    }
}
