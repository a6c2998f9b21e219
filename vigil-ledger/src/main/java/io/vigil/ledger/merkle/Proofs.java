package io.vigil.ledger.merkle;

import io.vigil.ledger.Hash;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * Roots, inclusion proofs and consistency proofs for any tree size a {@link NodeSource} covers, and the RFC 9162
 * verifiers for both kinds of proof.
 *
 * <p>Generation follows RFC 9162's recursive definitions (§2.1.3.1 {@code PATH}, §2.1.4.1 {@code SUBPROOF}),
 * unrolled into loops. Every subtree those definitions name is either perfect, and read as one node, or a right
 * edge {@code [start, end)} whose start is aligned to a power of two at least its length; such an edge is the
 * fold of the perfect pieces given by the binary digits of its length. Each proof therefore costs O(log n) node
 * reads, whatever the tree size.
 */
public final class Proofs {
    private Proofs() {}

    // ---------------------------------------------------------------- generation

    /**
     * The RFC 6962 Merkle Tree Hash of the first {@code size} leaves of {@code src}.
     *
     * @throws IllegalArgumentException if {@code size} is negative or larger than {@code src.size()}
     */
    public static Hash root(NodeSource src, long size) throws IOException {
        checkSize(src, size, "size");
        return size == 0 ? MerkleHashes.emptyRoot() : rangeHash(src, 0, size);
    }

    /**
     * The inclusion proof of leaf {@code leafIndex} in the tree of the first {@code treeSize} leaves.
     *
     * @throws IllegalArgumentException unless {@code 0 <= leafIndex < treeSize <= src.size()}
     */
    public static InclusionProof inclusion(NodeSource src, long leafIndex, long treeSize) throws IOException {
        checkSize(src, treeSize, "tree size");
        if (leafIndex < 0 || leafIndex >= treeSize) {
            throw new IllegalArgumentException(
                    "leaf index " + leafIndex + " is not inside a tree of " + treeSize + " leaves");
        }
        // PATH(m, D[s:s+n]) descends into the half holding the leaf and records the other half's hash; the
        // hashes are collected root side first, so the list is reversed at the end (RFC order is leaf side first).
        List<Hash> rootFirst = new ArrayList<>(64);
        long start = 0;
        long n = treeSize;
        while (n > 1) {
            long k = largestPowerOfTwoBelow(n);
            if (leafIndex < start + k) {
                rootFirst.add(rangeHash(src, start + k, n - k));
                n = k;
            } else {
                rootFirst.add(perfect(src, start, k));
                start += k;
                n -= k;
            }
        }
        Collections.reverse(rootFirst);
        return new InclusionProof(leafIndex, treeSize, rootFirst);
    }

    /**
     * The consistency proof from the tree of the first {@code size1} leaves to the tree of the first {@code size2};
     * empty when {@code size1} is 0 or equals {@code size2}.
     *
     * @throws IllegalArgumentException unless {@code 0 <= size1 <= size2 <= src.size()}
     */
    public static ConsistencyProof consistency(NodeSource src, long size1, long size2) throws IOException {
        checkSize(src, size2, "size2");
        if (size1 < 0 || size1 > size2) {
            throw new IllegalArgumentException("size1 " + size1 + " is not within 0.." + size2);
        }
        if (size1 == 0 || size1 == size2) {
            return new ConsistencyProof(size1, size2, List.of());
        }
        // SUBPROOF(m, D[s:s+n], b): `m` is relative to `start`; `known` is b, "the verifier already has
        // MTH(D[s:s+m])", true only while we follow the old tree's own root down its left spine.
        List<Hash> rootFirst = new ArrayList<>(64);
        long start = 0;
        long n = size2;
        long m = size1;
        boolean known = true;
        while (m != n) {
            long k = largestPowerOfTwoBelow(n);
            if (m <= k) {
                rootFirst.add(rangeHash(src, start + k, n - k));
                n = k;
            } else {
                rootFirst.add(perfect(src, start, k));
                start += k;
                n -= k;
                m -= k;
                known = false;
            }
        }
        if (!known) {
            rootFirst.add(rangeHash(src, start, n));
        }
        Collections.reverse(rootFirst);
        return new ConsistencyProof(size1, size2, rootFirst);
    }

    // ---------------------------------------------------------------- verification

