package io.vigil.ledger.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Byte searches eight bytes at a time ("SIMD within a register"): reading a ledger line is mostly looking for the
 * next quote, backslash or newline, and a plain byte loop spends most of verification there. Written by hand because
 * the JDK's vector API is still incubating on Java 17 and no well-kept library offers a byte[] search of this kind.
 *
 * <p>The trick: {@code x = word ^ pattern} has a zero byte where the word matches; {@code (x - 0x01..) & ~x & 0x80..}
 * flags it. A borrow can only flag a byte above a real zero byte, so the lowest flag (little-endian: the first byte)
 * is always exact.
 */
public final class Swar {
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;
    private static final long QUOTES = ONES * '"';
    private static final long BACKSLASHES = ONES * '\\';
    private static final long NEWLINES = ONES * '\n';

    private Swar() {
    }

    private static long zeroBytes(long x) {
        return (x - ONES) & ~x & HIGHS;
    }

    /** The index of the first {@code '"'} or {@code '\\'} in {@code b[from, to)}, or {@code to} when there is none. */
    public static int indexOfQuoteOrBackslash(byte[] b, int from, int to) {
        int i = from;
        for (; i + 8 <= to; i += 8) {
            long w = (long) LONGS.get(b, i);
            long hits = zeroBytes(w ^ QUOTES) | zeroBytes(w ^ BACKSLASHES);
            if (hits != 0) {
                return i + (Long.numberOfTrailingZeros(hits) >>> 3);
            }
        }
        for (; i < to; i++) {
            byte c = b[i];
            if (c == '"' || c == '\\') {
                return i;
            }
        }
        return to;
    }

    /** The index of the first newline in {@code b[from, to)}, or {@code -1} when there is none. */
    static int indexOfNewline(byte[] b, int from, int to) {
        int i = from;
        for (; i + 8 <= to; i += 8) {
            long hits = zeroBytes((long) LONGS.get(b, i) ^ NEWLINES);
            if (hits != 0) {
                return i + (Long.numberOfTrailingZeros(hits) >>> 3);
            }
        }
        for (; i < to; i++) {
            if (b[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    /** True when every byte of {@code b[from, to)} is {@code 0-9} or {@code a-f}. */
    static boolean isLowerHex(byte[] b, int from, int to) {
        int i = from;
        for (; i + 8 <= to; i += 8) {
            long w = (long) LONGS.get(b, i);
            if ((w & HIGHS) != 0) {
                return false;
            }
            // Each byte is below 0x80, so adding at most 0x50 never carries into the next byte: bit 7 of a byte of
            // (w + k) says whether that byte is >= 0x80 - k.
            long atLeast0 = w + ONES * (0x80 - '0');
            long above9 = w + ONES * (0x80 - '9' - 1);
            long atLeastA = w + ONES * (0x80 - 'a');
            long aboveF = w + ONES * (0x80 - 'f' - 1);
            long ok = ((atLeast0 & ~above9) | (atLeastA & ~aboveF)) & HIGHS;
            if (ok != HIGHS) {
                return false;
            }
        }
        for (; i < to; i++) {
            byte c = b[i];
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
                return false;
            }
        }
        return true;
    }
}
