package io.vigil.ledger.merkle;

import io.vigil.ledger.Hash;

import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Objects;

/**
 * The RFC 6962 hash functions: leaf hash {@code SHA-256(0x00 || data)}, interior node hash
 * {@code SHA-256(0x01 || left || right)} and the empty tree's root {@code SHA-256()}.
 *
 * <p>The distinct one-byte prefixes keep a leaf from ever being passed off as an interior node (second-preimage
 * protection). Digests are reused per thread, since creating a {@link MessageDigest} costs more than hashing
 * 65 bytes.
 */
public final class MerkleHashes {
    private static final byte LEAF_PREFIX = 0x00;
    private static final byte NODE_PREFIX = 0x01;

    /** A digest plus the 65-byte scratch buffer for node hashing, one pair per thread. */
    private static final class State {
        final MessageDigest sha256 = newSha256();
        final byte[] node = new byte[1 + 2 * Hash.LENGTH];

        State() {
            node[0] = NODE_PREFIX;
        }
    }

    private static final ThreadLocal<State> STATE = ThreadLocal.withInitial(State::new);
    private static final Hash EMPTY_ROOT = Hash.wrap(newSha256().digest());

    private MerkleHashes() {}

    /** {@code SHA-256(0x00 || data)}: the RFC 6962 leaf hash, and Vigil's entry hash of canonical bytes. */
    public static Hash leafHash(byte[] data) {
        return leafHash(data, 0, data.length);
    }

    /** {@code SHA-256(0x00 || buf[off..off+len))}, for callers that hold the leaf inside a larger buffer. */
    public static Hash leafHash(byte[] buf, int off, int len) {
        Objects.checkFromIndexSize(off, len, buf.length);
        MessageDigest md = STATE.get().sha256;
        md.update(LEAF_PREFIX);
        md.update(buf, off, len);
        return Hash.wrap(md.digest());
    }

    /** {@code SHA-256(0x01 || left || right)}: the hash of an interior node from its two children. */
    public static Hash nodeHash(Hash left, Hash right) {
        State s = STATE.get();
        left.copyTo(s.node, 1);
        right.copyTo(s.node, 1 + Hash.LENGTH);
        return Hash.wrap(s.sha256.digest(s.node));
    }

    /**
     * The root of the perfect subtree over {@code count} leaf hashes (a power of two) stored back to back from
     * {@code leaves[off]}; the array is not changed.
     */
    public static Hash subtreeRoot(byte[] leaves, int off, int count) {
        if (count <= 0 || Integer.bitCount(count) != 1) {
            throw new IllegalArgumentException("a perfect subtree has a power of two leaves, not " + count);
        }
        Objects.checkFromIndexSize(off, count * Hash.LENGTH, leaves.length);
        byte[] level = Arrays.copyOfRange(leaves, off, off + count * Hash.LENGTH);
        MessageDigest md = STATE.get().sha256;
        try {
            // In place: node i of the next level overwrites bytes that its own children (at 2i, 2i+1) already gave.
            for (int n = count; n > 1; n >>= 1) {
                for (int i = 0; i < n / 2; i++) {
                    md.update(NODE_PREFIX);
                    md.update(level, 2 * i * Hash.LENGTH, 2 * Hash.LENGTH);
                    md.digest(level, i * Hash.LENGTH, Hash.LENGTH);
                }
            }
        } catch (DigestException e) {
            throw new IllegalStateException("SHA-256 did not fit its 32-byte output", e);
        }
        return Hash.wrap(Arrays.copyOf(level, Hash.LENGTH));
    }

    /** The root of the tree of no leaves: SHA-256 of empty input ({@code e3b0c442…b855}). */
    public static Hash emptyRoot() {
        return EMPTY_ROOT;
    }

    private static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform must provide SHA-256", e);
        }
    }
}
