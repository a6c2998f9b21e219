package io.vigil.ledger.checkpoint;

/**
 * Text that is not a well-formed signed note, checkpoint body, or key string. The message says what is wrong and
 * where (line numbers for notes); it never repeats signer key material.
 *
 * <p>Unchecked, like {@link IllegalArgumentException} which it extends, because malformed input is a caller's bad
 * argument; callers that parse untrusted text catch it next to the parse call.
 */
public final class NoteFormatException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /** A format error described by {@code message}. */
    public NoteFormatException(String message) {
        super(message);
    }

    /** A format error described by {@code message}, caused by {@code cause}. */
    public NoteFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
