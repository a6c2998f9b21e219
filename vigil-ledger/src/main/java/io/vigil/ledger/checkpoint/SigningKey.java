package io.vigil.ledger.checkpoint;

import java.security.PrivateKey;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;

/**
 * An Ed25519 note signing key: a name and a 32-byte private seed, with its {@link VerifierKey}. Thread-safe.
 *
 * <p>String form (as in {@code golang.org/x/mod/sumdb/note}): {@code PRIVATE+KEY+<name>+<key ID, 8 hex
 * digits>+<base64(0x01 || 32-byte seed)>}. That string is the secret: store it with {@link KeyFiles}. Neither
 * {@link #toString()} nor any exception message ever shows it.
 */
public final class SigningKey {
    private static final String PREFIX = "PRIVATE+KEY+";
    private static final String FORM =
            "a signer key has the form PRIVATE+KEY+<name>+<8 hex digit key ID>+<base64 key>";

    private final byte[] seed;
    private final PrivateKey privateKey;
    private final VerifierKey verifierKey;

    private SigningKey(String name, byte[] seed, byte[] publicKey) {
        this.seed = seed.clone();
        this.privateKey = Ed25519.privateKey(seed);
        this.verifierKey = VerifierKey.of(name, publicKey);
    }

    /**
     * A new random key (from the JDK's default {@code SecureRandom}).
     *
     * @param name the key name, conventionally the log's origin, e.g. {@code example.com/audit}; non-empty, without
     *             spaces or '+'
     * @throws IllegalArgumentException if the name is not a valid key name
     */
    public static SigningKey generate(String name) {
        String problem = NoteText.nameProblem(name);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        byte[][] pair = Ed25519.generate();
        try {
            return new SigningKey(name, pair[0], pair[1]);
        } finally {
            Arrays.fill(pair[0], (byte) 0);
        }
    }

    /**
     * The key with this 32-byte Ed25519 seed (RFC 8032 private key). For reproducible keys in demos and test
     * vectors; a real key should come from {@link #generate}.
     *
     * @throws IllegalArgumentException if the name is not a valid key name or the seed is not 32 bytes
     */
    public static SigningKey fromSeed(String name, byte[] seed) {
        String problem = NoteText.nameProblem(name);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        if (seed.length != Ed25519.KEY_BYTES) {
            throw new IllegalArgumentException("an Ed25519 seed is " + Ed25519.KEY_BYTES + " bytes, not " + seed.length);
        }
        byte[] copy = seed.clone();
        return new SigningKey(name, copy, Ed25519.publicKeyFromSeed(copy));
    }

    /**
     * Parses a signer key string. Strict: the key ID must match the name and the key derived from the seed, the key
     * type must be Ed25519 (0x01) and the base64 canonical.
     *
     * @throws NoteFormatException saying what is wrong, without repeating any part of the secret
     */
    public static SigningKey parse(String s) {
        Objects.requireNonNull(s, "signer key");
        if (!s.startsWith(PREFIX)) {
            throw new NoteFormatException(FORM + "; it does not start with PRIVATE+KEY+");
        }
        int nameEnd = s.indexOf('+', PREFIX.length());
        if (nameEnd < 0) {
            throw new NoteFormatException(FORM + "; the key ID and key are missing");
        }
        String name = s.substring(PREFIX.length(), nameEnd);
        String problem = NoteText.nameProblem(name);
        if (problem != null) {
            throw new NoteFormatException("bad signer key: " + problem);
        }
        int idEnd = s.indexOf('+', nameEnd + 1);
        if (idEnd < 0) {
            throw new NoteFormatException(FORM + "; the key is missing");
        }
        int declaredId = VerifierKey.parseKeyId(s.substring(nameEnd + 1, idEnd), "signer");
        byte[] key = NoteText.decodeCanonicalBase64(s.substring(idEnd + 1));
        if (key == null) {
            throw new NoteFormatException("bad signer key " + name + ": the key is not canonical base64");
        }
        try {
            if (key.length == 0 || key[0] != Ed25519.SIGNATURE_TYPE) {
                throw new NoteFormatException("bad signer key " + name + ": unsupported key type"
                        + (key.length == 0 ? " (empty key)" : String.format(" 0x%02x", key[0] & 0xff))
                        + "; only Ed25519 (0x01) is supported");
            }
            if (key.length != 1 + Ed25519.KEY_BYTES) {
                throw new NoteFormatException("bad signer key " + name + ": an Ed25519 seed is " + Ed25519.KEY_BYTES
                        + " bytes after the type byte, not " + (key.length - 1));
            }
            byte[] seed = Arrays.copyOfRange(key, 1, key.length);
            try {
                SigningKey k = new SigningKey(name, seed, Ed25519.publicKeyFromSeed(seed));
                if (k.verifierKey.keyId() != declaredId) {
                    // The key ID is derived from public data, so both values may be shown.
                    throw new NoteFormatException("bad signer key " + name + ": key ID " + Ed25519.hex(declaredId)
                            + " does not match the name and key (which give " + k.verifierKey.keyIdHex() + ")");
                }
                return k;
            } finally {
                Arrays.fill(seed, (byte) 0);
            }
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }

    /** The signer key string. Secret: write it only where {@link KeyFiles} would. */
    public String encode() {
        byte[] typed = new byte[1 + seed.length];
        typed[0] = Ed25519.SIGNATURE_TYPE;
        System.arraycopy(seed, 0, typed, 1, seed.length);
        try {
            return PREFIX + name() + "+" + verifierKey.keyIdHex() + "+" + Base64.getEncoder().encodeToString(typed);
        } finally {
            Arrays.fill(typed, (byte) 0);
        }
    }

    /** The public half, to hand to whoever verifies this key's checkpoints. */
    public VerifierKey verifierKey() {
        return verifierKey;
    }

    /** The raw 64-byte Ed25519 signature of {@code message} (RFC 8032; deterministic). */
    public byte[] sign(byte[] message) {
        return Ed25519.sign(privateKey, message);
    }

    /** The key name. */
    public String name() {
        return verifierKey.name();
    }

    /** The 32-bit key ID, as in {@link VerifierKey#keyId()}. */
    public int keyId() {
        return verifierKey.keyId();
    }

    /** Shows the name and key ID only; never the seed. */
    @Override
    public String toString() {
        return "SigningKey[" + name() + "+" + verifierKey.keyIdHex() + "]";
    }
}
