package io.vigil.event;

/** Thrown when an event, or a part of one, is invalid; the message names the field and the rule. */
public class EventValidationException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public EventValidationException(String message) {
        super(message);
    }
}
