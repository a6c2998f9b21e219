package io.vigil.ledger.merkle;

import io.vigil.ledger.Hash;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The edge cases and the messages: a failed proof must say why. */
class ProofVerificationTest {
    final List<Hash> leaves = NaiveMerkle.leaves(20, 42);
    final MemoryNodeStore store = MemoryNodeStore.of(leaves);
    final Hash empty = MerkleHashes.emptyRoot();

    Hash root(int size) throws Exception {
        return Proofs.root(store, size);
    }

    @Test
    void equalSizesNeedEqualRootsAndAnEmptyPath() throws Exception {
        ConsistencyProof same = Proofs.consistency(store, 7, 7);
        assertThat(same.path()).isEmpty();
        assertThatCode(() -> Proofs.verifyConsistency(same, root(7), root(7))).doesNotThrowAnyException();
        assertThatThrownBy(() -> Proofs.verifyConsistency(same, root(7), root(8)))
                .isInstanceOf(ProofException.class)
                .hasMessageContaining("different roots");
        assertThatThrownBy(() -> Proofs.verifyConsistency(new ConsistencyProof(7, 7, List.of(root(7))), root(7), root(7)))
                .isInstanceOf(ProofException.class)
                .hasMessageContaining("must be empty");
        assertThatCode(() -> Proofs.verifyConsistency(new ConsistencyProof(0, 0, List.of()), empty, empty))
                .doesNotThrowAnyException();
    }

    @Test
    void everyTreeExtendsTheEmptyTree() throws Exception {
        ConsistencyProof fromEmpty = Proofs.consistency(store, 0, 20);
        assertThat(fromEmpty.path()).isEmpty();
        assertThatCode(() -> Proofs.verifyConsistency(fromEmpty, empty, root(20))).doesNotThrowAnyException();
        assertThatThrownBy(() -> Proofs.verifyConsistency(fromEmpty, root(1), root(20)))
                .isInstanceOf(ProofException.class)
                .hasMessageContaining("not the root of the empty tree");
        assertThatThrownBy(() -> Proofs.verifyConsistency(new ConsistencyProof(0, 20, List.of(empty)), empty, root(20)))
                .isInstanceOf(ProofException.class)
                .hasMessageContaining("must be empty");
    }

    @Test
    void wrongLengthsAreNamed() throws Exception {
        InclusionProof p = Proofs.inclusion(store, 5, 20);
        assertThatThrownBy(() -> Proofs.verifyInclusion(
                        new InclusionProof(5, 20, p.path().subList(0, 2)), leaves.get(5), root(20)))
                .isInstanceOf(ProofException.class)
                .hasMessageContaining("has 2 hashes")
                .hasMessageContaining("needs exactly " + p.path().size());
        ConsistencyProof c = Proofs.consistency(store, 5, 20);
        assertThatThrownBy(() -> Proofs.verifyConsistency(new ConsistencyProof(5, 20, List.of()), root(5), root(20)))
                .isInstanceOf(ProofException.class)
                .hasMessageContaining("has 0 hashes")
                .hasMessageContaining("needs exactly " + c.path().size());
    }

    @Test
    void mismatchesNameTheRoots() throws Exception {
        InclusionProof p = Proofs.inclusion(store, 5, 20);
        assertThatThrownBy(() -> Proofs.verifyInclusion(p, leaves.get(6), root(20)))
                .isInstanceOf(ProofException.class)
                .hasMessageContaining("leaf 5")
                .hasMessageContaining(root(20).hex());
        ConsistencyProof c = Proofs.consistency(store, 5, 20);
        assertThatThrownBy(() -> Proofs.verifyConsistency(c, root(5), root(19)))
                .isInstanceOf(ProofException.class)
                .hasMessageContaining("does not extend");
        assertThatThrownBy(() -> Proofs.verifyConsistency(c, root(6), root(20)))
                .isInstanceOf(ProofException.class)
                .hasMessageContaining("root1");
    }

    @Test
    void singleLeafTreeHasAnEmptyPath() throws Exception {
        InclusionProof p = Proofs.inclusion(store, 0, 1);
        assertThat(p.path()).isEmpty();
        assertThatCode(() -> Proofs.verifyInclusion(p, leaves.get(0), leaves.get(0))).doesNotThrowAnyException();
        assertThatThrownBy(() -> Proofs.verifyInclusion(p, leaves.get(0), leaves.get(1)))
                .isInstanceOf(ProofException.class);
    }

    @Test
    void proofsForOldSizesComeFromTheGrownTree() throws Exception {
        // a proof for size 13 served from a 20-leaf source equals one from a 13-leaf source
        MemoryNodeStore small = MemoryNodeStore.of(leaves.subList(0, 13));
        assertThat(Proofs.inclusion(store, 11, 13)).isEqualTo(Proofs.inclusion(small, 11, 13));
        assertThat(Proofs.consistency(store, 6, 13)).isEqualTo(Proofs.consistency(small, 6, 13));
        assertThat(Proofs.root(store, 13)).isEqualTo(small.root());
    }

    @Test
    void generationRejectsImpossibleRequests() {
        assertThatThrownBy(() -> Proofs.inclusion(store, 20, 20)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Proofs.inclusion(store, -1, 5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Proofs.inclusion(store, 0, 21))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("0..20");
        assertThatThrownBy(() -> Proofs.consistency(store, 6, 5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Proofs.consistency(store, 1, 21)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Proofs.root(store, -1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.node(0, 20)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.node(2, 5)).isInstanceOf(IllegalArgumentException.class);
        assertThat(store.node(2, 4)).isNotNull();
    }

    @Test
    void recordsValidate() {
        assertThatThrownBy(() -> new InclusionProof(3, 3, List.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new InclusionProof(-1, 3, List.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ConsistencyProof(4, 3, List.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ConsistencyProof(-1, 3, List.of())).isInstanceOf(IllegalArgumentException.class);
        ArrayList<Hash> withNull = new ArrayList<>();
        withNull.add(null);
        assertThatThrownBy(() -> new InclusionProof(0, 3, withNull)).isInstanceOf(NullPointerException.class);
        ArrayList<Hash> mutable = new ArrayList<>(List.of(empty));
        InclusionProof p = new InclusionProof(0, 2, mutable);
        mutable.clear();
        assertThat(p.path()).hasSize(1); // a copy, not a view
    }
}
