package io.vigil.ledger;

import io.vigil.ledger.checkpoint.SigningKey;
import io.vigil.ledger.internal.store.FileStore;
import io.vigil.redact.HmacKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Keyed mode: entry hashes are HMACs under keys whose epochs are bound to seq ranges. */
class KeyedLedgerTest {

    private static HmacKey key(int fill) {
        byte[] k = new byte[32];
        Arrays.fill(k, (byte) fill);
        return HmacKey.of(k);
    }

    @Test
    void epochsBindKeysToSeqRangesAndVerificationNeedsEveryKey(@TempDir Path dir) throws Exception {
        SigningKey signer = SigningKey.generate("keyed");
        LedgerOptions opts = LedgerOptions.defaults("example.com/keyed").withSigningKey(signer)
                .withHmacKeys(List.of(key(1)));
        try (FileStore s = FileStore.open(dir, opts)) {
            s.append(FileLedgerSmokeTest.events(0, 100));
            s.addKeyEpoch(key(2));
            s.append(FileLedgerSmokeTest.events(100, 50));
        }
        assertThat(Files.readString(dir.resolve("ledger.json"))).contains("\"keyed\"").contains("\"firstSeq\" : 100");
        VerificationReport ok = LedgerVerifier.of(dir).key(signer.verifierKey()).hmacKeys(List.of(key(1), key(2))).verify();
        assertThat(ok.reason()).isEmpty();
        assertThat(ok.entries()).isEqualTo(150);

        VerificationReport wrong = LedgerVerifier.of(dir).key(signer.verifierKey()).hmacKeys(List.of(key(1), key(3))).verify();
        assertThat(wrong.firstBadSeq()).hasValue(100);

        assertThatThrownBy(() -> LedgerVerifier.of(dir).verify()).hasMessageContaining("HMAC key 0 is needed");

        // reopening needs the keys too, and checks they are the recorded ones
        assertThatThrownBy(() -> FileStore.open(dir, opts.withHmacKeys(List.of(key(1), key(9)))))
                .hasMessageContaining("does not match");
        try (FileStore s = FileStore.open(dir, opts.withHmacKeys(List.of(key(1), key(2))))) {
            s.append(FileLedgerSmokeTest.events(150, 5));
        }
        assertThat(LedgerVerifier.of(dir).key(signer.verifierKey()).hmacKeys(List.of(key(1), key(2))).verify().intact())
                .isTrue();
    }
}
