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
            // A literal IPv4/IPv6 address (optionally with a zone id); never resolved, so no DNS lookup happens here.
            if (v.isEmpty() || !v.chars().allMatch(c -> Character.isLetterOrDigit(c) || c == '.' || c == ':' || c == '%')) {
                throw new EventValidationException(field + " '" + v + "' is not an IP address literal");
            }
            if (v.indexOf(':') < 0 && !v.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
                throw new EventValidationException(field + " '" + v + "' is not an IP address literal");
            }
        });
        return value;
    }
}
