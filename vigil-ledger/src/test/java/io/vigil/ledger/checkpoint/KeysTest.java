package io.vigil.ledger.checkpoint;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import static io.vigil.ledger.checkpoint.GoVectors.ENOCH_VKEY;
import static io.vigil.ledger.checkpoint.GoVectors.PETER_SECRET;
import static io.vigil.ledger.checkpoint.GoVectors.PETER_SKEY;
import static io.vigil.ledger.checkpoint.GoVectors.PETER_VKEY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KeysTest {

    @Test
    void goVerifierKeyParsesAndEncodesBackExactly() {
        VerifierKey v = VerifierKey.parse(PETER_VKEY);
        assertThat(v.name()).isEqualTo("PeterNeumann");
        assertThat(v.keyId()).isEqualTo(0xc74f20a3);
        assertThat(v.keyIdHex()).isEqualTo("c74f20a3");
        assertThat(v.publicKeyBytes()).hasSize(32);
        assertThat(v.publicKey().getAlgorithm()).isIn("EdDSA", "Ed25519");
        assertThat(v.encode()).isEqualTo(PETER_VKEY);
        assertThat(VerifierKey.parse(ENOCH_VKEY).keyId()).isEqualTo(0xaf0cfe78);
    }

    @Test
    void goSignerKeyDerivesTheGoVerifierKey() {
        SigningKey s = SigningKey.parse(PETER_SKEY);
        assertThat(s.name()).isEqualTo("PeterNeumann");
        assertThat(s.keyId()).isEqualTo(0xc74f20a3);
        assertThat(s.verifierKey().encode()).isEqualTo(PETER_VKEY);
        assertThat(s.verifierKey()).isEqualTo(VerifierKey.parse(PETER_VKEY));
        assertThat(s.encode()).isEqualTo(PETER_SKEY);
    }

    @Test
    void generatedKeysRoundTripAndSign() {
        SigningKey s = SigningKey.generate("example.com/audit");
        SigningKey again = SigningKey.parse(s.encode());
        assertThat(again.verifierKey()).isEqualTo(s.verifierKey());
        assertThat(again.encode()).isEqualTo(s.encode());
        VerifierKey v = VerifierKey.parse(s.verifierKey().encode());
        byte[] msg = "hi".getBytes(StandardCharsets.UTF_8);
        byte[] sig = s.sign(msg);
        assertThat(sig).hasSize(64);
        assertThat(sig).isEqualTo(again.sign(msg)); // RFC 8032 signatures are deterministic
        assertThat(v.verify(msg, sig)).isTrue();
        sig[0]++;
        assertThat(v.verify(msg, sig)).isFalse();
        sig[0]--;
        msg[0]++;
        assertThat(v.verify(msg, sig)).isFalse();
        assertThat(v.verify(msg, new byte[3])).isFalse();
        assertThat(SigningKey.generate("example.com/audit").verifierKey()).isNotEqualTo(s.verifierKey());
    }

    @Test
    void toStringNeverShowsTheSecret() {
        SigningKey s = SigningKey.parse(PETER_SKEY);
        assertThat(s.toString()).isEqualTo("SigningKey[PeterNeumann+c74f20a3]").doesNotContain(PETER_SECRET);
    }

    @Test
    void keyNamesAreChecked() {
        for (String bad : new String[] {"", "a b", "a+b", "a\tb", "a\u00a0b", "a\u2003b", "a\nb", "a\u0001b",
                "a\ud800b"}) {
            assertThatThrownBy(() -> SigningKey.generate(bad)).as("name %s", bad)
                    .isInstanceOf(IllegalArgumentException.class);
        }
        assertThat(SigningKey.generate("h\u00e9llo/\u4e16\u754c").name()).isEqualTo("h\u00e9llo/\u4e16\u754c");
    }

    /** Like Go's TestNewVerifier: every proper substring and every single-byte change must be refused. */
    @Test
    void mangledVerifierKeysAreRefused() {
        char[] b = PETER_VKEY.toCharArray();
        for (int i = 0; i <= b.length; i++) {
            for (int j = i + 1; j <= b.length; j++) {
                if (i != 0 || j != b.length) {
                    String k = PETER_VKEY.substring(i, j);
                    assertThatThrownBy(() -> VerifierKey.parse(k)).as(k).isInstanceOf(NoteFormatException.class);
                }
            }
        }
        for (int i = 0; i < b.length; i++) {
            b[i]++;
            String k = new String(b);
            assertThatThrownBy(() -> VerifierKey.parse(k)).as(k).isInstanceOf(NoteFormatException.class);
            b[i]--;
        }
        // Go's own extra cases: a wrong-length key and an unknown algorithm, each with a matching key hash.
        assertThatThrownBy(() -> VerifierKey.parse(
                "PeterNeumann+cc469956+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TWBADKEY=="))
                .isInstanceOf(NoteFormatException.class);
        byte[] short31 = new byte[32];
        short31[0] = 1;
        String shortKey = "PeterNeumann+c74f20a3+" + Base64.getEncoder().encodeToString(short31);
        assertThatThrownBy(() -> VerifierKey.parse(shortKey))
                .isInstanceOf(NoteFormatException.class).hasMessageContaining("32 bytes after the type byte, not 31");
        assertThatThrownBy(() -> VerifierKey.parse(
                "PeterNeumann+173116ae+ZRpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"))
                .isInstanceOf(NoteFormatException.class).hasMessageContaining("unsupported key type 0x65");
    }

    /** Like Go's TestNewSigner, and no message may repeat any part of the secret. */
    @Test
    void mangledSignerKeysAreRefusedWithoutEchoingTheSecret() {
        char[] b = PETER_SKEY.toCharArray();
        for (int i = 0; i <= b.length; i++) {
            for (int j = i + 1; j <= b.length; j++) {
                if (i != 0 || j != b.length) {
                    assertRefusedQuietly(PETER_SKEY.substring(i, j));
                }
            }
        }
        for (int i = 0; i < b.length; i++) {
            b[i]++;
            assertRefusedQuietly(new String(b));
            b[i]--;
        }
    }

    private static void assertRefusedQuietly(String key) {
        assertThatThrownBy(() -> SigningKey.parse(key)).as(key).isInstanceOf(NoteFormatException.class)
                .satisfies(e -> {
                    for (int w = 0; w + 6 <= PETER_SECRET.length(); w++) {
                        assertThat(e.getMessage()).doesNotContain(PETER_SECRET.substring(w, w + 6));
                    }
                });
    }

    @Test
    void parseErrorsSayWhatIsWrong() {
        assertThatThrownBy(() -> VerifierKey.parse("PeterNeumann"))
                .hasMessageContaining("<name>+<8 hex digit key ID>+<base64 key>");
        assertThatThrownBy(() -> VerifierKey.parse(
                "Peter Neumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"))
                .hasMessageContaining("spaces");
        assertThatThrownBy(() -> VerifierKey.parse(
                "PeterNeumann+c74f20a4+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"))
                .hasMessageContaining("key ID c74f20a4 does not match").hasMessageContaining("c74f20a3");
        assertThatThrownBy(() -> VerifierKey.parse("PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10T"))
                .hasMessageContaining("not canonical base64");
        assertThatThrownBy(() -> VerifierKey.parse("PeterNeumann+c74f20a+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"))
                .hasMessageContaining("8 hex digits");
        assertThatThrownBy(() -> SigningKey.parse(PETER_VKEY)).hasMessageContaining("PRIVATE+KEY+")
                .hasMessageNotContaining("ARpc2Q");
        String wrongType = "PRIVATE+KEY+PeterNeumann+c74f20a3+"
                + Base64.getEncoder().encodeToString(new byte[33]);
        assertThatThrownBy(() -> SigningKey.parse(wrongType)).hasMessageContaining("unsupported key type 0x00");
    }

    @Test
    void verifierKeyFromRawBytes() {
        VerifierKey v = VerifierKey.parse(PETER_VKEY);
        assertThat(VerifierKey.of("PeterNeumann", v.publicKeyBytes())).isEqualTo(v);
        assertThatThrownBy(() -> VerifierKey.of("PeterNeumann", new byte[31])).hasMessageContaining("32 bytes");
    }
}
