package io.vigil.ledger.checkpoint;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.SignatureException;
import java.security.interfaces.EdECPrivateKey;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.NamedParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * Raw Ed25519 (RFC 8032) on top of the JDK provider. Notes carry keys as raw bytes (32-byte seed, 32-byte public key)
 * while the JDK works with {@link PrivateKey}/{@link PublicKey} objects; this class converts between the two.
 *
 * <p>Conversion goes through the DER encodings of RFC 8410 (PKCS#8 for the private key, X.509 SubjectPublicKeyInfo for
 * the public key). For Ed25519 both are a constant prefix followed by the raw 32 bytes, so building them is exact and
 * lets the provider decode the key. The alternative, {@code EdECPublicKeySpec}, would need the point decoded by hand
 * (little-endian y with the top bit as the sign of x), which is easy to get subtly wrong.
 */
final class Ed25519 {
    /** Seed and public key length in bytes. */
    static final int KEY_BYTES = 32;
    /** Signature length in bytes. */
    static final int SIGNATURE_BYTES = 64;
    /** The C2SP signed-note signature type for Ed25519. */
    static final byte SIGNATURE_TYPE = 0x01;

    private static final String ALGORITHM = "Ed25519";
    // PrivateKeyInfo { version 0, AlgorithmIdentifier { 1.3.101.112 }, OCTET STRING { OCTET STRING (32) } }
    private static final byte[] PKCS8_PREFIX = HexFormat.of().parseHex("302e020100300506032b657004220420");
    // SubjectPublicKeyInfo { AlgorithmIdentifier { 1.3.101.112 }, BIT STRING (0 unused bits, 32 bytes) }
    private static final byte[] X509_PREFIX = HexFormat.of().parseHex("302a300506032b6570032100");

    private Ed25519() {
    }

    /** A JDK private key for a 32-byte seed. */
    static PrivateKey privateKey(byte[] seed) {
        checkLength(seed, "seed");
        byte[] der = concat(PKCS8_PREFIX, seed);
        try {
            return keyFactory().generatePrivate(new PKCS8EncodedKeySpec(der));
        } catch (InvalidKeySpecException e) {
            throw new IllegalStateException("the Java provider refused an Ed25519 seed", e);
        } finally {
            Arrays.fill(der, (byte) 0);
        }
    }

    /** A JDK public key for 32 raw public key bytes. */
    static PublicKey publicKey(byte[] raw) {
        checkLength(raw, "public key");
        try {
            return keyFactory().generatePublic(new X509EncodedKeySpec(concat(X509_PREFIX, raw)));
        } catch (InvalidKeySpecException e) {
            throw new IllegalArgumentException("not an Ed25519 public key: " + e.getMessage(), e);
        }
    }

    /** The raw 32 bytes of an Ed25519 public key, read back out of its X.509 encoding. */
    static byte[] rawPublicKey(PublicKey key) {
        byte[] der = key.getEncoded();
        if (der == null || der.length != X509_PREFIX.length + KEY_BYTES
                || !Arrays.equals(der, 0, X509_PREFIX.length, X509_PREFIX, 0, X509_PREFIX.length)) {
            throw new IllegalArgumentException("not an Ed25519 public key (algorithm " + key.getAlgorithm() + ")");
        }
        return Arrays.copyOfRange(der, X509_PREFIX.length, der.length);
    }

