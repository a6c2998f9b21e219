package io.vigil.cli;

import io.vigil.ledger.FileLedger;
import io.vigil.ledger.LedgerOptions;
import io.vigil.ledger.LedgerReader;
import io.vigil.ledger.StoredCheckpoint;
import io.vigil.ledger.checkpoint.FileWitness;
import io.vigil.ledger.checkpoint.KeyFiles;
import io.vigil.ledger.checkpoint.SignedCheckpoint;
import io.vigil.ledger.checkpoint.SigningKey;
import io.vigil.ledger.internal.store.FileStore;
import io.vigil.redact.HmacKey;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class VerifyCommandTest {
    @TempDir
    static Path shared;
    static Path demo;
    static Path pub;

    @BeforeAll
    static void writeDemo() {
        demo = Cli.demo(shared.resolve("demo"), 3000, 11);
        pub = demo.resolve("demo-signing.pub");
    }

    /** A private copy of the demo ledger to tamper with. */
    private static Path copyOfDemo(Path tmp) throws Exception {
        Path copy = tmp.resolve("copy");
        try (Stream<Path> all = Files.walk(demo)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                Path to = copy.resolve(demo.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(p, to, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
        return copy;
    }

    @Test
    void anIntactDemoLedgerVerifies() {
        Cli.Result r = Cli.run("verify", demo.toString(), "--key", pub.toString());
        assertThat(r.exit()).as(r.toString()).isEqualTo(0);
        assertThat(r.out()).contains("entries      3,000").contains("checkpoints  3 verified")
                .contains("root ").contains("OK: the ledger is intact").doesNotContain("warning");
        assertThat(r.err()).as("progress on stderr").contains("verify [").contains("MiB");
    }

    @Test
    void theKeyMayBeGivenAsAStringAndDeepParsesEveryEntry() throws Exception {
        String key = Files.readString(pub).strip();
        Cli.Result r = Cli.run("verify", demo.toString(), "--key", key, "--deep");
        assertThat(r.exit()).as(r.toString()).isEqualTo(0);
    }

    @Test
    void withoutAKeyItWarnsThatOnlySelfConsistencyIsProven() {
        Cli.Result r = Cli.run("verify", demo.toString());
        assertThat(r.exit()).isEqualTo(0);
        assertThat(r.out()).contains("warning: no key given").contains("named by the ledger itself");
    }

    @Test
    void aChangedByteIsFoundAndItsSeqNamed(@TempDir Path tmp) throws Exception {
        Path copy = copyOfDemo(tmp);
        Path segment = copy.resolve("segments/00000000000000000000.jsonl");
        List<String> lines = Files.readAllLines(segment);
        String changed = lines.get(1234).replace("\"outcome\":\"success\"", "\"outcome\":\"failure\"")
                .replace("\"outcome\":\"denied\"", "\"outcome\":\"success\"")
                .replace("\"outcome\":\"failure\"", "\"outcome\":\"denied\"");
        assertThat(changed).isNotEqualTo(lines.get(1234));
        lines.set(1234, changed);
        Files.write(segment, lines);
        Cli.Result r = Cli.run("verify", copy.toString(), "--key", pub.toString());
        assertThat(r.exit()).as(r.toString()).isEqualTo(1);
        assertThat(r.out()).contains("FAILED at seq 1234: ").contains("does not match its hash");
    }

    @Test
    void aSingleFlippedByteAnywhereInAnEntryFails(@TempDir Path tmp) throws Exception {
        Path copy = copyOfDemo(tmp);
        Path segment = copy.resolve("segments/00000000000000000000.jsonl");
        byte[] bytes = Files.readAllBytes(segment);
        int line = 0;
        int at = 0;
        while (line < 2500) {
            if (bytes[at++] == '\n') {
                line++;
            }
        }
        // a character inside the id of seq 2500
        int id = indexOf(bytes, "\"id\":\"".getBytes(StandardCharsets.US_ASCII), at) + 8;
        bytes[id] = (byte) (bytes[id] == 'a' ? 'b' : 'a');
        Files.write(segment, bytes);
        Cli.Result r = Cli.run("verify", copy.toString(), "--key", pub.toString());
        assertThat(r.exit()).as(r.toString()).isEqualTo(1);
        assertThat(r.out()).contains("FAILED at seq 2500:");
    }

    private static int indexOf(byte[] hay, byte[] needle, int from) {
        outer:
        for (int i = from; i <= hay.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError("not found");
    }

    @Test
    void aDeletedEntryIsFound(@TempDir Path tmp) throws Exception {
        Path copy = copyOfDemo(tmp);
        Path segment = copy.resolve("segments/00000000000000000000.jsonl");
        List<String> lines = new ArrayList<>(Files.readAllLines(segment));
        lines.remove(700);
        Files.write(segment, lines);
        Cli.Result r = Cli.run("verify", copy.toString(), "--key", pub.toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).contains("FAILED at seq 700:").contains("missing");
    }

    @Test
    void anotherSignersKeyFails(@TempDir Path tmp) throws Exception {
        SigningKey other = SigningKey.generate(DemoCommand.ORIGIN);
        Cli.Result r = Cli.run("verify", demo.toString(), "--key", other.verifierKey().encode());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).contains("FAILED at seq").contains("not validly signed");
    }

    @Test
    void aWitnessAndATrustedCheckpointCanBeGiven(@TempDir Path tmp) throws Exception {
        List<StoredCheckpoint> cps;
        try (LedgerReader reader = FileLedger.openReader(demo)) {
            cps = reader.checkpoints();
        }
        SignedCheckpoint latest = cps.get(cps.size() - 1).checkpoint();
        Path witnessDir = tmp.resolve("witness");
        try (FileWitness w = new FileWitness(witnessDir, KeyFiles.readPublic(pub), DemoCommand.ORIGIN)) {
            w.submit(latest, Optional.empty());
        }
        Cli.Result r = Cli.run("verify", demo.toString(), "--key", pub.toString(), "--witness", witnessDir.toString());
        assertThat(r.exit()).as(r.toString()).isEqualTo(0);
        assertThat(r.out()).contains("witness      " + witnessDir);

        Path since = Files.writeString(tmp.resolve("cp1000.note"), cps.get(0).checkpoint().encode());
        Cli.Result inc = Cli.run("verify", demo.toString(), "--key", pub.toString(), "--since", since.toString());
        assertThat(inc.exit()).as(inc.toString()).isEqualTo(0);
        assertThat(inc.out()).contains("since ");
        Path sinceJson = Files.writeString(tmp.resolve("cp.json"), Files.readAllLines(demo.resolve("checkpoints.jsonl")).get(1));
        assertThat(Cli.run("verify", demo.toString(), "--key", pub.toString(), "--since", sinceJson.toString()).exit())
                .isEqualTo(0);
    }

    @Test
    void aKeyedLedgerNeedsItsHmacKeys(@TempDir Path tmp) throws Exception {
        byte[] hmac = new byte[32];
        for (int i = 0; i < hmac.length; i++) {
            hmac[i] = (byte) (i * 7 + 1);
        }
        Path dir = tmp.resolve("keyed");
        try (FileStore s = FileStore.open(dir, LedgerOptions.defaults("example.com/keyed").withHmacKeys(List.of(HmacKey.of(hmac))))) {
            s.append(Cli.events(0, 50));
        }
        Cli.Result without = Cli.run("verify", dir.toString());
        assertThat(without.exit()).isEqualTo(2);
        assertThat(without.err()).contains("is keyed").contains("--hmac-key");
        Path keyFile = Files.writeString(tmp.resolve("hmac.key"), Base64.getEncoder().encodeToString(hmac) + "\n");
        Cli.Result with = Cli.run("verify", dir.toString(), "--hmac-key", keyFile.toString());
        assertThat(with.exit()).as(with.toString()).isEqualTo(0);
        assertThat(with.out()).contains("keyed mode").contains("entries      50");
    }

    @Test
    void badUsageIsExitCodeTwoWithAHelpfulMessage(@TempDir Path tmp) throws Exception {
        Cli.Result jdbc = Cli.run("verify", "jdbc:postgresql://localhost/audit");
        assertThat(jdbc.exit()).isEqualTo(2);
        assertThat(jdbc.err()).contains("does not name its signer").contains("pass --key");

        Cli.Result missing = Cli.run("verify", tmp.resolve("nope").toString());
        assertThat(missing.exit()).isEqualTo(2);
        assertThat(missing.err()).contains("does not exist");

        Cli.Result notLedger = Cli.run("verify", tmp.toString());
        assertThat(notLedger.exit()).isEqualTo(2);
        assertThat(notLedger.err()).contains("is not a ledger directory").contains("vigil demo");

        Cli.Result badKey = Cli.run("verify", demo.toString(), "--key", tmp.resolve("missing.pub").toString());
        assertThat(badKey.exit()).isEqualTo(2);
        assertThat(badKey.err()).contains("--key").contains("neither a readable file nor a public key");

        Cli.Result noWitness = Cli.run("verify", demo.toString(), "--witness", tmp.resolve("w").toString());
        assertThat(noWitness.exit()).isEqualTo(2);
        assertThat(noWitness.err()).contains("--witness");

        Path junk = Files.writeString(tmp.resolve("junk.note"), "not a checkpoint");
        Cli.Result badSince = Cli.run("verify", demo.toString(), "--since", junk.toString());
        assertThat(badSince.exit()).isEqualTo(2);
        assertThat(badSince.err()).contains("--since").contains("not a signed checkpoint");

        Cli.Result noDir = Cli.run("verify");
        assertThat(noDir.exit()).isEqualTo(2);
        assertThat(noDir.err()).contains("LEDGER");
    }
}
