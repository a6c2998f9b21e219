package io.vigil.ledger;

import io.vigil.ledger.checkpoint.SigningKey;
import io.vigil.redact.HmacKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link FileLedger#metadata(Path)}: what a ledger directory says of itself, read without opening a store. */
class FileLedgerMetadataTest {

    @Test
    void aSignedPlainLedgerNamesItsOriginAndSigner(@TempDir Path dir) throws Exception {
        SigningKey signer = SigningKey.generate("meta");
        try (LedgerStore store = FileLedger.open(dir, LedgerOptions.defaults("example.com/meta").withSigningKey(signer))) {
            store.append(FileLedgerSmokeTest.events(0, 3));
        }
        FileLedgerMetadata meta = FileLedger.metadata(dir);
        assertThat(meta.origin()).isEqualTo("example.com/meta");
        assertThat(meta.keyed()).isFalse();
        assertThat(meta.keyEpochs()).isZero();
        assertThat(meta.namedSigner()).hasValue(signer.verifierKey());
    }

    @Test
    void aKeyedUnsignedLedgerCountsItsKeyEpochsAndNamesNoSigner(@TempDir Path dir) throws Exception {
        byte[] key = new byte[32];
        Arrays.fill(key, (byte) 5);
        LedgerOptions options = LedgerOptions.defaults("example.com/meta-keyed").withHmacKeys(List.of(HmacKey.of(key)));
        try (LedgerStore store = FileLedger.open(dir, options)) {
            store.append(FileLedgerSmokeTest.events(0, 3));
        }
        FileLedgerMetadata meta = FileLedger.metadata(dir);
        assertThat(meta.keyed()).isTrue();
        assertThat(meta.keyEpochs()).isEqualTo(1);
        assertThat(meta.namedSigner()).isEmpty();
        try (LedgerReader reader = FileLedger.openReader(dir)) {
            assertThat(reader.keyed()).as("the reader agrees").isTrue();
            assertThat(reader.origin()).isEqualTo(meta.origin());
        }
    }

    @Test
    void aDirectoryWithoutALedgerIsAnIoError(@TempDir Path dir) throws IOException {
        Files.createDirectories(dir.resolve("empty"));
        assertThatThrownBy(() -> FileLedger.metadata(dir.resolve("empty"))).isInstanceOf(IOException.class)
                .hasMessageContaining(FileLayout.METADATA);
    }
}