    /**
     * The root that {@code proof} leads to from {@code leafHash} (RFC 9162 §2.1.3.2 steps 1–4), for callers that
     * want to show or look up the root rather than compare it.
     *
     * @throws ProofException if the path has the wrong length for the leaf index and tree size
     */
    public static Hash rootFromInclusion(InclusionProof proof, Hash leafHash) throws ProofException {
        Objects.requireNonNull(proof, "proof");
        Objects.requireNonNull(leafHash, "leafHash");
        int expected = inclusionPathLength(proof.leafIndex(), proof.treeSize());
        if (proof.path().size() != expected) {
            throw new ProofException("the inclusion proof has " + proof.path().size() + " hashes, but leaf "
                    + proof.leafIndex() + " of a tree of " + proof.treeSize() + " leaves needs exactly " + expected);
        }
        long fn = proof.leafIndex();
        long sn = proof.treeSize() - 1;
        Hash r = leafHash;
        for (Hash p : proof.path()) {
            if (sn == 0) {
                throw new ProofException("the inclusion proof has hashes left over after reaching the root");
            }
            if ((fn & 1) == 1 || fn == sn) {
                // p is a left sibling; when fn == sn with fn even, we are the right edge's last node and the levels
                // above where we have no sibling are skipped.
                r = MerkleHashes.nodeHash(p, r);
                if ((fn & 1) == 0) {
                    while ((fn & 1) == 0 && fn != 0) {
                        fn >>>= 1;
                        sn >>>= 1;
                    }
                }
            } else {
                r = MerkleHashes.nodeHash(r, p);
            }
            fn >>>= 1;
            sn >>>= 1;
        }
        if (sn != 0) {
            throw new ProofException("the inclusion proof ends before reaching the root");
        }
        return r;
    }

    /**
     * Verifies that {@code leafHash} is the leaf at {@code proof.leafIndex()} of the tree of
     * {@code proof.treeSize()} leaves whose root is {@code root} (RFC 9162 §2.1.3.2).
     *
     * @throws ProofException saying why the proof does not hold
     */
    public static void verifyInclusion(InclusionProof proof, Hash leafHash, Hash root) throws ProofException {
        Objects.requireNonNull(root, "root");
        Hash computed = rootFromInclusion(proof, leafHash);
        if (!computed.equals(root)) {
            throw new ProofException("leaf " + proof.leafIndex() + " with hash " + leafHash
                    + " is not in the tree of " + proof.treeSize() + " leaves with root " + root
                    + ": the proof leads to root " + computed);
        }
    }

    /**
     * Verifies that the tree of {@code proof.size2()} leaves with root {@code root2} extends the tree of
     * {@code proof.size1()} leaves with root {@code root1} (RFC 9162 §2.1.4.2).
     *
     * <p>The RFC defines proofs for {@code 0 < size1 < size2} only. In the two other cases the proof must be empty
     * and only the roots can be checked: equal sizes must have equal roots, and the tree of no leaves must have
     * the empty root (every tree extends it).
     *
     * @throws ProofException saying why the proof does not hold
     */
    public static void verifyConsistency(ConsistencyProof proof, Hash root1, Hash root2) throws ProofException {
        Objects.requireNonNull(proof, "proof");
        Objects.requireNonNull(root1, "root1");
        Objects.requireNonNull(root2, "root2");
        long first = proof.size1();
        long second = proof.size2();
        List<Hash> path = proof.path();
        if (first == second) {
            if (!path.isEmpty()) {
                throw new ProofException("a consistency proof between equal tree sizes (" + first
                        + ") must be empty, but it has " + path.size() + " hashes");
            }
            if (!root1.equals(root2)) {
                throw new ProofException("two trees of " + first + " leaves have different roots " + root1
                        + " and " + root2 + ": the log forked or was rewritten");
            }
            return;
        }
        if (first == 0) {
            if (!path.isEmpty()) {
                throw new ProofException("a consistency proof from the empty tree must be empty, but it has "
                        + path.size() + " hashes");
            }
            if (!root1.equals(MerkleHashes.emptyRoot())) {
                throw new ProofException("root1 " + root1 + " is not the root of the empty tree ("
                        + MerkleHashes.emptyRoot() + ")");
            }
            return;
        }
        int expected = consistencyPathLength(first, second);
        if (path.size() != expected) {
            throw new ProofException("the consistency proof has " + path.size() + " hashes, but from " + first
                    + " to " + second + " leaves it needs exactly " + expected);
        }

        // Step 2: when the old tree is perfect, its root is itself a node of the new tree and the proof omits it.
        List<Hash> p = path;
        if ((first & (first - 1)) == 0) {
            p = new ArrayList<>(path.size() + 1);
            p.add(root1);
            p.addAll(path);
        }
        // Steps 3–4: start at the old tree's last leaf, climbing past the levels where it is a right child whose
        // whole subtree is inside the old tree (those are covered by the first hash).
        long fn = first - 1;
        long sn = second - 1;
        while ((fn & 1) == 1) {
            fn >>>= 1;
            sn >>>= 1;
        }
        // Steps 5–6: fr rebuilds the old root from the left siblings only; sr rebuilds the new root from all.
        Hash fr = p.get(0);
        Hash sr = p.get(0);
        for (int i = 1; i < p.size(); i++) {
            Hash c = p.get(i);
            if (sn == 0) {
                throw new ProofException("the consistency proof has hashes left over after reaching the root");
            }
            if ((fn & 1) == 1 || fn == sn) {
                fr = MerkleHashes.nodeHash(c, fr);
                sr = MerkleHashes.nodeHash(c, sr);
                if ((fn & 1) == 0) {
                    while ((fn & 1) == 0 && fn != 0) {
                        fn >>>= 1;
                        sn >>>= 1;
                    }
                }
            } else {
                sr = MerkleHashes.nodeHash(sr, c);
            }
            fn >>>= 1;
            sn >>>= 1;
        }
        // Step 7.
        if (sn != 0) {
            throw new ProofException("the consistency proof ends before reaching the root");
        }
        if (!fr.equals(root1)) {
            throw new ProofException("the consistency proof does not lead to root1: it gives " + fr + " for the "
                    + first + "-leaf tree, expected " + root1);
        }
        if (!sr.equals(root2)) {
            throw new ProofException("the tree of " + second + " leaves with root " + root2
                    + " does not extend the tree of " + first + " leaves with root " + root1
                    + ": the proof gives " + sr);
        }
    }

