package io.vigil.ledger.merkle;

import io.vigil.ledger.Hash;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The real implementation against {@link NaiveMerkle}, the RFC's recursive definitions taken literally. */
class MerklePropertiesTest {

    @Property(tries = 300)
    void builderRootMatchesNaiveAtEverySize(@ForAll @IntRange(min = 0, max = 300) int n, @ForAll long seed) {
        List<Hash> leaves = NaiveMerkle.leaves(n, seed);
        TreeBuilder b = new TreeBuilder();
        assertThat(b.root()).isEqualTo(NaiveMerkle.mth(List.of()));
        for (int i = 0; i < n; i++) {
            assertThat(b.append(leaves.get(i))).isEqualTo(i);
            assertThat(b.size()).isEqualTo(i + 1);
            assertThat(b.root()).as("size %d", i + 1).isEqualTo(NaiveMerkle.mth(leaves.subList(0, i + 1)));
        }
    }

    @Property(tries = 300)
    void subtreesAppendedWholeGiveTheSameTreeAsTheirLeaves(@ForAll @IntRange(min = 0, max = 300) int n,
            @ForAll @IntRange(min = 0, max = 5) int level, @ForAll long seed) {
        List<Hash> leaves = NaiveMerkle.leaves(n, seed);
        int width = 1 << level;
        TreeBuilder whole = new TreeBuilder();
        int i = 0;
        while (i < n) {
            if (i % width == 0 && i + width <= n && ((i / width) + seed) % 3 != 0) { // mix blocks and single leaves
                byte[] packed = new byte[width * Hash.LENGTH];
                for (int k = 0; k < width; k++) {
                    leaves.get(i + k).copyTo(packed, k * Hash.LENGTH);
                }
                Hash root = MerkleHashes.subtreeRoot(packed, 0, width);
                assertThat(root).isEqualTo(NaiveMerkle.mth(leaves.subList(i, i + width)));
                whole.appendSubtree(level, root);
                i += width;
            } else {
                whole.append(leaves.get(i));
                i++;
            }
            assertThat(whole.size()).isEqualTo(i);
            assertThat(whole.root()).as("size %d", i).isEqualTo(NaiveMerkle.mth(leaves.subList(0, i)));
        }
        if (level > 0 && n % width != 0) {
            assertThatThrownBy(() -> whole.appendSubtree(level, leaves.get(0)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a multiple of " + width);
        }
    }

    @Property(tries = 200)
    void rootOfAnySizeMatchesNaive(@ForAll @IntRange(min = 0, max = 300) int n, @ForAll long seed)
            throws Exception {
        List<Hash> leaves = NaiveMerkle.leaves(n, seed);
        NaiveMerkle.Source src = new NaiveMerkle.Source(leaves);
        for (int k = 0; k <= n; k++) {
            src.reads = 0;
            assertThat(Proofs.root(src, k)).as("size %d", k).isEqualTo(NaiveMerkle.mth(leaves.subList(0, k)));
            assertThat(src.reads).as("one read per set bit of %d", k).isEqualTo(Integer.bitCount(k));
        }
    }

    @Property(tries = 1000)
    void inclusionProofMatchesNaiveAndVerifies(@ForAll @IntRange(min = 1, max = 300) int size,
            @ForAll @IntRange(min = 0, max = 299) int index, @ForAll long seed) throws Exception {
        index = index % size;
        List<Hash> leaves = NaiveMerkle.leaves(size + seedExtra(seed), seed); // the source may be larger
        List<Hash> tree = leaves.subList(0, size);
        NaiveMerkle.Source src = new NaiveMerkle.Source(leaves);
        InclusionProof proof = Proofs.inclusion(src, index, size);
        assertThat(proof.path()).isEqualTo(NaiveMerkle.path(index, tree));
        assertThat(src.reads).isLessThanOrEqualTo(2 * log2ceil(size) + 2);
        Hash root = NaiveMerkle.mth(tree);
        assertThatCode(() -> Proofs.verifyInclusion(proof, leaves.get((int) proof.leafIndex()), root))
                .doesNotThrowAnyException();
        assertThat(Proofs.rootFromInclusion(proof, tree.get(index))).isEqualTo(root);
    }

    @Property(tries = 1000)
    void consistencyProofMatchesNaiveAndVerifies(@ForAll @IntRange(min = 0, max = 300) int size2,
            @ForAll @IntRange(min = 0, max = 300) int size1, @ForAll long seed) throws Exception {
        size1 = size2 == 0 ? 0 : size1 % (size2 + 1);
        List<Hash> leaves = NaiveMerkle.leaves(size2 + seedExtra(seed), seed);
        NaiveMerkle.Source src = new NaiveMerkle.Source(leaves);
        ConsistencyProof proof = Proofs.consistency(src, size1, size2);
        List<Hash> expected = size1 == 0 || size1 == size2
                ? List.of()
                : NaiveMerkle.proof(size1, leaves.subList(0, size2));
        assertThat(proof.path()).isEqualTo(expected);
        assertThat(src.reads).isLessThanOrEqualTo(3 * log2ceil(size2) + 3);
        Hash root1 = NaiveMerkle.mth(leaves.subList(0, size1));
        Hash root2 = NaiveMerkle.mth(leaves.subList(0, size2));
        assertThatCode(() -> Proofs.verifyConsistency(proof, root1, root2)).doesNotThrowAnyException();
    }

    @Property(tries = 500)
    void tamperedInclusionProofsFail(@ForAll @IntRange(min = 1, max = 300) int size,
            @ForAll @IntRange(min = 0, max = 299) int index, @ForAll long seed) throws Exception {
        index = index % size;
        List<Hash> leaves = NaiveMerkle.leaves(size, seed);
        NaiveMerkle.Source src = new NaiveMerkle.Source(leaves);
        InclusionProof good = Proofs.inclusion(src, index, size);
        Hash root = NaiveMerkle.mth(leaves);
        Hash leaf = leaves.get(index);
        Random r = new Random(seed);

        List<InclusionProof> bad = new ArrayList<>();
        List<Hash> path = good.path();
        for (int i = 0; i < path.size(); i++) {
            bad.add(new InclusionProof(index, size, replace(path, i, flip(path.get(i), r))));
        }
        for (long wrongIndex : new long[] {index - 1L, index + 1L, index ^ 2L}) {
            if (wrongIndex >= 0 && wrongIndex < size) {
                bad.add(new InclusionProof(wrongIndex, size, path));
            }
        }
        for (long wrongSize : new long[] {size * 2L, size / 2L}) {
            if (wrongSize > index) {
                bad.add(new InclusionProof(index, wrongSize, path));
            }
        }
        if (!path.isEmpty()) {
            bad.add(new InclusionProof(index, size, path.subList(0, path.size() - 1)));
            bad.add(new InclusionProof(index, size, path.subList(1, path.size())));
        }
        bad.add(new InclusionProof(index, size, append(path, root)));
        bad.add(new InclusionProof(index, size, prepend(root, path)));
        bad.add(new InclusionProof(index, size, append(path, randomHash(r))));

        for (InclusionProof p : bad) {
            assertThatThrownBy(() -> Proofs.verifyInclusion(p, leaf, root))
                    .as("tampered %s of good %s", p, good)
                    .isInstanceOf(ProofException.class);
        }
        assertThatThrownBy(() -> Proofs.verifyInclusion(good, flip(leaf, r), root)).isInstanceOf(ProofException.class);
        assertThatThrownBy(() -> Proofs.verifyInclusion(good, leaf, flip(root, r))).isInstanceOf(ProofException.class);
    }

    @Property(tries = 500)
    void tamperedConsistencyProofsFail(@ForAll @IntRange(min = 2, max = 300) int size2,
            @ForAll @IntRange(min = 1, max = 299) int size1, @ForAll long seed) throws Exception {
        size1 = 1 + size1 % (size2 - 1); // 0 < size1 < size2: a proof with hashes in it
        List<Hash> leaves = NaiveMerkle.leaves(size2, seed);
        NaiveMerkle.Source src = new NaiveMerkle.Source(leaves);
        ConsistencyProof good = Proofs.consistency(src, size1, size2);
        Hash root1 = NaiveMerkle.mth(leaves.subList(0, size1));
        Hash root2 = NaiveMerkle.mth(leaves);
        Random r = new Random(seed);
        List<Hash> path = good.path();
        assertThat(path).isNotEmpty();

        List<ConsistencyProof> bad = new ArrayList<>();
        for (int i = 0; i < path.size(); i++) {
            bad.add(new ConsistencyProof(size1, size2, replace(path, i, flip(path.get(i), r))));
        }
        for (long wrong1 : new long[] {size1 - 1L, size1 + 1L, size1 ^ 2L}) {
            if (wrong1 > 0 && wrong1 < size2) {
                bad.add(new ConsistencyProof(wrong1, size2, path));
            }
        }
        for (long wrong2 : new long[] {size2 * 2L, size2 / 2L}) {
            if (wrong2 > size1) {
                bad.add(new ConsistencyProof(size1, wrong2, path));
            }
        }
        bad.add(new ConsistencyProof(size1, size2, List.of()));
        bad.add(new ConsistencyProof(size1, size2, path.subList(0, path.size() - 1)));
        bad.add(new ConsistencyProof(size1, size2, append(path, randomHash(r))));
        bad.add(new ConsistencyProof(size1, size2, append(path, root1)));
        bad.add(new ConsistencyProof(size1, size2, prepend(root2, path)));
        bad.add(new ConsistencyProof(size1, size2, prepend(path.get(0), path)));

        for (ConsistencyProof p : bad) {
            assertThatThrownBy(() -> Proofs.verifyConsistency(p, root1, root2))
                    .as("tampered %s of good %s", p, good)
                    .isInstanceOf(ProofException.class);
        }
        assertThatThrownBy(() -> Proofs.verifyConsistency(good, flip(root1, r), root2))
                .isInstanceOf(ProofException.class);
        assertThatThrownBy(() -> Proofs.verifyConsistency(good, root1, flip(root2, r)))
                .isInstanceOf(ProofException.class);
        assertThatThrownBy(() -> Proofs.verifyConsistency(good, root2, root1)).isInstanceOf(ProofException.class);
    }

    @Property(tries = 100)
    void memoryStoreServesTheNaiveNodes(@ForAll @IntRange(min = 0, max = 300) int n, @ForAll long seed)
            throws Exception {
        List<Hash> leaves = NaiveMerkle.leaves(n, seed);
        MemoryNodeStore store = MemoryNodeStore.of(leaves);
        NaiveMerkle.Source naive = new NaiveMerkle.Source(leaves);
        for (int level = 0; (n >>> level) > 0; level++) {
            for (long i = 0; i < (n >>> level); i++) {
                assertThat(store.node(level, i)).isEqualTo(naive.node(level, i));
            }
        }
        assertThat(store.root()).isEqualTo(NaiveMerkle.mth(leaves));
    }

    // ---------------------------------------------------------------- helpers

    /** Sometimes a source with leaves beyond the tree being proved, as a growing log has. */
    static int seedExtra(long seed) {
        return (int) Math.floorMod(seed, 3L) == 0 ? 0 : (int) Math.floorMod(seed >>> 8, 40L);
    }

    static int log2ceil(int n) {
        return n <= 1 ? 0 : 32 - Integer.numberOfLeadingZeros(n - 1);
    }

    static Hash flip(Hash h, Random r) {
        byte[] b = h.bytes();
        b[r.nextInt(b.length)] ^= (byte) (1 << r.nextInt(8));
        return Hash.wrap(b);
    }

    static Hash randomHash(Random r) {
        byte[] b = new byte[Hash.LENGTH];
        r.nextBytes(b);
        return Hash.wrap(b);
    }

    static List<Hash> replace(List<Hash> l, int i, Hash h) {
        List<Hash> out = new ArrayList<>(l);
        out.set(i, h);
        return out;
    }

    static List<Hash> append(List<Hash> l, Hash h) {
        List<Hash> out = new ArrayList<>(l);
        out.add(h);
        return out;
    }

    static List<Hash> prepend(Hash h, List<Hash> l) {
        List<Hash> out = new ArrayList<>();
        out.add(h);
        out.addAll(l);
        return out;
    }
}
