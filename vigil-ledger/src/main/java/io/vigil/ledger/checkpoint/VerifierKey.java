package io.vigil.ledger.checkpoint;

import java.security.PublicKey;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;

/**
 * The public half of a note signing key: a name, a 32-bit key ID and an Ed25519 public key. Immutable and safe to
 * share; its {@link #encode() string form} is what operators put in configuration to say which key they trust.
 *
 * <p>String form (as in {@code golang.org/x/mod/sumdb/note}): {@code <name>+<key ID, 8 hex digits>+<base64(0x01 ||
 * 32-byte public key)>}, e.g. {@code PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW}.
 */
public final class VerifierKey {
    private final String name;
    private final int keyId;
    private final byte[] rawKey;
    private final PublicKey publicKey;

    private VerifierKey(String name, byte[] rawKey) {
        this.name = name;
        this.rawKey = rawKey.clone();
        this.keyId = Ed25519.keyId(name, rawKey);
        this.publicKey = Ed25519.publicKey(rawKey);
    }

    /**
     * The verifier key for a name and a raw 32-byte Ed25519 public key (RFC 8032 encoding).
     *
     * @throws IllegalArgumentException if the name is not a valid key name or the key is not 32 bytes
     */
    public static VerifierKey of(String name, byte[] publicKey) {
        String problem = NoteText.nameProblem(name);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        if (publicKey.length != Ed25519.KEY_BYTES) {
            throw new IllegalArgumentException(
                    "an Ed25519 public key is " + Ed25519.KEY_BYTES + " bytes, not " + publicKey.length);
        }
        return new VerifierKey(name, publicKey);
    }

    /**
     * Parses a verifier key string. Strict: the key ID must match the name and key, the key type must be Ed25519
     * (0x01) and the base64 must be canonical.
     *
     * @throws NoteFormatException saying what is wrong
     */
    public static VerifierKey parse(String s) {
        Objects.requireNonNull(s, "verifier key");
        String form = "a verifier key has the form <name>+<8 hex digit key ID>+<base64 key>";
        int plus1 = s.indexOf('+');
        if (plus1 < 0) {
            throw new NoteFormatException(form + "; no '+' found");
        }
        String name = s.substring(0, plus1);
        String problem = NoteText.nameProblem(name);
        if (problem != null) {
            throw new NoteFormatException("bad verifier key: " + problem);
        }
        int plus2 = s.indexOf('+', plus1 + 1);
        if (plus2 < 0) {
            throw new NoteFormatException(form + "; only one '+' found");
        }
        int declaredId = parseKeyId(s.substring(plus1 + 1, plus2), "verifier");
        byte[] key = NoteText.decodeCanonicalBase64(s.substring(plus2 + 1));
        if (key == null) {
            throw new NoteFormatException("bad verifier key " + name + ": the key is not canonical base64");
        }
        if (key.length == 0 || key[0] != Ed25519.SIGNATURE_TYPE) {
            throw new NoteFormatException("bad verifier key " + name + ": unsupported key type "
                    + (key.length == 0 ? "(empty key)" : String.format("0x%02x", key[0] & 0xff))
                    + "; only Ed25519 (0x01) is supported");
        }
        if (key.length != 1 + Ed25519.KEY_BYTES) {
            throw new NoteFormatException("bad verifier key " + name + ": an Ed25519 key is " + Ed25519.KEY_BYTES
                    + " bytes after the type byte, not " + (key.length - 1));
        }
        VerifierKey v = new VerifierKey(name, Arrays.copyOfRange(key, 1, key.length));
        if (v.keyId != declaredId) {
            throw new NoteFormatException("bad verifier key " + name + ": key ID " + Ed25519.hex(declaredId)
                    + " does not match the name and key (which give " + v.keyIdHex() + ")");
        }
        return v;
    }

    /** Parses the 8 hex digits of a key ID as it appears in a key string. */
    static int parseKeyId(String hex, String kind) {
        if (hex.length() != 8) {
            throw new NoteFormatException("bad " + kind + " key: the key ID must be 8 hex digits, not "
                    + hex.length() + " characters");
        }
        for (int i = 0; i < hex.length(); i++) {
            char c = hex.charAt(i);
            // ASCII only: Character.digit would also accept other scripts' digits.
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F')) {
                throw new NoteFormatException("bad " + kind + " key: the key ID must be 8 hex digits");
            }
        }
        return (int) Long.parseLong(hex, 16);
    }

    /** The verifier key string, {@code <name>+<keyId hex>+<base64(0x01 || key)>}. */
    public String encode() {
        byte[] typed = new byte[1 + rawKey.length];
        typed[0] = Ed25519.SIGNATURE_TYPE;
        System.arraycopy(rawKey, 0, typed, 1, rawKey.length);
        return name + "+" + keyIdHex() + "+" + Base64.getEncoder().encodeToString(typed);
    }

    /**
     * Whether {@code signature} (the raw 64-byte Ed25519 signature, without the key ID) is this key's signature of
     * {@code message}. Malformed signatures are reported as invalid, not thrown.
     */
    public boolean verify(byte[] message, byte[] signature) {
        return Ed25519.verify(publicKey, message, signature);
    }

    /** The key name, e.g. the log's origin. */
    public String name() {
        return name;
    }

    /** The 32-bit key ID: the first four bytes (big-endian) of SHA-256(name || 0x0A || 0x01 || public key). */
    public int keyId() {
        return keyId;
    }

    /** The key ID as 8 lowercase hex digits. */
    public String keyIdHex() {
        return Ed25519.hex(keyId);
    }

    /** The JDK public key, for use with {@code java.security} APIs. */
    public PublicKey publicKey() {
        return publicKey;
    }

    /** A copy of the raw 32-byte Ed25519 public key. */
    public byte[] publicKeyBytes() {
        return rawKey.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof VerifierKey v && name.equals(v.name) && Arrays.equals(rawKey, v.rawKey);
    }

    @Override
    public int hashCode() {
        return 31 * name.hashCode() + Arrays.hashCode(rawKey);
    }

    /** The verifier key string; it holds nothing secret. */
    @Override
    public String toString() {
        return encode();
    }
}
