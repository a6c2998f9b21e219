package io.vigil.ledger.merkle;

import io.vigil.ledger.Hash;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ProofJsonTest {
    final List<Hash> leaves = KnownVectorsTest.leafHashes();
    final MemoryNodeStore store = MemoryNodeStore.of(leaves);

    @Test
    void inclusionHasTheDocumentedShape() throws Exception {
        InclusionProof p = Proofs.inclusion(store, 2, 3);
        assertThat(ProofJson.toJson(p)).isEqualTo("{\"type\":\"inclusion\",\"leafIndex\":2,\"treeSize\":3,\"path\":"
                + "[\"fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125\"]}");
        String full = ProofJson.toJson(p, leaves.get(2), KnownVectorsTest.root(3), "example.org/log\n3\nabc=\n");
        assertThat(full).startsWith("{\"type\":\"inclusion\",\"leafIndex\":2,\"treeSize\":3,\"leafHash\":\""
                        + leaves.get(2).hex() + "\",\"root\":\"" + KnownVectorsTest.ROOTS.get(3) + "\",\"path\":[")
                .endsWith(",\"checkpoint\":\"example.org/log\\n3\\nabc=\\n\"}");
    }

    @Test
    void inclusionRoundTripsAndVerifiesFromTheFileAlone() throws Exception {
        InclusionProof p = Proofs.inclusion(store, 5, 8);
        String json = ProofJson.toJson(p, leaves.get(5), KnownVectorsTest.root(8), "cp");
        ProofJson.Inclusion doc = ProofJson.parseInclusion(json);
        assertThat(doc.proof()).isEqualTo(p);
        assertThat(doc.leafHash()).contains(leaves.get(5));
        assertThat(doc.root()).contains(KnownVectorsTest.root(8));
        assertThat(doc.checkpoint()).contains("cp");
        assertThatCode(doc::verify).doesNotThrowAnyException();
        assertThat(ProofJson.parse(json)).isEqualTo(doc);
        assertThat(ProofJson.toJson(doc)).isEqualTo(json);

        ProofJson.Inclusion bare = ProofJson.parseInclusion(ProofJson.toJson(p));
        assertThat(bare.leafHash()).isEmpty();
        assertThat(bare.checkpoint()).isEqualTo(Optional.empty());
        assertThatThrownBy(bare::verify).isInstanceOf(ProofException.class).hasMessageContaining("leafHash");
    }

    @Test
    void consistencyRoundTrips() throws Exception {
        ConsistencyProof p = Proofs.consistency(store, 6, 8);
        String json = ProofJson.toJson(p, KnownVectorsTest.root(6), KnownVectorsTest.root(8));
        assertThat(json).startsWith("{\"type\":\"consistency\",\"size1\":6,\"size2\":8,\"root1\":\""
                + KnownVectorsTest.ROOTS.get(6) + "\",\"root2\":\"" + KnownVectorsTest.ROOTS.get(8) + "\",\"path\":[\"0ebc5d34");
        ProofJson.Document doc = ProofJson.parse(json);
        assertThat(doc).isInstanceOf(ProofJson.Consistency.class);
        assertThat(((ProofJson.Consistency) doc).proof()).isEqualTo(p);
        assertThatCode(doc::verify).doesNotThrowAnyException();
        assertThat(ProofJson.toJson(doc)).isEqualTo(json);

        String swapped = ProofJson.toJson(p, KnownVectorsTest.root(8), KnownVectorsTest.root(6));
        assertThatThrownBy(() -> ProofJson.parse(swapped).verify()).isInstanceOf(ProofException.class);
    }

    @Test
    void unknownMembersAreIgnoredAndUppercaseHexAccepted() throws Exception {
        String json = "{\"type\":\"inclusion\",\"leafIndex\":0,\"treeSize\":1,\"path\":[],\"origin\":\"x\","
                + "\"root\":\"" + KnownVectorsTest.ROOTS.get(1).toUpperCase() + "\"}";
        assertThat(ProofJson.parseInclusion(json).root()).contains(KnownVectorsTest.root(1));
    }

    @Test
    void malformedDocumentsSayWhatIsWrong() {
        String h = "\"" + KnownVectorsTest.ROOTS.get(1) + "\"";
        assertBad("not json", "not valid JSON");
        assertBad("[1,2]", "must be a JSON object");
        assertBad("{}", "no \"type\"");
        assertBad("{\"type\":\"sth\"}", "unknown proof type \"sth\"");
        assertBad("{\"type\":\"inclusion\",\"treeSize\":3,\"path\":[]}", "no \"leafIndex\"");
        assertBad("{\"type\":\"inclusion\",\"leafIndex\":-1,\"treeSize\":3,\"path\":[]}", "must not be negative");
        assertBad("{\"type\":\"inclusion\",\"leafIndex\":1.5,\"treeSize\":3,\"path\":[]}", "whole number");
        assertBad("{\"type\":\"inclusion\",\"leafIndex\":\"1\",\"treeSize\":3,\"path\":[]}", "whole number");
        assertBad("{\"type\":\"inclusion\",\"leafIndex\":1,\"treeSize\":99999999999999999999,\"path\":[]}",
                "fits 64 bits");
        assertBad("{\"type\":\"inclusion\",\"leafIndex\":3,\"treeSize\":3,\"path\":[]}", "not inside a tree");
        assertBad("{\"type\":\"inclusion\",\"leafIndex\":0,\"treeSize\":3,\"path\":{}}", "must be an array");
        assertBad("{\"type\":\"inclusion\",\"leafIndex\":0,\"treeSize\":3,\"path\":[1]}", "\"path\"[0] must be a hex");
        assertBad("{\"type\":\"inclusion\",\"leafIndex\":0,\"treeSize\":3,\"path\":[\"abc\"]}", "64 hex digits");
        assertBad("{\"type\":\"inclusion\",\"leafIndex\":0,\"treeSize\":3,\"path\":[\"" + "zz".repeat(32) + "\"]}",
                "not hex");
        assertBad("{\"type\":\"inclusion\",\"leafIndex\":0,\"leafIndex\":1,\"treeSize\":3,\"path\":[]}",
                "Duplicate field");
        assertBad("{\"type\":\"consistency\",\"size1\":2,\"size2\":1,\"root1\":" + h + ",\"root2\":" + h
                + ",\"path\":[]}", "larger than");
        assertBad("{\"type\":\"consistency\",\"size1\":1,\"size2\":2,\"root1\":" + h + ",\"path\":[]}",
                "no \"root2\"");
        assertBad("{\"type\":\"inclusion\",\"leafIndex\":0,\"treeSize\":3,\"path\":[" + (h + ",").repeat(256) + h
                + "]}", "no proof needs more");
        assertThatThrownBy(() -> ProofJson.parseConsistency("{\"type\":\"inclusion\"}"))
                .isInstanceOf(ProofException.class)
                .hasMessageContaining("expected a proof of type \"consistency\"");
    }

    private static void assertBad(String json, String message) {
        assertThatThrownBy(() -> ProofJson.parse(json)).as(json)
                .isInstanceOf(ProofException.class)
                .hasMessageContaining(message);
    }
}
