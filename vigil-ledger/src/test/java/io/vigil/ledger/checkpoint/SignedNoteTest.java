package io.vigil.ledger.checkpoint;

import org.junit.jupiter.api.Test;

import static io.vigil.ledger.checkpoint.GoVectors.ENOCH_SIG;
import static io.vigil.ledger.checkpoint.GoVectors.ENOCH_VKEY;
import static io.vigil.ledger.checkpoint.GoVectors.PETER_NOTE;
import static io.vigil.ledger.checkpoint.GoVectors.PETER_SIG;
import static io.vigil.ledger.checkpoint.GoVectors.PETER_SKEY;
import static io.vigil.ledger.checkpoint.GoVectors.PETER_VKEY;
import static io.vigil.ledger.checkpoint.GoVectors.TEXT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SignedNoteTest {
    private static final VerifierKey PETER = VerifierKey.parse(PETER_VKEY);
    private static final VerifierKey ENOCH = VerifierKey.parse(ENOCH_VKEY);

    /** Go's TestSign: Ed25519 is deterministic, so the whole note must come out byte for byte. */
    @Test
    void signingTheGoTextGivesTheGoNote() {
        SignedNote n = SignedNote.sign(TEXT, SigningKey.parse(PETER_SKEY));
        assertThat(n.encode()).isEqualTo(PETER_NOTE);
    }

    @Test
    void theGoNoteParsesAndVerifies() {
        SignedNote n = SignedNote.parse(PETER_NOTE);
        assertThat(n.text()).isEqualTo(TEXT);
        assertThat(n.signatures()).singleElement().satisfies(s -> {
            assertThat(s.name()).isEqualTo("PeterNeumann");
            assertThat(s.keyId()).isEqualTo(0xc74f20a3);
            assertThat(s.sig()).hasSize(64);
        });
        assertThat(n.verifiedBy(PETER)).isTrue();
        assertThat(n.verifiedBy(ENOCH)).isFalse(); // no signature by Enoch
        assertThat(n.encode()).isEqualTo(PETER_NOTE);
    }

    /** Go's TestOpen: two signatures, each verifiable on its own; unknown keys are ignored. */
    @Test
    void eachSignerVerifiesItsOwnSignature() {
        SignedNote n = SignedNote.parse(TEXT + "\n" + PETER_SIG + ENOCH_SIG);
        assertThat(n.signatures()).extracting(NoteSignature::name).containsExactly("PeterNeumann", "EnochRoot");
        assertThat(n.verifiedBy(PETER)).isTrue();
        assertThat(n.verifiedBy(ENOCH)).isTrue();
        assertThat(n.verifiedBy(SigningKey.generate("PeterNeumann").verifierKey())).isFalse();
        // Repeated signatures are fine as long as all of them verify.
        assertThat(SignedNote.parse(TEXT + "\n" + PETER_SIG + PETER_SIG + ENOCH_SIG).verifiedBy(PETER)).isTrue();
    }

    @Test
    void tamperingIsDetected() {
        assertThat(SignedNote.parse(PETER_NOTE.replace("cryptography", "cryptographY")).verifiedBy(PETER)).isFalse();
        // Go's "invalid signature" case: four base64 characters inserted into the signature.
        String badSig = TEXT + "\n" + PETER_SIG.substring(0, 60) + "ABCD" + PETER_SIG.substring(60);
        assertThat(SignedNote.parse(badSig).verifiedBy(PETER)).isFalse();
        // A bad signature by a known key spoils the note even next to a good one.
        assertThat(SignedNote.parse(TEXT + "\n" + PETER_SIG + badSig.substring(TEXT.length() + 1))
                .verifiedBy(PETER)).isFalse();
        // The same signature under another name is a signature by an unknown key.
        assertThat(SignedNote.parse(PETER_NOTE.replace("\u2014 PeterNeumann", "\u2014 PeterNeuman"))
                .verifiedBy(PETER)).isFalse();
    }

    @Test
    void signRoundTripsWithSeveralKeys() {
        SigningKey a = SigningKey.generate("log.example/a");
        SigningKey b = SigningKey.generate("witness.example/b");
        String text = "first line\n\nafter an empty line\n";
        SignedNote n = SignedNote.sign(text, a, b);
        SignedNote back = SignedNote.parse(n.encode());
        assertThat(back).isEqualTo(n);
        assertThat(back.text()).isEqualTo(text);
        assertThat(back.verifiedBy(a.verifierKey())).isTrue();
        assertThat(back.verifiedBy(b.verifierKey())).isTrue();
        assertThat(back.encode()).isEqualTo(n.encode());
    }

    @Test
    void signRefusesTextsThatCannotBeNotes() {
        SigningKey k = SigningKey.generate("k");
        assertThatThrownBy(() -> SignedNote.sign("no newline", k)).hasMessageContaining("end in a newline");
        assertThatThrownBy(() -> SignedNote.sign("", k)).hasMessageContaining("end in a newline");
        assertThatThrownBy(() -> SignedNote.sign("tab\there\n", k)).hasMessageContaining("U+0009");
        assertThatThrownBy(() -> SignedNote.sign("text\n")).hasMessageContaining("at least one");
        assertThatThrownBy(() -> SignedNote.sign("text\n", k, k)).hasMessageContaining("given twice");
    }

    /** Go's malformed-message table, plus the cases a Java string can express instead of raw bytes. */
    @Test
    void malformedNotesAreRefusedWithClearMessages() {
        assertMalformed(TEXT, "no blank line");
        assertMalformed(TEXT + "\n", "no signature lines");
        assertMalformed(TEXT + "\n" + PETER_SIG.substring(0, PETER_SIG.length() - 1), "does not end in a newline");
        assertMalformed("\u0001" + TEXT + "\n" + PETER_SIG, "control character U+0001 on line 1");
        assertMalformed("\ud800" + TEXT + "\n" + PETER_SIG, "unpaired surrogate");
        assertMalformed(TEXT + "\n\u2014 Bad Name x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKv"
                + "qfqdngotpRZb6KE6RyyBwJnAM=\n", "line 4: more than one space after the em dash");
        assertMalformed(TEXT + "\n" + PETER_SIG + "Unexpected line.\n", "line 5: a signature line must start with "
                + "an em dash");
        assertMalformed(TEXT + "\n- PeterNeumann x08go/ZJkuBS9UG\n", "em dash");
        assertMalformed(TEXT + "\n\u2014 PeterNeumann\n", "no space after the key name");
        assertMalformed(TEXT + "\n\u2014 PeterNeumann x08g\n", "line 4: the signature by PeterNeumann is 3 bytes");
        assertMalformed(TEXT + "\n\u2014 PeterNeumann x08go/ZJkuBS9UG\n", "not canonical base64");
        assertMalformed(TEXT + "\n\u2014 PeterNeumann \n", "is 0 bytes");
        assertMalformed(TEXT + "\n" + PETER_SIG.repeat(101), "more than 100 signatures");
        assertThat(SignedNote.parse(TEXT + "\n" + PETER_SIG.repeat(100)).verifiedBy(PETER)).isTrue();
    }

    private static void assertMalformed(String note, String message) {
        assertThatThrownBy(() -> SignedNote.parse(note)).isInstanceOf(NoteFormatException.class)
                .hasMessageStartingWith("malformed note").hasMessageContaining(message);
    }

    @Test
    void theTextEndsAtTheLastBlankLine() {
        // The text may itself contain blank lines; the last one separates it from the signatures.
        SigningKey k = SigningKey.generate("k");
        SignedNote n = SignedNote.sign("a\n\n\nb\n\n", k);
        assertThat(SignedNote.parse(n.encode()).text()).isEqualTo("a\n\n\nb\n\n");
        assertThat(SignedNote.parse(n.encode()).verifiedBy(k.verifierKey())).isTrue();
    }

    @Test
    void theSpecExampleParses() {
        // The example note of c2sp.org/signed-note (its key is not published, so it can only be parsed).
        String note = "Ognuno sta solo sul cuor della terra\ntrafitto da un raggio di sole:\n\ned \u00e8 subito sera.\n"
                + "\n\u2014 quasimodo.example/salvatore NnugSzTjtVAewIS+Z/iJhUPeFDkO/5QQ2i5ddnGITLlC+EhfLW9oJKONrMou"
                + "FSQU0xMcXxj99ihAQwaqP3ZekRwNtIc=\n";
        SignedNote n = SignedNote.parse(note);
        assertThat(n.text()).endsWith("subito sera.\n").contains("\n\n");
        assertThat(n.signatures()).singleElement().satisfies(s -> {
            assertThat(s.name()).isEqualTo("quasimodo.example/salvatore");
            assertThat(s.sig()).hasSize(64);
        });
        assertThat(n.encode()).isEqualTo(note);
    }
}
