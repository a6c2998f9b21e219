package io.vigil.ledger;

import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;

/** A 32-byte SHA-256 (or HMAC-SHA256) value: entry hashes, Merkle nodes, roots. Immutable. */
public final class Hash {
    /** Length in bytes. */
    public static final int LENGTH = 32;
    private static final HexFormat HEX = HexFormat.of();

    private final byte[] bytes;

    private Hash(byte[] bytes) {
        this.bytes = bytes;
    }

    /** A hash from exactly 32 bytes (copied). */
    public static Hash of(byte[] bytes) {
        if (bytes.length != LENGTH) {
            throw new IllegalArgumentException("a hash is " + LENGTH + " bytes, not " + bytes.length);
        }
        return new Hash(bytes.clone());
    }

    /** Wraps 32 bytes the caller will never change again; for hot paths that just produced them. */
    public static Hash wrap(byte[] bytes) {
        if (bytes.length != LENGTH) {
            throw new IllegalArgumentException("a hash is " + LENGTH + " bytes, not " + bytes.length);
        }
        return new Hash(bytes);
    }

    /** Parses 64 lowercase or uppercase hex digits. */
    public static Hash fromHex(String hex) {
        if (hex.length() != 2 * LENGTH) {
            throw new IllegalArgumentException("a hash is " + 2 * LENGTH + " hex digits, not " + hex.length());
        }
        try {
            return new Hash(HEX.parseHex(hex));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + hex + "' is not hex: " + e.getMessage(), e);
        }
    }

    /** Parses standard base64 of 32 bytes. */
    public static Hash fromBase64(String b64) {
        byte[] b;
        try {
            b = Base64.getDecoder().decode(b64);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + b64 + "' is not base64: " + e.getMessage(), e);
        }
        return of(b);
    }

    /** A copy of the bytes. */
    public byte[] bytes() {
        return bytes.clone();
    }

    /** Writes the 32 bytes into {@code out} at {@code offset}. */
    public void copyTo(byte[] out, int offset) {
        System.arraycopy(bytes, 0, out, offset, LENGTH);
    }

    /** Lowercase hex, 64 characters. */
    public String hex() {
        return HEX.formatHex(bytes);
    }

    /** Standard base64 with padding. */
    public String base64() {
        return Base64.getEncoder().encodeToString(bytes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Hash h && Arrays.equals(bytes, h.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return hex();
    }
}