    // ---------------------------------------------------------------- helpers

    /**
     * The number of hashes an inclusion proof has: the verifier's loop without the hashing, run until it reaches
     * the root. Checked up front so that a wrong length gets a plain message instead of a root mismatch.
     */
    static int inclusionPathLength(long leafIndex, long treeSize) {
        long fn = leafIndex;
        long sn = treeSize - 1;
        int count = 0;
        while (sn != 0) {
            if ((fn & 1) == 0 && fn == sn) {
                while ((fn & 1) == 0 && fn != 0) {
                    fn >>>= 1;
                    sn >>>= 1;
                }
            }
            fn >>>= 1;
            sn >>>= 1;
            count++;
        }
        return count;
    }

    /** The number of hashes a consistency proof for {@code 0 < first < second} has, likewise. */
    static int consistencyPathLength(long first, long second) {
        long fn = first - 1;
        long sn = second - 1;
        while ((fn & 1) == 1) {
            fn >>>= 1;
            sn >>>= 1;
        }
        int count = 1; // the seed value of fr and sr
        while (sn != 0) {
            if ((fn & 1) == 0 && fn == sn) {
                while ((fn & 1) == 0 && fn != 0) {
                    fn >>>= 1;
                    sn >>>= 1;
                }
            }
            fn >>>= 1;
            sn >>>= 1;
            count++;
        }
        boolean seedIsOldRoot = (first & (first - 1)) == 0;
        return seedIsOldRoot ? count - 1 : count;
    }

    /** The largest power of two strictly below {@code n} (n ≥ 2): RFC 9162's split point k. */
    private static long largestPowerOfTwoBelow(long n) {
        return Long.highestOneBit(n - 1);
    }

    /** The perfect subtree of {@code k} (a power of two) leaves starting at leaf {@code start}. */
    private static Hash perfect(NodeSource src, long start, long k) throws IOException {
        int level = Long.numberOfTrailingZeros(k);
        return src.node(level, start >>> level);
    }

    /**
     * MTH of leaves {@code [start, start+len)}, where {@code start} is a multiple of a power of two ≥ {@code len}
     * (true of every subtree RFC 9162's recursions visit). Its RFC shape is the largest perfect piece on the left
     * and the rest, recursively, on the right; so it is the right fold of the pieces given by the binary digits of
     * {@code len}, largest first, each of them an aligned perfect node.
     */
    private static Hash rangeHash(NodeSource src, long start, long len) throws IOException {
        Hash[] pieces = new Hash[Long.bitCount(len)];
        int count = 0;
        long cursor = start;
        for (int level = 63 - Long.numberOfLeadingZeros(len); level >= 0; level--) {
            if ((len & (1L << level)) != 0) {
                pieces[count++] = src.node(level, cursor >>> level);
                cursor += 1L << level;
            }
        }
        Hash acc = pieces[count - 1];
        for (int i = count - 2; i >= 0; i--) {
            acc = MerkleHashes.nodeHash(pieces[i], acc);
        }
        return acc;
    }

    private static void checkSize(NodeSource src, long size, String what) throws IOException {
        long available = src.size();
        if (size < 0 || size > available) {
            throw new IllegalArgumentException(what + " " + size + " is not within 0.." + available
                    + ", the leaves the node source has");
        }
    }
}
