package io.vigil.ledger.merkle;

import io.vigil.ledger.Hash;
import org.junit.jupiter.api.Test;

import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

/**
 * The reference data of the Certificate Transparency implementations (the leaves and roots every RFC 6962
 * library checks itself against): an outside implementation that disagrees with these is not RFC 6962.
 */
class KnownVectorsTest {
    static final List<byte[]> DATA = Stream.of("", "00", "10", "2021", "3031", "40414243", "5051525354555657",
                    "606162636465666768696a6b6c6d6e6f")
            .map(HexFormat.of()::parseHex)
            .toList();

    /** Roots for tree sizes 0..8. */
    static final List<String> ROOTS = List.of(
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
            "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
            "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
            "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
            "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
            "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
            "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
            "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328");

    static List<Hash> leafHashes() {
        return DATA.stream().map(MerkleHashes::leafHash).toList();
    }

    static Hash root(int size) {
        return Hash.fromHex(ROOTS.get(size));
    }

    static List<Hash> hashes(String... hex) {
        return Stream.of(hex).map(Hash::fromHex).toList();
    }

    @Test
    void emptyRootIsSha256OfNothing() {
        assertThat(MerkleHashes.emptyRoot()).isEqualTo(root(0));
        assertThat(new TreeBuilder().root()).isEqualTo(root(0));
    }

    @Test
    void leafAndNodeHashesUseTheirPrefixes() {
        assertThat(MerkleHashes.leafHash(new byte[0])).isEqualTo(root(1)); // a one-leaf tree's root is its leaf
        byte[] buf = {9, 9, 0x20, 0x21, 9};
        assertThat(MerkleHashes.leafHash(buf, 2, 2)).isEqualTo(MerkleHashes.leafHash(DATA.get(3)));
        Hash a = MerkleHashes.leafHash(DATA.get(0));
        Hash b = MerkleHashes.leafHash(DATA.get(1));
        assertThat(MerkleHashes.nodeHash(a, b)).isEqualTo(root(2)).isEqualTo(NaiveMerkle.node(a, b));
    }

    @Test
    void rootsForSizesZeroToEight() throws Exception {
        TreeBuilder builder = new TreeBuilder();
        MemoryNodeStore store = MemoryNodeStore.of(leafHashes());
        assertThat(builder.root()).isEqualTo(root(0));
        for (int size = 1; size <= 8; size++) {
            builder.append(leafHashes().get(size - 1));
            assertThat(builder.root()).as("builder root at size %d", size).isEqualTo(root(size));
            assertThat(Proofs.root(store, size)).as("root(src, %d)", size).isEqualTo(root(size));
            assertThat(NaiveMerkle.mth(leafHashes().subList(0, size))).isEqualTo(root(size));
        }
    }

    @Test
    void inclusionProofs() throws Exception {
        MemoryNodeStore store = MemoryNodeStore.of(leafHashes());
        checkInclusion(store, 0, 8, hashes("96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
                "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"));
        checkInclusion(store, 5, 8, hashes("bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
                "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
                "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"));
        checkInclusion(store, 2, 3, hashes("fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"));
        checkInclusion(store, 1, 5, hashes("6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
                "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"));
        checkInclusion(store, 0, 1, List.of());
    }

    private static void checkInclusion(NodeSource src, long index, long size, List<Hash> expected) throws Exception {
        InclusionProof proof = Proofs.inclusion(src, index, size);
        assertThat(proof.path()).as("inclusion(%d, %d)", index, size).isEqualTo(expected);
        Hash leaf = leafHashes().get((int) index);
        assertThatCode(() -> Proofs.verifyInclusion(proof, leaf, root((int) size))).doesNotThrowAnyException();
    }

    @Test
    void consistencyProofs() throws Exception {
        MemoryNodeStore store = MemoryNodeStore.of(leafHashes());
        checkConsistency(store, 1, 1, List.of());
        checkConsistency(store, 1, 8, hashes("96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
                "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"));
        checkConsistency(store, 6, 8, hashes("0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
                "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
                "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"));
        checkConsistency(store, 2, 5, hashes("5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"));
        checkConsistency(store, 2, 8, hashes("5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"));
        checkConsistency(store, 0, 8, List.of());
    }

    private static void checkConsistency(NodeSource src, int size1, int size2, List<Hash> expected) throws Exception {
        ConsistencyProof proof = Proofs.consistency(src, size1, size2);
        assertThat(proof.path()).as("consistency(%d, %d)", size1, size2).isEqualTo(expected);
        assertThatCode(() -> Proofs.verifyConsistency(proof, root(size1), root(size2))).doesNotThrowAnyException();
    }
}
