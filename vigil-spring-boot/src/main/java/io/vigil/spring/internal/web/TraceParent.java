package io.vigil.spring.internal.web;

import java.util.Optional;

/**
 * Reads the trace id of a W3C Trace Context {@code traceparent} header (version 00):
 * {@code 00-<32 hex trace id>-<16 hex parent id>-<2 hex flags>}, lowercase, neither id all zeros. Anything else is
 * refused whole, as the specification asks: a half-valid header must not start a trace.
 */
public final class TraceParent {
    private static final int LENGTH = 55;

    private TraceParent() {
    }

    /** The trace id of a valid version 00 header. */
    public static Optional<String> traceId(String header) {
        if (header == null || header.length() != LENGTH || !header.startsWith("00-") || header.charAt(35) != '-'
                || header.charAt(52) != '-') {
            return Optional.empty();
        }
        if (!lowerHex(header, 3, 35) || !lowerHex(header, 36, 52) || !lowerHex(header, 53, 55)) {
            return Optional.empty();
        }
        if (allZeros(header, 3, 35) || allZeros(header, 36, 52)) {
            return Optional.empty();
        }
        return Optional.of(header.substring(3, 35));
    }

    /** True for a trace id as tracing libraries put it in the MDC: 32 (or 16) lowercase hex digits, not all zeros. */
    public static boolean isTraceId(String s) {
        return s != null && (s.length() == 32 || s.length() == 16) && lowerHex(s, 0, s.length())
                && !allZeros(s, 0, s.length());
    }

    private static boolean lowerHex(String s, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
                return false;
            }
        }
        return true;
    }

    private static boolean allZeros(String s, int from, int to) {
        for (int i = from; i < to; i++) {
            if (s.charAt(i) != '0') {
                return false;
            }
        }
        return true;
    }
}
