package io.vigil.spring.internal.web;

import io.vigil.event.EventIds;

import java.util.Optional;

/** Request ids: a caller's id is kept when it is 1 to 128 characters of {@code [A-Za-z0-9._:-]}, else one is made. */
public final class RequestIds {
    static final int MAX_LENGTH = 128;

    private RequestIds() {
    }

    /** The header's value when it is a valid request id. */
    public static Optional<String> valid(String header) {
        return isValid(header) ? Optional.of(header) : Optional.empty();
    }

    /** True for 1 to 128 characters of letters, digits, '.', '_', ':' and '-': safe in logs, headers and URLs. */
    public static boolean isValid(String s) {
        if (s == null || s.isEmpty() || s.length() > MAX_LENGTH) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '.' || c == '_' || c == ':' || c == '-';
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** A new request id: a UUIDv7, so ids sort by the time the request arrived. */
    public static String next() {
        return EventIds.next(System.currentTimeMillis()).toString();
    }
}
