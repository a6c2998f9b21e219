package io.vigil.ledger.checkpoint;

import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;

/**
 * One signature line of a signed note: the key name, the 32-bit key ID and the signature bytes (for Ed25519, the 64
 * bytes of RFC 8032). Unverified by itself; see {@link SignedNote#verifiedBy(VerifierKey)}.
 *
 * @param name  the signing key's name
 * @param keyId the signing key's ID
 * @param sig   the signature, without the key ID (copied in and out)
 */
public record NoteSignature(String name, int keyId, byte[] sig) {
    /**
     * @throws IllegalArgumentException if the name is not a valid key name or the signature is empty
     */
    public NoteSignature {
        String problem = NoteText.nameProblem(name);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        Objects.requireNonNull(sig, "sig");
        if (sig.length == 0) {
            throw new IllegalArgumentException("a signature must not be empty");
        }
        sig = sig.clone();
    }

    /** A copy of the signature bytes. */
    @Override
    public byte[] sig() {
        return sig.clone();
    }

    /** The key ID as 8 lowercase hex digits. */
    public String keyIdHex() {
        return Ed25519.hex(keyId);
    }

    /** Whether this signature claims to be by {@code key}: the same name and key ID. */
    public boolean isBy(VerifierKey key) {
        return name.equals(key.name()) && keyId == key.keyId();
    }

    /** The signature line, {@code — <name> <base64(keyId || sig)>\n}. */
    String line() {
        byte[] b = new byte[4 + sig.length];
        b[0] = (byte) (keyId >>> 24);
        b[1] = (byte) (keyId >>> 16);
        b[2] = (byte) (keyId >>> 8);
        b[3] = (byte) keyId;
        System.arraycopy(sig, 0, b, 4, sig.length);
        return NoteText.SIGNATURE_PREFIX + name + " " + Base64.getEncoder().encodeToString(b) + "\n";
    }

    /** Compares signature bytes by content, which the generated record equality would not. */
    @Override
    public boolean equals(Object o) {
        return o instanceof NoteSignature s && name.equals(s.name) && keyId == s.keyId && Arrays.equals(sig, s.sig);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, keyId, Arrays.hashCode(sig));
    }

    @Override
    public String toString() {
        return "NoteSignature[" + name + "+" + keyIdHex() + ", " + Base64.getEncoder().encodeToString(sig) + "]";
    }
}
