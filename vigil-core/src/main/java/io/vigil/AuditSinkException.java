package io.vigil;

/** A sink could not write an event after every retry; the receipt of that event completes with this. */
public class AuditSinkException extends AuditException {
    private static final long serialVersionUID = 1L;

    public AuditSinkException(String message, Throwable cause) {
        super(message, cause);
    }
}
