package io.vigil.postgres.internal;

import io.vigil.ledger.internal.Swar;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One row of {@code COPY ... TO STDOUT} text output, split into fields in place: the reverse of {@link CopyText}.
 * PostgreSQL writes backslash, backspace, form feed, newline, carriage return, tab and vertical tab escaped, and a
 * field that is exactly {@code \N} for null. Reused row after row, so that reading allocates only what is asked for.
 */
public final class CopyRow {
    private byte[] row = new byte[0];
    private int[] starts = new int[32];
    private int[] ends = new int[32];
    private boolean[] escaped = new boolean[32];
    private int count;
    private byte[] scratch = new byte[4096];
    private byte[] pinned = new byte[4096];

    /** Splits {@code bytes[0, length)}, one row with or without its newline, into fields. */
    public void parse(byte[] bytes, int length) {
        row = bytes;
        int end = length > 0 && bytes[length - 1] == '\n' ? length - 1 : length;
        count = 0;
        int start = 0;
        boolean esc = false;
        int i = 0;
        while ((i = Swar.indexOfTabOrBackslash(bytes, i, end)) < end) {
            if (bytes[i] == '\t') {
                add(start, i, esc);
                start = i + 1;
                esc = false;
                i++;
            } else {
                esc = true;
                i += 2; // the escaped character is never a separator
            }
        }
        add(start, end, esc);
    }

    private void add(int start, int end, boolean esc) {
        if (count == starts.length) {
            starts = Arrays.copyOf(starts, count * 2);
            ends = Arrays.copyOf(ends, count * 2);
            escaped = Arrays.copyOf(escaped, count * 2);
        }
        starts[count] = start;
        ends[count] = end;
        escaped[count] = esc;
        count++;
    }

    /** The number of fields. */
    public int size() {
        return count;
    }

    /** Whether field {@code i} is null. */
    public boolean isNull(int i) {
        return ends[i] - starts[i] == 2 && row[starts[i]] == '\\' && row[starts[i] + 1] == 'N';
    }

    /** Field {@code i} as a number. */
    public long longValue(int i) {
        long v = 0;
        int at = starts[i];
        boolean negative = at < ends[i] && row[at] == '-';
        for (int k = negative ? at + 1 : at; k < ends[i]; k++) {
            int d = row[k] - '0';
            if (d < 0 || d > 9) {
                throw new NumberFormatException("not a number: " + string(i));
            }
            v = v * 10 + d;
        }
        return negative ? -v : v;
    }

    /** Field {@code i} as text; {@code null} when it is null. */
    public String string(int i) {
        if (isNull(i)) {
            return null;
        }
        int n = unescaped(i);
        return new String(escaped[i] ? scratch : row, escaped[i] ? 0 : starts[i], n, StandardCharsets.UTF_8);
    }

    /** A copy of the bytes of field {@code i}. */
    public byte[] bytes(int i) {
        int n = unescaped(i);
        return escaped[i] ? Arrays.copyOf(scratch, n) : Arrays.copyOfRange(row, starts[i], ends[i]);
    }

    /** Whether field {@code i}, read as bytes, equals {@code b[from, to)} (a field without escapes compares in place). */
    public boolean bytesEqual(int i, byte[] b, int from, int to) {
        if (!escaped[i]) {
            return Arrays.equals(row, starts[i], ends[i], b, from, to);
        }
        int n = unescaped(i);
        return Arrays.equals(scratch, 0, n, b, from, to);
    }

    /**
     * Makes the bytes of field {@code i} readable as {@link #pinnedArray(int)} from {@link #pinnedOffset(int)} and
     * returns their length. They stay there, whatever else is read of the row, until the next call of this method.
     */
    public int pin(int i) {
        if (!escaped[i]) {
            return ends[i] - starts[i];
        }
        byte[] keep = scratch;
        scratch = pinned;
        int n = unescaped(i);
        pinned = scratch;
        scratch = keep;
        return n;
    }

    /** The array holding the bytes of field {@code i} after {@link #pin(int)}. */
    public byte[] pinnedArray(int i) {
        return escaped[i] ? pinned : row;
    }

    /** Where the bytes of field {@code i} begin in {@link #pinnedArray(int)}. */
    public int pinnedOffset(int i) {
        return escaped[i] ? 0 : starts[i];
    }

    private int unescaped(int i) {
        if (!escaped[i]) {
            return ends[i] - starts[i];
        }
        int from = starts[i];
        int to = ends[i];
        if (scratch.length < to - from) {
            scratch = new byte[Math.max(2 * scratch.length, to - from)];
        }
        int n = 0;
        for (int k = from; k < to; k++) {
            byte b = row[k];
            if (b == '\\' && k + 1 < to) {
                byte c = row[++k];
                b = switch (c) {
                    case 'b' -> (byte) '\b';
                    case 'f' -> (byte) '\f';
                    case 'n' -> (byte) '\n';
                    case 'r' -> (byte) '\r';
                    case 't' -> (byte) '\t';
                    case 'v' -> (byte) 0x0b;
                    default -> c; // "\\" and any character PostgreSQL escaped needlessly
                };
            }
            scratch[n++] = b;
        }
        return n;
    }
}
