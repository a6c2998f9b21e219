package io.vigil.server.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * API key secrets: {@code vk_<id>_<secret>}, where the id is 12 random lowercase base32 characters and the secret 32
 * random bytes in base64url without padding (43 characters).
 *
 * <p>Only the SHA-256 hash of the whole string is stored. A fast hash is enough here, unlike for passwords: with 256
 * random bits there is nothing to guess, so a slow hash (bcrypt, Argon2) would only cost every request time and buy
 * nothing against someone holding the file.
 */
public final class Secrets {
    /** The bytes of a stored hash. */
    public static final int HASH_BYTES = 32;
    private static final String PREFIX = "vk_";
    private static final int ID_CHARS = 12;
    private static final int SECRET_BYTES = 32;
    private static final char[] BASE32 = "abcdefghijklmnopqrstuvwxyz234567".toCharArray();
    /** Longer than any key; anything longer is refused before any work is done on it. */
    private static final int MAX_PRESENTED = 96;
    private static final Pattern PRESENTED = Pattern.compile("vk_([a-z0-9]{4,32})_[A-Za-z0-9_-]{43}");
    private static final SecureRandom RANDOM = new SecureRandom();

    private Secrets() {
    }

    /** A new random key id. */
    public static String newId() {
        byte[] b = new byte[ID_CHARS];
        RANDOM.nextBytes(b);
        char[] c = new char[ID_CHARS];
        for (int i = 0; i < ID_CHARS; i++) {
            c[i] = BASE32[b[i] & 31];
        }
        return new String(c);
    }

    /** A new secret for the key {@code id}. */
    public static String newSecret(String id) {
        byte[] b = new byte[SECRET_BYTES];
        RANDOM.nextBytes(b);
        return PREFIX + id + "_" + Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    /** The id a presented secret names, when it has the form of a key; empty otherwise. */
    public static Optional<String> idOf(String presented) {
        if (presented.length() > MAX_PRESENTED) {
            return Optional.empty();
        }
        Matcher m = PRESENTED.matcher(presented);
        return m.matches() ? Optional.of(m.group(1)) : Optional.empty();
    }

    /** SHA-256 of the secret's UTF-8 bytes. */
    public static byte[] hash(String secret) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
