package io.vigil.postgres.internal;

import io.vigil.json.CanonicalBuffer;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;

/**
 * Rows in the text format of PostgreSQL's {@code COPY ... FROM STDIN}: fields separated by tabs, rows ended by a
 * newline, {@code \N} for null, and backslash, tab, newline and carriage return escaped with a backslash. Written by
 * hand because the driver's copy API takes bytes and nothing in it or in a maintained library renders rows; the
 * format is small and documented with COPY.
 */
public final class CopyText {
    private static final byte[] NULL = {'\\', 'N'};

    private CopyText() {
    }

    /** Appends the derived columns of one row ({@link Columns#values} order), each followed by a tab. */
    public static void appendDerived(Object[] values, CanonicalBuffer out) {
        for (Object v : values) {
            if (v == null) {
                out.appendBytes(NULL, 0, 2);
            } else if (v instanceof String s) {
                appendText(s, out);
            } else if (v instanceof String[] flags) {
                appendText(arrayLiteral(flags), out);
            } else if (v instanceof Instant t) {
                out.appendAscii(t.toString()); // ISO 8601 in UTC, which timestamptz reads exactly
            } else if (v instanceof UUID u) {
                out.appendAscii(u.toString());
            } else if (v instanceof Double d) {
                out.appendAscii(Double.toString(d)); // the shortest form that reads back as the same double
            } else {
                throw new IllegalArgumentException("no COPY text form for " + v.getClass().getName());
            }
            out.appendAscii('\t');
        }
    }

    /** Appends {@code s} as one field. */
    public static void appendText(String s, CanonicalBuffer out) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        appendEscaped(b, 0, b.length, out);
    }

    /** Appends UTF-8 bytes as one field, escaping what COPY would otherwise read as structure. */
    public static void appendEscaped(byte[] b, int from, int to, CanonicalBuffer out) {
        int run = from;
        for (int i = from; i < to; i++) {
            byte c = b[i];
            byte escaped = c == '\\' ? (byte) '\\' : c == '\t' ? (byte) 't' : c == '\n' ? (byte) 'n'
                    : c == '\r' ? (byte) 'r' : 0;
            if (escaped != 0) {
                out.appendBytes(b, run, i - run);
                out.appendAscii('\\');
                out.appendAscii((char) escaped);
                run = i + 1;
            }
        }
        out.appendBytes(b, run, to - run);
    }

    /** A {@code text[]} literal: every element quoted, so that commas, braces, blanks and "NULL" stay text. */
    static String arrayLiteral(String[] elements) {
        StringBuilder sb = new StringBuilder("{");
        for (int i = 0; i < elements.length; i++) {
            sb.append(i == 0 ? "\"" : ",\"");
            String e = elements[i];
            for (int k = 0; k < e.length(); k++) {
                char c = e.charAt(k);
                if (c == '"' || c == '\\') {
                    sb.append('\\');
                }
                sb.append(c);
            }
            sb.append('"');
        }
        return sb.append('}').toString();
    }

    /** Appends a {@code bytea} field in hex form ({@code \x} then two digits a byte; the backslash escaped). */
    public static void appendBytea(byte[] bytes, CanonicalBuffer out) {
        out.appendAscii("\\\\x");
        for (byte x : bytes) {
            out.appendAscii(Character.forDigit((x >> 4) & 0xf, 16));
            out.appendAscii(Character.forDigit(x & 0xf, 16));
        }
    }
}
