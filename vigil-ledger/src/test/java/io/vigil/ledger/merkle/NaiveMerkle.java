package io.vigil.ledger.merkle;

import io.vigil.ledger.Hash;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A deliberately literal transcription of RFC 6962 §2.1 / RFC 9162 §2.1 (MTH, PATH, PROOF, SUBPROOF) over a list of
 * leaf hashes, with its own SHA-256 calls: the oracle the real implementation is checked against. Slow on purpose:
 * nothing shared with the code under test except the {@link Hash} value type.
 */
public final class NaiveMerkle {
    private NaiveMerkle() {}

    public static Hash sha256(byte prefix, byte[]... parts) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(prefix);
            for (byte[] p : parts) {
                md.update(p);
            }
            return Hash.wrap(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    public static Hash leaf(byte[] data) {
        return sha256((byte) 0, data);
    }

    public static Hash node(Hash l, Hash r) {
        return sha256((byte) 1, l.bytes(), r.bytes());
    }

    /** The largest power of two smaller than n (n > 1). */
    static int k(int n) {
        int k = 1;
        while (k << 1 < n) {
            k <<= 1;
        }
        return k;
    }

    /** MTH(D[n]) where D holds the leaf hashes, so MTH({d}) is d itself. */
    public static Hash mth(List<Hash> d) {
        int n = d.size();
        if (n == 0) {
            try {
                return Hash.wrap(MessageDigest.getInstance("SHA-256").digest());
            } catch (NoSuchAlgorithmException e) {
                throw new AssertionError(e);
            }
        }
        if (n == 1) {
            return d.get(0);
        }
        int k = k(n);
        return node(mth(d.subList(0, k)), mth(d.subList(k, n)));
    }

    /** PATH(m, D[n]). */
    public static List<Hash> path(int m, List<Hash> d) {
        int n = d.size();
        List<Hash> out = new ArrayList<>();
        if (n == 1) {
            return out;
        }
        int k = k(n);
        if (m < k) {
            out.addAll(path(m, d.subList(0, k)));
            out.add(mth(d.subList(k, n)));
        } else {
            out.addAll(path(m - k, d.subList(k, n)));
            out.add(mth(d.subList(0, k)));
        }
        return out;
    }

    /** PROOF(m, D[n]) for 0 < m < n. */
    public static List<Hash> proof(int m, List<Hash> d) {
        return subproof(m, d, true);
    }

    static List<Hash> subproof(int m, List<Hash> d, boolean b) {
        int n = d.size();
        List<Hash> out = new ArrayList<>();
        if (m == n) {
            if (!b) {
                out.add(mth(d));
            }
            return out;
        }
        int k = k(n);
        if (m <= k) {
            out.addAll(subproof(m, d.subList(0, k), b));
            out.add(mth(d.subList(k, n)));
        } else {
            out.addAll(subproof(m - k, d.subList(k, n), false));
            out.add(mth(d.subList(0, k)));
        }
        return out;
    }

    /** {@code n} pseudo-random distinct leaf hashes. */
    public static List<Hash> leaves(int n, long seed) {
        Random r = new Random(seed);
        List<Hash> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            byte[] data = new byte[1 + r.nextInt(40)];
            r.nextBytes(data);
            out.add(leaf(ByteBuffer.allocate(data.length + 4).putInt(i).put(data).array()));
        }
        return out;
    }

    /** A {@link NodeSource} whose every node is the naive MTH of its leaves; counts reads. */
    public static final class Source implements NodeSource {
        private final List<Hash> leaves;
        public int reads;

        public Source(List<Hash> leaves) {
            this.leaves = List.copyOf(leaves);
        }

        @Override
        public long size() {
            return leaves.size();
        }

        @Override
        public Hash node(int level, long index) {
            long first = index << level;
            long end = (index + 1) << level;
            if (level < 0 || level > 62 || index < 0 || end > leaves.size()) {
                throw new IllegalArgumentException("no node (" + level + ", " + index + ") in " + leaves.size());
            }
            reads++;
            return mth(leaves.subList((int) first, (int) end));
        }
    }
}
