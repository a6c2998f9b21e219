package io.vigil.json;

/**
 * Thrown when input cannot be canonicalized under RFC 8785: malformed JSON, duplicate member names, numbers outside
 * IEEE 754 double range, NaN or infinity, strings holding a lone UTF-16 surrogate, or Java values JSON cannot hold.
 * The message says what was wrong and where.
 */
public class CanonicalJsonException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public CanonicalJsonException(String message) {
        super(message);
    }

    public CanonicalJsonException(String message, Throwable cause) {
        super(message, cause);
    }
}
