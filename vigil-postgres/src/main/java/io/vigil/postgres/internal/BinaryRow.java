package io.vigil.postgres.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One row of {@code COPY ... TO STDOUT (FORMAT binary)}, as one message of the copy stream holds it: a field count,
 * then each field as a length (-1 for null) and its bytes in the type's binary form (big-endian numbers, text as
 * UTF-8). The first message also carries the format's header, which is checked and skipped; the last holds only the
 * trailer. Read in place: the verifier reads hundreds of thousands of rows a second, and the binary form spares the
 * server formatting them and this side parsing text back. Hand-written because the driver hands over the raw
 * messages and no maintained library decodes them; the format is documented with COPY.
 */
public final class BinaryRow {
    private static final byte[] SIGNATURE = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xff, '\r', '\n', 0};

    private byte[] row = new byte[0];
    private int[] starts = new int[32];
    private int[] lengths = new int[32];
    private int count;

    /**
     * Takes {@code message} apart; false when it holds no row (the trailer).
     *
     * @throws IllegalArgumentException when it is not a row of the binary format
     */
    public boolean parse(byte[] message) {
        row = message;
        int at = rowStart(message);
        if (!holdsRow(message, at)) {
            return false;
        }
        require(at + 2 <= message.length);
        int n = (short) (((message[at] & 0xff) << 8) | (message[at + 1] & 0xff));
        at += 2;
        require(n >= 0);
        if (n > starts.length) {
            starts = new int[n];
            lengths = new int[n];
        }
        for (int i = 0; i < n; i++) {
            require(at + 4 <= message.length);
            int len = int32(message, at);
            at += 4;
            require(len >= -1 && at + Math.max(len, 0) <= message.length);
            starts[i] = at;
            lengths[i] = len;
            at += Math.max(len, 0);
        }
        count = n;
        return true;
    }

    /** Whether {@code message} holds a row (not only the header, the trailer, or both). */
    public static boolean holdsRow(byte[] message) {
        return holdsRow(message, rowStart(message));
    }

    private static boolean holdsRow(byte[] message, int at) {
        int rest = message.length - at;
        return rest > 0 && !(rest == 2 && message[at] == (byte) 0xff && message[at + 1] == (byte) 0xff);
    }

    /** Where the row begins: after the format's header when the message starts with it (the first one does). */
    private static int rowStart(byte[] message) {
        if (message.length >= SIGNATURE.length + 8 && Arrays.equals(message, 0, SIGNATURE.length, SIGNATURE, 0,
                SIGNATURE.length)) {
            // the flags define no bit that matters here; the header extension is skipped
            return SIGNATURE.length + 8 + Math.max(int32(message, SIGNATURE.length + 4), 0);
        }
        return 0;
    }

    private static void require(boolean ok) {
        if (!ok) {
            throw new IllegalArgumentException("a binary COPY row ends early or has a bad length");
        }
    }

    private static int int32(byte[] b, int at) {
        return ((b[at] & 0xff) << 24) | ((b[at + 1] & 0xff) << 16) | ((b[at + 2] & 0xff) << 8) | (b[at + 3] & 0xff);
    }

    private long int64(int at) {
        return ((long) int32(row, at) << 32) | (int32(row, at + 4) & 0xffffffffL);
    }

    /** The number of fields. */
    public int size() {
        return count;
    }

    public boolean isNull(int i) {
        return lengths[i] < 0;
    }

    /** A {@code bigint} or {@code timestamptz} (microseconds since 2000-01-01 UTC) field. */
    public long longValue(int i) {
        require(lengths[i] == 8);
        return int64(starts[i]);
    }

    /** A {@code double precision} field. */
    public double doubleValue(int i) {
        return Double.longBitsToDouble(longValue(i));
    }

    /** The bytes of field {@code i} are {@link #array()} from {@code offset(i)}, {@code length(i)} long. */
    public byte[] array() {
        return row;
    }

    public int offset(int i) {
        return starts[i];
    }

    public int length(int i) {
        return Math.max(lengths[i], 0);
    }

    /** A text field; {@code null} when null. */
    public String string(int i) {
        return isNull(i) ? null : new String(row, starts[i], lengths[i], StandardCharsets.UTF_8);
    }

    /** Whether field {@code i} is not null and its bytes equal {@code b[from, to)}. */
    public boolean bytesEqual(int i, byte[] b, int from, int to) {
        return lengths[i] >= 0 && Arrays.equals(row, starts[i], starts[i] + lengths[i], b, from, to);
    }

    /**
     * The elements of a one-dimensional {@code text[]} field (none for an empty array), {@code null} elements
     * included as {@code null}.
     */
    public List<String> textArray(int i) {
        int at = starts[i];
        int end = at + lengths[i];
        require(lengths[i] >= 12);
        int dims = int32(row, at);
        at += 12; // dimensions, has-null flag, element type
        List<String> out = new ArrayList<>();
        if (dims == 0) {
            return out;
        }
        require(dims == 1 && at + 8 <= end);
        int n = int32(row, at);
        at += 8; // size, lower bound
        for (int k = 0; k < n; k++) {
            require(at + 4 <= end);
            int len = int32(row, at);
            at += 4;
            require(len >= -1 && at + Math.max(len, 0) <= end);
            out.add(len < 0 ? null : new String(row, at, len, StandardCharsets.UTF_8));
            at += Math.max(len, 0);
        }
        return out;
    }
}
