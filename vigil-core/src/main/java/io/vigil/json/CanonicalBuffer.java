package io.vigil.json;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;

/**
 * A growable byte buffer that canonical JSON is written into, meant to be kept and {@link #reset() reset} by one
 * writer thread so that encoding an event allocates nothing. Strings are encoded to UTF-8 straight from their chars
 * with RFC 8785 escaping; numbers are written without going through {@code String}. Not thread-safe.
 */
public final class CanonicalBuffer {
    /** Powers of ten that fit a long, 10^0 .. 10^18. */
    static final long[] POW10 = new long[19];

    static {
        POW10[0] = 1;
        for (int i = 1; i < POW10.length; i++) {
            POW10[i] = POW10[i - 1] * 10;
        }
    }

    private static final int MAX_CAPACITY = Integer.MAX_VALUE - 8;
    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] LONG_MIN = Long.toString(Long.MIN_VALUE).getBytes(StandardCharsets.US_ASCII);

    private byte[] bytes;
    private int length;

    /** A buffer with room for a typical event. */
    public CanonicalBuffer() {
        this(1024);
    }

    public CanonicalBuffer(int initialCapacity) {
        if (initialCapacity < 0) {
            throw new IllegalArgumentException("initialCapacity " + initialCapacity + " must not be negative");
        }
        this.bytes = new byte[Math.max(16, initialCapacity)];
    }

    /** Empties the buffer, keeping its storage. */
    public CanonicalBuffer reset() {
        length = 0;
        return this;
    }

    /** The number of bytes written. */
    public int length() {
        return length;
    }

    /** The backing array (not a copy); bytes {@code 0 .. length()-1} are the content. Valid until the next write. */
    public byte[] array() {
        return bytes;
    }

    /** A copy of the content. */
    public byte[] toByteArray() {
        return Arrays.copyOf(bytes, length);
    }

    /** Writes the content to {@code out}. */
    public void writeTo(OutputStream out) throws IOException {
        out.write(bytes, 0, length);
    }

    /** The content decoded as UTF-8. */
    @Override
    public String toString() {
        return new String(bytes, 0, length, StandardCharsets.UTF_8);
    }

    /** Appends one ASCII character as is (no escaping). */
    public CanonicalBuffer appendAscii(char c) {
        if (c >= 0x80) {
            throw new IllegalArgumentException("appendAscii got non-ASCII character U+" + hex4(c));
        }
        ensure(1);
        bytes[length++] = (byte) c;
        return this;
    }

    /**
     * Appends raw bytes as they are: bytes that already are canonical JSON, e.g. a ledger splicing a member into an
     * object it serialized before. The caller answers for them being valid UTF-8 JSON.
     */
    public CanonicalBuffer appendBytes(byte[] src, int offset, int count) {
        Objects.checkFromIndexSize(offset, count, src.length);
        ensure(count);
        System.arraycopy(src, offset, bytes, length, count);
        length += count;
        return this;
    }

    /** Appends ASCII text as is (no escaping), e.g. JSON punctuation or a pre-built member name. */
    public CanonicalBuffer appendAscii(String s) {
        int n = s.length();
        ensure(n);
        byte[] b = bytes;
        int at = length;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c >= 0x80) {
                throw new IllegalArgumentException("appendAscii got non-ASCII character U+" + hex4(c) + " at index " + i);
            }
            b[at++] = (byte) c;
        }
        length = at;
        return this;
    }

    /**
     * Appends {@code s} as a JSON string literal in RFC 8785 form (§3.2.2.2): quotes; {@code \" \\ \b \f \n \r \t};
     * {@code \}{@code u00xx} with lowercase hex for the other controls below U+0020; every other character as literal
     * UTF-8, including non-ASCII, U+007F and U+2028.
     *
     * @throws CanonicalJsonException if {@code s} holds a lone surrogate (not valid Unicode, so not I-JSON); the
     *                                buffer is then left as it was
     */
    public CanonicalBuffer appendString(String s) {
        int n = s.length();
        int start = length;
        ensure(2 + 3L * n); // every char but a control takes at most 3 bytes (a surrogate pair takes 4 for 2 chars)
        byte[] b = bytes;
        int at = length;
        b[at++] = '"';
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                if (c >= 0x20 && c != '"' && c != '\\') {
                    b[at++] = (byte) c;
                    continue;
                }
                // escapes take up to 6 bytes for 1 char; make room for them and for the rest of the string
                length = at;
                ensure(6 + 3L * (n - i - 1) + 1);
                b = bytes;
                b[at++] = '\\';
                switch (c) {
                    case '"' -> b[at++] = '"';
                    case '\\' -> b[at++] = '\\';
                    case '\b' -> b[at++] = 'b';
                    case '\f' -> b[at++] = 'f';
                    case '\n' -> b[at++] = 'n';
                    case '\r' -> b[at++] = 'r';
                    case '\t' -> b[at++] = 't';
                    default -> {
                        b[at++] = 'u';
                        b[at++] = '0';
                        b[at++] = '0';
                        b[at++] = HEX[c >> 4];
                        b[at++] = HEX[c & 0xF];
                    }
                }
            } else if (c < 0x800) {
                b[at++] = (byte) (0xC0 | (c >> 6));
                b[at++] = (byte) (0x80 | (c & 0x3F));
            } else if (!Character.isSurrogate(c)) {
                b[at++] = (byte) (0xE0 | (c >> 12));
                b[at++] = (byte) (0x80 | ((c >> 6) & 0x3F));
                b[at++] = (byte) (0x80 | (c & 0x3F));
            } else {
                char low = i + 1 < n ? s.charAt(i + 1) : 0;
                if (!Character.isHighSurrogate(c) || !Character.isLowSurrogate(low)) {
                    length = start;
                    throw new CanonicalJsonException("string holds a lone surrogate U+" + hex4(c) + " at index " + i
                            + "; JSON strings must be valid Unicode (RFC 8785 requires I-JSON)");
                }
                int cp = Character.toCodePoint(c, low);
                b[at++] = (byte) (0xF0 | (cp >> 18));
                b[at++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
                b[at++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
                b[at++] = (byte) (0x80 | (cp & 0x3F));
                i++;
            }
        }
        b[at++] = '"';
        length = at;
        return this;
    }

    /** Appends {@code v} in decimal. */
    public CanonicalBuffer appendLong(long v) {
        if (v == Long.MIN_VALUE) {
            appendBytes(LONG_MIN);
            return this;
        }
        ensure(20);
        if (v < 0) {
            bytes[length++] = '-';
            v = -v;
        }
        int k = 1;
        while (k < 19 && v >= POW10[k]) {
            k++;
        }
        writeDigits(v, k);
        return this;
    }

    /**
     * Appends {@code d} as RFC 8785 / ECMAScript prints it: shortest digits that read back as {@code d}, integers
     * without {@code .0}, exponent form outside 1e-7 &lt; |d| &lt; 1e21 (e.g. {@code 1e+21}, {@code 1e-7}), and
     * {@code -0} as {@code 0}.
     *
     * @throws CanonicalJsonException for NaN and infinities, which JSON cannot represent
     */
    public CanonicalBuffer appendDouble(double d) {
        EcmaScriptNumbers.append(d, this);
        return this;
    }

    // ---- package-private helpers for the codecs of this package ---------------------------------------------------

    void appendBytes(byte[] src) {
        ensure(src.length);
        System.arraycopy(src, 0, bytes, length, src.length);
        length += src.length;
    }

    /** Appends exactly {@code width} digits of {@code v} (0 &lt;= v &lt; 10^width), zero-padded on the left. */
    void appendDigits(long v, int width) {
        ensure(width);
        writeDigits(v, width);
    }

    /** Appends the low {@code width * 4} bits of {@code v} as {@code width} lowercase hex digits. */
    void appendHex(long v, int width) {
        ensure(width);
        byte[] b = bytes;
        int at = length + width;
        length = at;
        for (int i = 0; i < width; i++) {
            b[--at] = HEX[(int) (v & 0xF)];
            v >>>= 4;
        }
    }

    void appendZeros(int count) {
        ensure(count);
        Arrays.fill(bytes, length, length + count, (byte) '0');
        length += count;
    }

    /** Drops everything after the first {@code newLength} bytes, to undo a write that failed half-way. */
    void truncate(int newLength) {
        if (newLength < 0 || newLength > length) {
            throw new IllegalArgumentException("cannot truncate to " + newLength + " of " + length + " bytes");
        }
        length = newLength;
    }

    private void writeDigits(long v, int width) {
        byte[] b = bytes;
        int at = length + width;
        length = at;
        for (int i = 0; i < width; i++) {
            b[--at] = (byte) ('0' + (int) (v % 10));
            v /= 10;
        }
    }

    /** Makes room for {@code more} bytes after the current length. */
    private void ensure(long more) {
        long needed = length + more;
        if (needed <= bytes.length) {
            return;
        }
        if (needed > MAX_CAPACITY) {
            throw new CanonicalJsonException("canonical JSON would exceed " + MAX_CAPACITY + " bytes");
        }
        long grown = Math.max(needed, Math.min((long) bytes.length * 2, MAX_CAPACITY));
        bytes = Arrays.copyOf(bytes, (int) grown);
    }

    private static String hex4(char c) {
        String h = Integer.toHexString(c).toUpperCase(Locale.ROOT);
        return "0000".substring(h.length()) + h;
    }
}
