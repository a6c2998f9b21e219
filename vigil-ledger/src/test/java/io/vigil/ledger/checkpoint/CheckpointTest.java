package io.vigil.ledger.checkpoint;

import io.vigil.ledger.Hash;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CheckpointTest {
    private static final Hash ROOT = Hash.fromBase64("CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=");

    @Test
    void bodyIsOriginSizeRootAndExtensionsEachEndingInNewline() {
        assertThat(new Checkpoint("example.com/behind-the-sofa", 20852163, ROOT).body())
                .isEqualTo("example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n");
        assertThat(new Checkpoint("o", 0, ROOT, List.of("ext one", "ext two")).body())
                .isEqualTo("o\n0\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\next one\next two\n");
    }

    @Test
    void theSpecExampleParses() {
        // The example of c2sp.org/tlog-checkpoint; its signing key is not published, so only the format is checked.
        String note = "example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n\n"
                + "\u2014 example.com/behind-the-sofa Az3grlgtzPICa5OS8npVmf1Myq/5IZniMp+ZJurmRDeOoRDe4URYN7u5/"
                + "Zhcyv2q1gGzGku9nTo+zyWE+xeMcTOAYQ8=\n";
        SignedCheckpoint sc = SignedCheckpoint.parse(note);
        assertThat(sc.checkpoint()).isEqualTo(new Checkpoint("example.com/behind-the-sofa", 20852163, ROOT));
        assertThat(sc.note().signatures()).singleElement()
                .satisfies(s -> assertThat(s.name()).isEqualTo("example.com/behind-the-sofa"));
        assertThat(sc.encode()).isEqualTo(note);
    }

    @Test
    void parseBodyIsTheInverseOfBody() {
        Checkpoint c = new Checkpoint("log \u4e16\u754c/+x", Long.MAX_VALUE, ROOT, List.of("a", "b c"));
        assertThat(Checkpoint.parseBody(c.body())).isEqualTo(c);
    }

    @Test
    void parseBodyIsStrict() {
        String r = ROOT.base64();
        assertBad("o\n1\n" + r, "must end in a newline");
        assertBad("o\n1\n", "at least 3 lines");
        assertBad("\n1\n" + r + "\n", "line 1 is empty");
        assertBad("o\n1\n" + r + "\n\n", "line 4 is empty");
        assertBad("o\n\n" + r + "\n", "line 2 is empty");
        assertBad("o\n01\n" + r + "\n", "leading zero");
        assertBad("o\n00\n" + r + "\n", "leading zero");
        assertBad("o\n-1\n" + r + "\n", "not a decimal number");
        assertBad("o\n+1\n" + r + "\n", "not a decimal number");
        assertBad("o\n 1\n" + r + "\n", "not a decimal number");
        assertBad("o\n1 \n" + r + "\n", "not a decimal number");
        assertBad("o\n\u0661\n" + r + "\n", "not a decimal number"); // ARABIC-INDIC DIGIT ONE
        assertBad("o\n9223372036854775808\n" + r + "\n", "larger than 9223372036854775807");
        assertBad("o\n1\n" + r.substring(0, r.length() - 1) + "\n", "not canonical base64");
        assertBad("o\n1\nAAAA\n", "3 bytes, not 32");
        assertBad("o\n1\n" + ROOT.hex() + "\n", "48 bytes, not 32"); // hex is not base64 of 32 bytes
        assertBad("o\t\n1\n" + r + "\n", "U+0009 on line 1");
        assertBad("o\r\n1\n" + r + "\n", "U+000D");
        assertThat(Checkpoint.parseBody("o\n0\n" + r + "\n").size()).isZero();
        // Hostile input is quoted only in part.
        assertThatThrownBy(() -> Checkpoint.parseBody("o\n" + "9".repeat(100_000) + "\n" + r + "\n"))
                .hasMessageContaining("(100000 characters)")
                .satisfies(e -> assertThat(e.getMessage()).hasSizeLessThan(300));
    }

    private static void assertBad(String body, String message) {
        assertThatThrownBy(() -> Checkpoint.parseBody(body)).isInstanceOf(NoteFormatException.class)
                .hasMessageStartingWith("malformed checkpoint").hasMessageContaining(message);
    }

    @Test
    void constructorRefusesWhatCannotBeWritten() {
        assertThatThrownBy(() -> new Checkpoint("", 1, ROOT)).hasMessageContaining("origin must not be empty");
        assertThatThrownBy(() -> new Checkpoint("a\nb", 1, ROOT)).hasMessageContaining("newline");
        assertThatThrownBy(() -> new Checkpoint("o", -1, ROOT)).hasMessageContaining("negative");
        assertThatThrownBy(() -> new Checkpoint("o", 1, ROOT, List.of(""))).hasMessageContaining("line 1 is empty");
        assertThatThrownBy(() -> new Checkpoint("o", 1, ROOT, List.of("x\ny"))).hasMessageContaining("newline");
    }

    @Test
    void signedCheckpointRoundTripsAndVerifies() throws Exception {
        SigningKey key = SigningKey.generate("example.com/audit");
        Checkpoint c = new Checkpoint("example.com/audit", 42, ROOT);
        SignedCheckpoint sc = SignedCheckpoint.sign(c, key);
        String encoded = sc.encode();
        assertThat(encoded).startsWith(c.body() + "\n\u2014 example.com/audit ").endsWith("\n");
        SignedCheckpoint back = SignedCheckpoint.parse(encoded);
        assertThat(back).isEqualTo(sc);
        assertThat(back.checkpoint()).isEqualTo(c);
        back.verify(VerifierKey.parse(key.verifierKey().encode()));
    }

    @Test
    void verifyFailsClearlyForOtherKeysAndTampering() {
        SigningKey key = SigningKey.generate("example.com/audit");
        SignedCheckpoint sc = SignedCheckpoint.sign(new Checkpoint("example.com/audit", 42, ROOT), key);
        String encoded = sc.encode();

        SigningKey rotated = SigningKey.generate("example.com/audit");
        assertThatThrownBy(() -> sc.verify(rotated.verifierKey())).isInstanceOf(CheckpointException.class)
                .hasMessageContaining("is not signed by key example.com/audit+" + rotated.verifierKey().keyIdHex())
                .hasMessageContaining("example.com/audit+" + key.verifierKey().keyIdHex())
                .hasMessageContaining("another key ID");
        SigningKey other = SigningKey.generate("other.example");
        assertThatThrownBy(() -> sc.verify(other.verifierKey())).isInstanceOf(CheckpointException.class)
                .hasMessageContaining("not signed by key other.example+");

        SignedCheckpoint biggerSize = SignedCheckpoint.parse(encoded.replace("\n42\n", "\n43\n"));
        assertThatThrownBy(() -> biggerSize.verify(key.verifierKey())).isInstanceOf(CheckpointException.class)
                .hasMessageContaining("invalid signature by key example.com/audit+")
                .hasMessageContaining("example.com/audit@43");

        int sigStart = encoded.lastIndexOf(' ') + 1;
        char c = encoded.charAt(sigStart + 10);
        String flipped = encoded.substring(0, sigStart + 10) + (c == 'A' ? 'B' : 'A')
                + encoded.substring(sigStart + 11);
        assertThatThrownBy(() -> SignedCheckpoint.parse(flipped).verify(key.verifierKey()))
                .isInstanceOf(CheckpointException.class).hasMessageContaining("invalid signature");

        // The same signature line under another key name is a signature by an unknown key.
        String renamed = encoded.replace("\u2014 example.com/audit ", "\u2014 example.com/audiT ");
        assertThatThrownBy(() -> SignedCheckpoint.parse(renamed).verify(key.verifierKey()))
                .isInstanceOf(CheckpointException.class).hasMessageContaining("is not signed by key");
    }

    @Test
    void cosignedCheckpointVerifiesForEachKey() throws Exception {
        SigningKey log = SigningKey.generate("example.com/audit");
        SigningKey witness = SigningKey.generate("witness.example");
        Checkpoint c = new Checkpoint("example.com/audit", 7, ROOT);
        SignedCheckpoint sc = SignedCheckpoint.parse(SignedNote.sign(c.body(), log, witness).encode());
        sc.verify(log.verifierKey());
        sc.verify(witness.verifierKey());
    }

    @Test
    void aNoteThatIsNotACheckpointIsRefused() {
        SigningKey key = SigningKey.generate("k");
        String note = SignedNote.sign("just some text\n", key).encode();
        assertThatThrownBy(() -> SignedCheckpoint.parse(note)).isInstanceOf(NoteFormatException.class)
                .hasMessageContaining("at least 3 lines");
        SignedNote n = SignedNote.sign("o\n1\n" + ROOT.base64() + "\n", key);
        assertThatThrownBy(() -> new SignedCheckpoint(new Checkpoint("o", 2, ROOT), n))
                .hasMessageContaining("not the body");
    }
}
