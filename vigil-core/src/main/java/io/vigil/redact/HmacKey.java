package io.vigil.redact;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;

/**
 * A secret key for keyed pseudonymisation (HMAC-SHA256) of detail values that must stay correlatable without being
 * readable. Its {@code toString} never shows the key.
 */
public final class HmacKey {
    /** Shortest key accepted, in bytes (RFC 2104 recommends at least the hash output length). */
    public static final int MIN_BYTES = 32;

    private final byte[] key;

    private HmacKey(byte[] key) {
        if (key.length < MIN_BYTES) {
            throw new IllegalArgumentException("HMAC key is " + key.length + " bytes; at least " + MIN_BYTES
                    + " are required");
        }
        this.key = key.clone();
    }

    /** A key from raw bytes (copied). */
    public static HmacKey of(byte[] key) {
        return new HmacKey(key);
    }

    /**
     * A key from a file holding the key as base64 text (whitespace ignored).
     *
     * @throws IOException when the file cannot be read
     * @throws IllegalArgumentException when the content is not base64 or too short
     */
    public static HmacKey fromFile(Path file) throws IOException {
        String text = Files.readString(file).replaceAll("\\s+", "");
        try {
            return new HmacKey(Base64.getDecoder().decode(text));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("HMAC key file " + file + " must hold base64 text: " + e.getMessage(), e);
        }
    }

    /** A copy of the key bytes. */
    public byte[] bytes() {
        return key.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HmacKey other && Arrays.equals(key, other.key);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(key);
    }

    @Override
    public String toString() {
        return "HmacKey[redacted]";
    }
}
