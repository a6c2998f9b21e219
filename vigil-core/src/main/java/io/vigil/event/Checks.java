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
            if (!isIpLiteral(v)) {
                throw new EventValidationException(field + " '" + v + "' is not an IP address literal");
            }
        });
        return value;
    }

    /*
     * The literal checks below are written by hand on purpose: InetAddress.getByName would resolve a host name
     * (a DNS lookup on the caller's thread, and a name would pass), and its literal parsing is lenient in ways an
     * audit field should not be. These accept only the text forms and never touch the network.
     */

    /**
     * True for an IPv4 dotted quad ({@code 203.0.113.7}) or an IPv6 address in an RFC 4291 section 2.2 text form
     * ({@code 2001:db8:0:0:0:0:0:1}, {@code 2001:db8::1}, {@code ::ffff:192.0.2.1}), the latter optionally followed
     * by {@code %zone} where the zone is one or more of {@code [A-Za-z0-9_.-]}.
     */
    static boolean isIpLiteral(String s) {
        if (s.indexOf(':') < 0) {
            return isIpv4(s, 0, s.length());
        }
        int end = s.indexOf('%');
        if (end < 0) {
            end = s.length();
        } else if (!isZone(s, end + 1)) {
            return false;
        }
        return isIpv6(s, end);
    }

    /** {@code s[from, to)} is four decimal parts of 1 to 3 ASCII digits, each at most 255, separated by dots. */
    static boolean isIpv4(String s, int from, int to) {
        int parts = 0;
        int i = from;
        while (true) {
            int value = 0;
            int digits = 0;
            while (i < to && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
                value = value * 10 + (s.charAt(i) - '0');
                i++;
                if (++digits > 3) {
                    return false;
                }
            }
            if (digits == 0 || value > 255) {
                return false;
            }
            parts++;
            if (i == to) {
                return parts == 4;
            }
            if (s.charAt(i) != '.' || parts == 4) {
                return false;
            }
            i++;
        }
    }

    private static boolean isZone(String s, int from) {
        if (from >= s.length()) {
            return false;
        }
        for (int i = from; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '_' || c == '.' || c == '-';
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /**
     * {@code s[0, end)} as IPv6: groups of 1 to 4 hex digits separated by single colons, at most one {@code ::}
     * standing for one or more zero groups, exactly 8 groups without it (at most 7 written with it), and optionally
     * a dotted quad as the last 32 bits (counting as two groups).
     */
    private static boolean isIpv6(String s, int end) {
        int gap = s.indexOf("::");
        if (gap >= end) {
            gap = -1;
        }
        if (gap < 0) {
            return groups(s, 0, end, true) == 8;
        }
        if (s.indexOf(':', gap + 2) == gap + 2 && gap + 2 < end) {
            return false; // ":::"
        }
        int next = s.indexOf("::", gap + 1);
        if (next >= 0 && next < end) {
            return false; // a second "::"
        }
        int head = groups(s, 0, gap, false);
        int tail = groups(s, gap + 2, end, true);
        return head >= 0 && tail >= 0 && head + tail <= 7;
    }

    /**
     * Counts the colon-separated hex groups of {@code s[from, to)} (an empty range has none), a trailing dotted quad
     * counting as two when {@code quadAllowed}; -1 when the range is not such a list.
     */
    private static int groups(String s, int from, int to, boolean quadAllowed) {
        if (from == to) {
            return 0;
        }
        int count = 0;
        int i = from;
        while (true) {
            int start = i;
            while (i < to && Character.digit(s.charAt(i), 16) >= 0 && s.charAt(i) < 0x80) {
                i++;
            }
            if (i < to && s.charAt(i) == '.') {
                // only the last piece may be a dotted quad
                int colon = s.indexOf(':', start);
                if (!quadAllowed || (colon >= 0 && colon < to) || !isIpv4(s, start, to)) {
                    return -1;
                }
                return count + 2;
            }
            int len = i - start;
            if (len < 1 || len > 4) {
                return -1;
            }
            count++;
            if (i == to) {
                return count;
            }
            if (s.charAt(i) != ':') {
                return -1;
            }
            i++;
            if (i == to) {
                return -1; // a single trailing colon
            }
        }
    }
}
