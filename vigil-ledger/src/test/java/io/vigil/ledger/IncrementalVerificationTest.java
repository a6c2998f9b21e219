package io.vigil.ledger;

import io.vigil.ledger.checkpoint.SignedCheckpoint;
import io.vigil.ledger.checkpoint.SigningKey;
import io.vigil.ledger.internal.store.FileStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** Verifying from a trusted checkpoint reads only what came after it. */
class IncrementalVerificationTest {

    @Test
    void verifiesOnlyWhatFollowsATrustedCheckpoint(@TempDir Path dir) throws Exception {
        SigningKey key = SigningKey.generate("inc");
        LedgerOptions opts = LedgerOptions.defaults("example.com/inc").withSigningKey(key)
                .withCheckpoints(1_000, Duration.ofHours(1)).withSegmentBytes(64 * 1024);
        SignedCheckpoint trusted;
        try (FileStore s = FileStore.open(dir, opts)) {
            s.append(FileLedgerSmokeTest.events(0, 3_000));
            trusted = s.checkpoints().get(s.checkpoints().size() - 1);
            s.append(FileLedgerSmokeTest.events(3_000, 700));
        }
        assertThat(trusted.checkpoint().size()).isEqualTo(3_000);

        AtomicLong bytes = new AtomicLong();
        VerificationReport full = LedgerVerifier.of(dir).key(key.verifierKey()).verify();
        VerificationReport inc = LedgerVerifier.of(dir).key(key.verifierKey()).since(trusted)
                .progress(bytes::set).verify();
        assertThat(full.intact()).isTrue();
        assertThat(inc.intact()).as(inc.reason().orElse("")).isTrue();
        assertThat(inc.entries()).isEqualTo(3_700);
        assertThat(inc.root()).isEqualTo(full.root());

        // a change after the trusted point is found, with its seq
        Path seg = lastSegment(dir);
        List<String> lines = Files.readAllLines(seg, StandardCharsets.UTF_8);
        int idx = lines.size() - 5;
        lines.set(idx, lines.get(idx).replace("\"u", "\"x"));
        Files.write(seg, lines, StandardCharsets.UTF_8);
        VerificationReport bad = LedgerVerifier.of(dir).key(key.verifierKey()).since(trusted).verify();
        assertThat(bad.firstBadSeq()).hasValue(3_700 - 5);
    }

    private static Path lastSegment(Path dir) throws Exception {
        try (var s = Files.list(dir.resolve("segments"))) {
            return s.sorted().reduce((a, b) -> b).orElseThrow();
        }
    }
}
