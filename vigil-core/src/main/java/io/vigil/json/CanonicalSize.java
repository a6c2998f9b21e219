package io.vigil.json;

import java.util.List;
import java.util.Map;

/**
 * The length in UTF-8 bytes of a value's canonical JSON (RFC 8785), computed without writing the whole value, so that
 * limits on canonical size (such as the redaction policy's {@code maxDetailsBytes}) can be enforced cheaply. Exact for
 * the values an event's details can hold. Not thread-safe: numbers are measured in a reused buffer.
 */
public final class CanonicalSize {
    /** Measures numbers in their canonical form, which Java's toString does not match. */
    private final CanonicalBuffer numberScratch = new CanonicalBuffer(32);

    /** Size of the value as canonical JSON, in UTF-8 bytes (exact for the values an event's details can hold). */
    public long of(Object v) {
        if (v instanceof String s) {
            return ofString(s);
        }
        if (v instanceof Map<?, ?> m) {
            long n = 2 + Math.max(0, m.size() - 1);
            for (Map.Entry<?, ?> e : m.entrySet()) {
                n += ofString(String.valueOf(e.getKey())) + 1 + of(e.getValue());
            }
            return n;
        }
        if (v instanceof List<?> l) {
            long n = 2 + Math.max(0, l.size() - 1);
            for (Object o : l) {
                n += of(o);
            }
            return n;
        }
        if (v instanceof Boolean bool) {
            return bool ? 4 : 5;
        }
        if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
            long x = ((Number) v).longValue();
            if (x > -(1L << 53) && x < (1L << 53)) {
                return ofInteger(x);
            }
        }
        if (v instanceof Number) {
            try {
                numberScratch.reset();
                CanonicalJson.writeValue(v, numberScratch);
                return numberScratch.length();
            } catch (CanonicalJsonException e) {
                return String.valueOf(v).length(); // not writable anyway; the sink reports it
            }
        }
        return v == null ? 4 : ofString(v.toString());
    }

    /** Canonical JSON size of a string literal: quotes, RFC 8785 escapes, UTF-8. */
    public static long ofString(String s) {
        long n = 2;
        for (int i = 0, len = s.length(); i < len; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                n += c >= 0x20 ? (c == '"' || c == '\\' ? 2 : 1)
                        : (c == '\b' || c == '\f' || c == '\n' || c == '\r' || c == '\t' ? 2 : 6);
            } else {
                n += c < 0x800 ? 2 : Character.isSurrogate(c) ? 2 : 3;
            }
        }
        return n;
    }

    /** Canonical JSON size of an integer of magnitude below 2^53, which is written as its plain digits. */
    public static int ofInteger(long x) {
        int n = x < 0 ? 2 : 1;
        long a = Math.abs(x);
        while (a >= 10) {
            a /= 10;
            n++;
        }
        return n;
    }
}