    /** A fresh key pair; returns {seed, public key}. */
    static byte[][] generate() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance(ALGORITHM);
            KeyPair pair = generator.generateKeyPair();
            return new byte[][] {seedOf(pair.getPrivate()), rawPublicKey(pair.getPublic())};
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this Java runtime has no Ed25519", e);
        }
    }

    /**
     * The public key belonging to a seed. The JDK has no public API for this derivation, so the seed is handed to the
     * provider's key pair generator as its randomness: Ed25519 key generation is "draw 32 random bytes, derive the
     * public key". Because that relies on how the provider consumes randomness, the result is checked: the generated
     * private key must be our seed, and a signature made with the seed must verify under the derived public key.
     */
    static byte[] publicKeyFromSeed(byte[] seed) {
        checkLength(seed, "seed");
        KeyPair pair;
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance(ALGORITHM);
            generator.initialize(NamedParameterSpec.ED25519, new SeedRandom(seed));
            pair = generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot derive an Ed25519 public key: " + e.getMessage(), e);
        }
        byte[] drawn = seedOf(pair.getPrivate());
        boolean sameSeed = MessageDigest.isEqual(drawn, seed);
        Arrays.fill(drawn, (byte) 0);
        byte[] pub = rawPublicKey(pair.getPublic());
        byte[] probe = "vigil ed25519 key derivation check".getBytes(StandardCharsets.US_ASCII);
        if (!sameSeed || !verify(publicKey(pub), probe, sign(privateKey(seed), probe))) {
            throw new IllegalStateException("the Java Ed25519 provider did not derive the public key from the seed");
        }
        return pub;
    }

    private static byte[] seedOf(PrivateKey key) {
        if (key instanceof EdECPrivateKey ed) {
            byte[] seed = ed.getBytes().orElseThrow(() -> new IllegalStateException("Ed25519 seed not extractable"));
            checkLength(seed, "seed");
            return seed;
        }
        throw new IllegalStateException("unexpected private key type " + key.getClass().getName());
    }

    /** An Ed25519 signature (64 bytes) of {@code message}. Deterministic, as RFC 8032 requires. */
    static byte[] sign(PrivateKey key, byte[] message) {
        try {
            Signature s = Signature.getInstance(ALGORITHM);
            s.initSign(key);
            s.update(message);
            return s.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 signing failed: " + e.getMessage(), e);
        }
    }

    /** Whether {@code signature} is a valid signature of {@code message}; malformed signatures are simply invalid. */
    static boolean verify(PublicKey key, byte[] message, byte[] signature) {
        if (signature == null || signature.length != SIGNATURE_BYTES) {
            return false;
        }
        try {
            Signature s = Signature.getInstance(ALGORITHM);
            s.initVerify(key);
            s.update(message);
            return s.verify(signature);
        } catch (SignatureException | InvalidKeyException e) {
            // The provider throws for encodings it cannot decode (a point off the curve, S out of range): those are
            // signatures that do not verify, not errors of the caller.
            return false;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this Java runtime has no Ed25519", e);
        }
    }

    /** The C2SP key ID: the first four bytes, big-endian, of SHA-256(name || 0x0A || 0x01 || public key). */
    static int keyId(String name, byte[] rawPublicKey) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(name.getBytes(StandardCharsets.UTF_8));
            sha.update((byte) '\n');
            sha.update(SIGNATURE_TYPE);
            sha.update(rawPublicKey);
            byte[] d = sha.digest();
            return ((d[0] & 0xff) << 24) | ((d[1] & 0xff) << 16) | ((d[2] & 0xff) << 8) | (d[3] & 0xff);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this Java runtime has no SHA-256", e);
        }
    }

    /** Eight lowercase hex digits, as key strings and messages spell key IDs. */
    static String hex(int keyId) {
        return String.format("%08x", keyId);
    }

    private static KeyFactory keyFactory() {
        try {
            return KeyFactory.getInstance(ALGORITHM);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this Java runtime has no Ed25519", e);
        }
    }

    private static void checkLength(byte[] b, String what) {
        if (b.length != KEY_BYTES) {
            throw new IllegalArgumentException("an Ed25519 " + what + " is " + KEY_BYTES + " bytes, not " + b.length);
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /** "Randomness" that yields one given seed, once; anything else the generator asks for is a failure. */
    private static final class SeedRandom extends SecureRandom {
        private static final long serialVersionUID = 1L;
        private transient byte[] seed;

        SeedRandom(byte[] seed) {
            this.seed = seed.clone();
        }

        @Override
        public synchronized void nextBytes(byte[] bytes) {
            if (seed == null || bytes.length != seed.length) {
                throw new IllegalStateException("unexpected request for " + bytes.length + " random bytes");
            }
            System.arraycopy(seed, 0, bytes, 0, seed.length);
            Arrays.fill(seed, (byte) 0);
            seed = null;
        }
    }
}
