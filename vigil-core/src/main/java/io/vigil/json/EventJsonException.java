package io.vigil.json;

/**
 * Thrown when JSON is not a valid v1 audit event, or an event cannot be written as JSON; the message names the field
 * and the rule it broke.
 */
public class EventJsonException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public EventJsonException(String message) {
        super(message);
    }

    public EventJsonException(String message, Throwable cause) {
        super(message, cause);
    }
}
