package io.vigil.event;

import java.util.Objects;
import java.util.Optional;

/** Field validation shared by the model records; messages name the field so a caller can fix the input. */
final class Checks {
    /** Longest string any single event field may hold; longer input is rejected, not cut. */
    static final int MAX_FIELD_CHARS = 65_536;
    /** Longest identifier-like field (ids, names, type, action). */
    static final int MAX_ID_CHARS = 1_024;

    private Checks() {
    }

    static String required(String field, String value, int max) {
        if (value == null) {
            throw new EventValidationException(field + " is required");
        }
        if (value.isBlank()) {
            throw new EventValidationException(field + " must not be blank");
        }
        return length(field, value, max);
    }

    static Optional<String> optional(String field, Optional<String> value, int max) {
        Objects.requireNonNull(value, () -> field + " must be an Optional, not null");
        value.ifPresent(v -> length(field, v, max));
        return value;
    }

    /** True when {@link #length} would accept the value; lets hot paths skip building a field name. */
    static boolean isValidText(String value, int max) {
        if (value.length() > max) {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            if (Character.isSurrogate(value.charAt(i))) {
                return false; // rare: let length() check the pairing and explain
            }
        }
        return true;
    }

    static String length(String field, String value, int max) {
        if (value.length() > max) {
            throw new EventValidationException(field + " is " + value.length() + " characters; the limit is " + max);
        }
        // A lone surrogate cannot be encoded as UTF-8 JSON; rejecting it here keeps one bad event from failing a
        // whole batch in a sink later.
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isSurrogate(c)) {
                if (Character.isHighSurrogate(c) && i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
                    i++;
                } else {
                    throw new EventValidationException(field + " holds an unpaired UTF-16 surrogate at index " + i
                            + "; it is not valid Unicode text");
                }
            }
        }
        return value;
    }

    static Optional<String> ip(String field, Optional<String> value) {
        optional(field, value, 64);
        value.ifPresent(v -> {
            if (!IpAddress.isLiteral(v)) {
                throw new EventValidationException(field + " '" + v + "' is not an IP address literal");
            }
        });
        return value;
    }
}
