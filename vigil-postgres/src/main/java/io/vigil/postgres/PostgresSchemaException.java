package io.vigil.postgres;

/** The Vigil schema could not be created or upgraded; the message says which migration and why. */
public final class PostgresSchemaException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public PostgresSchemaException(String message, Throwable cause) {
        super(message, cause);
    }
}
