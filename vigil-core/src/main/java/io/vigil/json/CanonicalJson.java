package io.vigil.json;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.RandomAccess;
import java.util.SortedMap;

/**
 * RFC 8785 JSON Canonicalization Scheme (JCS): the one byte sequence a JSON value hashes and signs as.
 *
 * <p>Canonical form: no insignificant whitespace; object members sorted by name compared as arrays of UTF-16 code
 * units; strings escaped only where RFC 8785 §3.2.2.2 says, everything else literal UTF-8; numbers as IEEE 754
 * doubles printed the way ECMAScript prints them (§3.2.2.3). Input that is not I-JSON is rejected with a
 * {@link CanonicalJsonException}: duplicate member names, numbers beyond double range, lone surrogates.
 */
public final class CanonicalJson {
    /** Deepest nesting {@link #writeValue} accepts; also stops runaway recursion on a list or map holding itself. */
    static final int MAX_DEPTH = 1000;
    /** 2^53: integers up to this magnitude are exact in a double and print as themselves. */
    private static final long TWO_53 = 1L << 53;
    private static final byte[] NULL = "null".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] TRUE = "true".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] FALSE = "false".getBytes(StandardCharsets.US_ASCII);

    private CanonicalJson() {
    }

    /**
     * The canonical form of a JSON text.
     *
     * @throws CanonicalJsonException if the text is not valid JSON, or not I-JSON (see the class comment)
     */
    public static String canonicalize(String json) {
        Object tree = JsonTreeReader.read(json, JsonTreeReader.Numbers.DOUBLES);
        CanonicalBuffer out = new CanonicalBuffer(json.length() + 16);
        writeValue(tree, out);
        return out.toString();
    }

    /**
     * The canonical form, as UTF-8, of a JSON text given as UTF-8.
     *
     * @throws CanonicalJsonException if the input is not valid UTF-8 JSON, or not I-JSON (see the class comment)
     */
    public static byte[] canonicalize(byte[] utf8Json) {
        Object tree = JsonTreeReader.read(utf8Json, JsonTreeReader.Numbers.DOUBLES);
        CanonicalBuffer out = new CanonicalBuffer(utf8Json.length + 16);
        writeValue(tree, out);
        return out.toByteArray();
    }

    /**
     * Appends the canonical form of a Java value. Accepted: {@code null} (JSON null), String, Boolean, Integer, Long,
     * Short, Byte, BigInteger, Double, Float, BigDecimal, {@code List} of accepted values and {@code Map} with String
     * keys and accepted values; nothing else.
     *
     * <p>Numbers become IEEE 754 doubles, because that is all RFC 8785 numbers are: an integer whose magnitude is at
     * most 2^53 prints exactly; a larger one (and every BigDecimal, Float and Double) prints as the nearest double, so
     * {@code 9007199254740993L} prints as {@code 9007199254740992}. Any other JCS implementation reading the output
     * gets the same value.
     *
     * @throws CanonicalJsonException naming the place of an unsupported value, a non-finite number or a lone
     *                                surrogate; {@code out} is then left as it was
     */
    public static void writeValue(Object value, CanonicalBuffer out) {
        int mark = out.length();
        try {
            write(value, out, 0);
        } catch (CanonicalJsonException e) {
            out.truncate(mark);
            throw e;
        }
    }

    /** Writes without restoring {@code out} on failure; for the codecs of this package, which restore it themselves. */
    static void write(Object value, CanonicalBuffer out, int depth) {
        if (value instanceof String s) {
            out.appendString(s);
        } else if (value instanceof Boolean b) {
            out.appendBytes(b ? TRUE : FALSE);
        } else if (value instanceof Long l) {
            long v = l;
            if (v >= -TWO_53 && v <= TWO_53) {
                out.appendLong(v);
            } else {
                out.appendDouble(v);
            }
        } else if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
            out.appendLong(((Number) value).longValue());
        } else if (value instanceof Double || value instanceof Float) {
            out.appendDouble(((Number) value).doubleValue());
        } else if (value instanceof BigInteger big) {
            if (big.bitLength() <= 53) {
                out.appendLong(big.longValue());
            } else {
                out.appendDouble(finite(big.doubleValue(), big));
            }
        } else if (value instanceof BigDecimal dec) {
            out.appendDouble(finite(dec.doubleValue(), dec));
        } else if (value instanceof Map<?, ?> map) {
            writeObject(map, out, checkDepth(depth + 1));
        } else if (value instanceof List<?> list) {
            writeArray(list, out, checkDepth(depth + 1));
        } else if (value == null) {
            out.appendBytes(NULL);
        } else {
            throw new CanonicalJsonException("unsupported value of type " + value.getClass().getName()
                    + "; JSON values are String, Boolean, Number, List, Map with String keys, or null");
        }
    }

    private static void writeObject(Map<?, ?> map, CanonicalBuffer out, int depth) {
        out.appendAscii('{');
        int size = map.size();
        if (size == 1 || (map instanceof SortedMap<?, ?> sorted && sorted.comparator() == null)) {
            // already in canonical order: String's natural order compares UTF-16 code units, as RFC 8785 §3.2.3 asks
            boolean first = true;
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if (!first) {
                    out.appendAscii(',');
                }
                first = false;
                member(e.getKey(), e.getValue(), out, depth);
            }
        } else if (size > 1) {
            Map.Entry<?, ?>[] entries = map.entrySet().toArray(new Map.Entry<?, ?>[0]);
            for (Map.Entry<?, ?> e : entries) {
                if (!(e.getKey() instanceof String)) {
                    throw nonStringKey(e.getKey());
                }
            }
            Arrays.sort(entries, (a, b) -> ((String) a.getKey()).compareTo((String) b.getKey()));
            for (int i = 0; i < entries.length; i++) {
                if (i > 0) {
                    out.appendAscii(',');
                }
                member(entries[i].getKey(), entries[i].getValue(), out, depth);
            }
        }
        out.appendAscii('}');
    }

    private static void member(Object key, Object value, CanonicalBuffer out, int depth) {
        if (!(key instanceof String name)) {
            throw nonStringKey(key);
        }
        try {
            out.appendString(name);
            out.appendAscii(':');
            write(value, out, depth);
        } catch (CanonicalJsonException e) {
            throw Located.at("." + name, e);
        }
    }

    private static void writeArray(List<?> list, CanonicalBuffer out, int depth) {
        out.appendAscii('[');
        if (list instanceof RandomAccess) {
            for (int i = 0, n = list.size(); i < n; i++) {
                element(i, list.get(i), out, depth);
            }
        } else {
            int i = 0;
            for (Iterator<?> it = list.iterator(); it.hasNext(); i++) {
                element(i, it.next(), out, depth);
            }
        }
        out.appendAscii(']');
    }

    private static void element(int i, Object value, CanonicalBuffer out, int depth) {
        if (i > 0) {
            out.appendAscii(',');
        }
        try {
            write(value, out, depth);
        } catch (CanonicalJsonException e) {
            throw Located.at("[" + i + "]", e);
        }
    }

    private static int checkDepth(int depth) {
        if (depth > MAX_DEPTH) {
            throw new CanonicalJsonException("value is nested deeper than " + MAX_DEPTH
                    + " levels (does a list or map contain itself?)");
        }
        return depth;
    }

    private static double finite(double d, Number original) {
        if (Double.isInfinite(d)) {
            throw new CanonicalJsonException("number " + original + " is outside the range of an IEEE 754 double,"
                    + " which RFC 8785 requires");
        }
        return d;
    }

    private static CanonicalJsonException nonStringKey(Object key) {
        return new CanonicalJsonException("map key " + key + " is a "
                + (key == null ? "null" : key.getClass().getName()) + "; JSON member names must be Strings");
    }

    /** A failure with the path to where it happened, e.g. {@code $.details.tags[2]}, grown as the stack unwinds. */
    private static final class Located extends CanonicalJsonException {
        private static final long serialVersionUID = 1L;
        private final String reason;
        private final String path;

        private Located(String reason, String path, Throwable cause) {
            super(reason + " (at $" + path + ")", cause);
            this.reason = reason;
            this.path = path;
        }

        static Located at(String segment, CanonicalJsonException e) {
            if (e instanceof Located inner) {
                return new Located(inner.reason, segment + inner.path, inner.getCause());
            }
            return new Located(e.getMessage(), segment, e);
        }
    }
}
