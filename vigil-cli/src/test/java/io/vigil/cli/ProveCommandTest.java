package io.vigil.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.ledger.checkpoint.SigningKey;
import io.vigil.ledger.merkle.ProofJson;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class ProveCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path shared;
    static Path demo;
    static Path pub;

    @BeforeAll
    static void writeDemo() {
        demo = Cli.demo(shared.resolve("demo"), 2500, 5);
        pub = demo.resolve("demo-signing.pub");
    }

    private static Path save(Path dir, String name, String text) throws Exception {
        return Files.writeString(dir.resolve(name), text);
    }

    @Test
    void anInclusionProofChecksOfflineWithItsSignedCheckpoint(@TempDir Path tmp) throws Exception {
        Cli.Result r = Cli.run("prove", "inclusion", demo.toString(), "--seq", "42");
        assertThat(r.exit()).as(r.toString()).isEqualTo(0);
        JsonNode proof = JSON.readTree(r.out());
        assertThat(proof.get("type").asText()).isEqualTo("inclusion");
        assertThat(proof.get("leafIndex").asLong()).isEqualTo(42);
        assertThat(proof.get("treeSize").asLong()).as("the latest checkpoint's size").isEqualTo(2500);
        assertThat(proof.get("checkpoint").asText()).startsWith(DemoCommand.ORIGIN + "\n2500\n");
        assertThat(proof.get("entry").asText()).contains("\"seq\":42,");
        assertThat(ProofJson.parse(r.out())).isInstanceOf(ProofJson.Inclusion.class);

        Path file = save(tmp, "p.json", r.out());
        Cli.Result ok = Cli.run("prove", "check", file.toString(), "--key", pub.toString());
        assertThat(ok.exit()).as(ok.toString()).isEqualTo(0);
        assertThat(ok.out()).startsWith("OK: seq 42 is included in the tree of size 2500")
                .contains("content hashes to leafHash").contains("signed by " + DemoCommand.ORIGIN)
                .doesNotContain("warning");

        Cli.Result noKey = Cli.run("prove", "check", file.toString());
        assertThat(noKey.exit()).isEqualTo(0);
        assertThat(noKey.out()).contains("warning: checkpoint's signature was not checked");
    }

    @Test
    void anEntryAfterTheLatestCheckpointOrAnExplicitSizeIsProvenAgainstThatSize(@TempDir Path tmp) throws Exception {
        Cli.Result r = Cli.run("prove", "inclusion", demo.toString(), "--seq", "1500", "--size", "2000");
        assertThat(r.exit()).as(r.toString()).isEqualTo(0);
        assertThat(JSON.readTree(r.out()).get("treeSize").asLong()).isEqualTo(2000);
        assertThat(JSON.readTree(r.out()).has("checkpoint")).as("there is a checkpoint of size 2000").isTrue();

        Cli.Result unsigned = Cli.run("prove", "inclusion", demo.toString(), "--seq", "10", "--size", "777");
        assertThat(unsigned.exit()).isEqualTo(0);
        assertThat(JSON.readTree(unsigned.out()).has("checkpoint")).isFalse();
        assertThat(unsigned.err()).contains("no signed checkpoint has size 777");
        Path file = save(tmp, "u.json", unsigned.out());
        Cli.Result check = Cli.run("prove", "check", file.toString(), "--key", pub.toString());
        assertThat(check.exit()).isEqualTo(0);
        assertThat(check.out()).contains("warning: the proof carries no signed checkpoint of size 777");
    }

    @Test
    void aTamperedProofFails(@TempDir Path tmp) throws Exception {
        String good = Cli.run("prove", "inclusion", demo.toString(), "--seq", "42").out();
        ObjectNode proof = (ObjectNode) JSON.readTree(good);

        ObjectNode otherIndex = proof.deepCopy();
        otherIndex.put("leafIndex", 43);
        Cli.Result r1 = Cli.run("prove", "check", save(tmp, "1.json", otherIndex.toString()).toString());
        assertThat(r1.exit()).isEqualTo(1);
        assertThat(r1.out()).contains("FAILED:");

        ObjectNode otherPath = proof.deepCopy();
        ArrayNode path = (ArrayNode) otherPath.get("path");
        String h = path.get(3).asText();
        path.set(3, JSON.getNodeFactory().textNode((h.charAt(0) == 'a' ? "b" : "a") + h.substring(1)));
        Cli.Result r2 = Cli.run("prove", "check", save(tmp, "2.json", otherPath.toString()).toString());
        assertThat(r2.exit()).isEqualTo(1);
        assertThat(r2.out()).contains("FAILED:");

        ObjectNode otherEntry = proof.deepCopy();
        otherEntry.put("entry", proof.get("entry").asText().replace("\"service\":\"demo-gateway\"",
                "\"service\":\"demo-gatewaz\""));
        Cli.Result r3 = Cli.run("prove", "check", save(tmp, "3.json", otherEntry.toString()).toString());
        assertThat(r3.exit()).isEqualTo(1);
        assertThat(r3.out()).contains("FAILED: the embedded entry's content does not hash to leafHash");

        SigningKey other = SigningKey.generate(DemoCommand.ORIGIN);
        Cli.Result r4 = Cli.run("prove", "check", save(tmp, "4.json", good).toString(), "--key",
                other.verifierKey().encode());
        assertThat(r4.exit()).isEqualTo(1);
        assertThat(r4.out()).contains("FAILED:").contains("not signed by key");

        Cli.Result r5 = Cli.run("prove", "check", save(tmp, "5.json", "{\"type\":\"inclusion\"").toString());
        assertThat(r5.exit()).isEqualTo(1);
        assertThat(r5.out()).contains("FAILED: the proof is not valid JSON");
    }

    @Test
    void aConsistencyProofRoundTrips(@TempDir Path tmp) throws Exception {
        Cli.Result r = Cli.run("prove", "consistency", demo.toString(), "--from", "1000", "--to", "2000");
        assertThat(r.exit()).as(r.toString()).isEqualTo(0);
        JsonNode proof = JSON.readTree(r.out());
        assertThat(proof.get("size1").asLong()).isEqualTo(1000);
        assertThat(proof.get("size2").asLong()).isEqualTo(2000);
        assertThat(proof.has("checkpoint1")).isTrue();
        assertThat(proof.has("checkpoint2")).isTrue();
        Path file = save(tmp, "c.json", r.out());
        Cli.Result ok = Cli.run("prove", "check", file.toString(), "--key", pub.toString());
        assertThat(ok.exit()).as(ok.toString()).isEqualTo(0);
        assertThat(ok.out()).startsWith("OK: the tree of size 2000").contains("checkpoint1: size 1000")
                .contains("checkpoint2: size 2000");

        Cli.Result toDefault = Cli.run("prove", "consistency", demo.toString(), "--from", "123");
        assertThat(toDefault.exit()).isEqualTo(0);
        assertThat(JSON.readTree(toDefault.out()).get("size2").asLong()).isEqualTo(2500);
        assertThat(Cli.run("prove", "check", save(tmp, "d.json", toDefault.out()).toString()).exit()).isEqualTo(0);

        ObjectNode swapped = (ObjectNode) proof.deepCopy();
        swapped.put("root1", proof.get("root2").asText());
        Cli.Result bad = Cli.run("prove", "check", save(tmp, "e.json", swapped.toString()).toString());
        assertThat(bad.exit()).isEqualTo(1);
        assertThat(bad.out()).contains("FAILED:");
    }

    @Test
    void proofsAreReadFromStdinWithADash(@TempDir Path tmp) throws Exception {
        String proof = Cli.run("prove", "inclusion", demo.toString(), "--seq", "7").out();
        InputStream in = System.in;
        System.setIn(new ByteArrayInputStream(proof.getBytes(StandardCharsets.UTF_8)));
        try {
            assertThat(Cli.run("prove", "check", "-").exit()).isEqualTo(0);
        } finally {
            System.setIn(in);
        }
    }

    @Test
    void badUsageIsExitCodeTwo(@TempDir Path tmp) {
        Cli.Result outside = Cli.run("prove", "inclusion", demo.toString(), "--seq", "2500");
        assertThat(outside.exit()).isEqualTo(2);
        assertThat(outside.err()).contains("--seq 2500 is not in the ledger").contains("seq 0..2499");

        Cli.Result badSize = Cli.run("prove", "inclusion", demo.toString(), "--seq", "10", "--size", "10");
        assertThat(badSize.exit()).isEqualTo(2);
        assertThat(badSize.err()).contains("--size 10 must be larger than --seq 10");

        Cli.Result badRange = Cli.run("prove", "consistency", demo.toString(), "--from", "2000", "--to", "1000");
        assertThat(badRange.exit()).isEqualTo(2);
        assertThat(badRange.err()).contains("0 <= --from <= --to <= 2500");

        Cli.Result noKind = Cli.run("prove");
        assertThat(noKind.exit()).isEqualTo(2);
        assertThat(noKind.err()).contains("inclusion").contains("consistency").contains("check");

        Cli.Result noFile = Cli.run("prove", "check", tmp.resolve("none.json").toString());
        assertThat(noFile.exit()).isEqualTo(2);
        assertThat(noFile.err()).contains("does not exist");

        Cli.Result notLedger = Cli.run("prove", "inclusion", tmp.toString(), "--seq", "1");
        assertThat(notLedger.exit()).isEqualTo(2);
        assertThat(notLedger.err()).contains("not a ledger directory");

        Cli.Result noSeq = Cli.run("prove", "inclusion", demo.toString());
        assertThat(noSeq.exit()).isEqualTo(2);
        assertThat(noSeq.err()).contains("--seq");
    }
}
