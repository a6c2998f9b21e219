package io.vigil.postgres.internal;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.UUID;

/**
 * Rows for {@code COPY ... FROM STDIN (FORMAT binary)}, written into a growable buffer: the format's header, then
 * per row a field count and each field as a length (-1 for null) and its bytes in the type's binary form, then the
 * trailer. The binary form spares the server parsing text into uuids, timestamps, numbers and arrays, which matters
 * because appends hold the ledger's lock while the server takes the rows in. Written by hand because the driver's
 * copy API takes bytes and no maintained library renders rows; {@link BinaryRow} reads the same format.
 */
public final class CopyBinary {
    private static final byte[] SIGNATURE = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xff, '\r', '\n', 0};
    /** Seconds from 1970-01-01 to 2000-01-01, where timestamptz counts from. */
    static final long POSTGRES_EPOCH_SECONDS = 946_684_800L;
    /** The type of {@code text[]}'s elements ({@code pg_type.oid} of {@code text}). */
    private static final int TEXT_OID = 25;

    private byte[] buf;
    private int length;

    public CopyBinary(int capacity) {
        buf = new byte[Math.max(capacity, 64)];
    }

    public CopyBinary reset() {
        length = 0;
        return this;
    }

    public byte[] array() {
        return buf;
    }

    public int length() {
        return length;
    }

    /** The format's header: written once, before the first row. */
    public CopyBinary header() {
        bytes(SIGNATURE, 0, SIGNATURE.length);
        int32(0); // flags: no OIDs
        return int32(0); // no header extension
    }

    /** The format's end: written once, after the last row. */
    public CopyBinary trailer() {
        return int16(-1);
    }

    /** Starts a row of {@code fields} fields. */
    public CopyBinary row(int fields) {
        return int16(fields);
    }

    /** A {@code bigint} field. */
    public CopyBinary bigint(long v) {
        int32(8);
        return int64(v);
    }

    /** A {@code smallint} field. */
    public CopyBinary smallint(int v) {
        int32(2);
        return int16(v);
    }

    /** A {@code uuid} field. */
    public CopyBinary uuid(UUID u) {
        int32(16);
        int64(u.getMostSignificantBits());
        return int64(u.getLeastSignificantBits());
    }

    /** A {@code text} field of UTF-8 bytes (or a {@code bytea} field of any bytes). */
    public CopyBinary text(byte[] b, int from, int count) {
        int32(count);
        return bytes(b, from, count);
    }

    public CopyBinary text(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        return text(b, 0, b.length);
    }

    /** The derived columns of one row ({@link Columns#values} order), one field each. */
    public CopyBinary derived(Object[] values) {
        for (Object v : values) {
            if (v == null) {
                int32(-1);
            } else if (v instanceof String s) {
                text(s);
            } else if (v instanceof String[] flags) {
                textArray(flags);
            } else if (v instanceof Instant t) {
                // timestamptz: microseconds since 2000-01-01 UTC (events carry milliseconds, so nothing is rounded)
                bigint(Math.addExact(Math.multiplyExact(t.getEpochSecond() - POSTGRES_EPOCH_SECONDS, 1_000_000L),
                        t.getNano() / 1_000));
            } else if (v instanceof UUID u) {
                uuid(u);
            } else if (v instanceof Double d) {
                bigint(Double.doubleToLongBits(d));
            } else if (v instanceof Columns.Json json) {
                byte[] b = json.text().getBytes(StandardCharsets.UTF_8);
                int32(b.length + 1);
                byte1(1); // jsonb's binary form: version 1, then the text
                bytes(b, 0, b.length);
            } else {
                throw new IllegalArgumentException("no binary COPY form for " + v.getClass().getName());
            }
        }
        return this;
    }

    /** A one-dimensional {@code text[]} field (an empty array has no dimension). */
    private void textArray(String[] elements) {
        int lengthAt = length;
        int32(0); // the field's length, filled in below
        int32(elements.length == 0 ? 0 : 1);
        int32(0); // no null elements
        int32(TEXT_OID);
        if (elements.length > 0) {
            int32(elements.length);
            int32(1); // lower bound
            for (String e : elements) {
                text(e);
            }
        }
        int fieldLength = length - lengthAt - 4;
        int end = length;
        length = lengthAt;
        int32(fieldLength);
        length = end;
    }

    private CopyBinary byte1(int v) {
        ensure(1);
        buf[length++] = (byte) v;
        return this;
    }

    private CopyBinary int16(int v) {
        ensure(2);
        buf[length++] = (byte) (v >>> 8);
        buf[length++] = (byte) v;
        return this;
    }

    private CopyBinary int32(int v) {
        ensure(4);
        buf[length++] = (byte) (v >>> 24);
        buf[length++] = (byte) (v >>> 16);
        buf[length++] = (byte) (v >>> 8);
        buf[length++] = (byte) v;
        return this;
    }

    private CopyBinary int64(long v) {
        int32((int) (v >>> 32));
        return int32((int) v);
    }

    private CopyBinary bytes(byte[] b, int from, int count) {
        ensure(count);
        System.arraycopy(b, from, buf, length, count);
        length += count;
        return this;
    }

    private void ensure(int more) {
        if (length + more > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, length + more));
        }
    }
}
