package io.vigil.ledger;

import io.vigil.ledger.checkpoint.SigningKey;
import io.vigil.ledger.internal.store.FileStore;
import io.vigil.ledger.tck.SampleEvents;
import io.vigil.ledger.testsupport.SegmentFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** One {@link LedgerVerifier} verifies again and again; no run carries anything over to the next. */
class LedgerVerifierReuseTest {
    @TempDir
    Path dir;

    @Test
    void eachVerificationStartsAfresh() throws Exception {
        SigningKey key = SigningKey.generate("reuse.example.com");
        try (FileStore store = FileStore.open(dir, LedgerOptions.defaults("example.com/audit/reuse")
                .withSigningKey(key).withCheckpoints(100, Duration.ofHours(1)).withSegmentBytes(16 * 1024))) {
            store.append(SampleEvents.loginFailures(0, 250));
        }
        LedgerVerifier verifier = LedgerVerifier.of(dir).key(key.verifierKey()).threads(2);

        VerificationReport first = verifier.verify();
        assertThat(first.intact()).as(first.reason().orElse("")).isTrue();
        assertThat(verifier.verify()).as("the same ledger, verified again").isEqualTo(first);

        SegmentFiles files = SegmentFiles.load(dir);
        String line = files.line(120);
        files.setLine(120, line.replace("\"outcome\":\"failure\"", "\"outcome\":\"success\""));
        files.save();
        Path checkpoints = FileLayout.of(dir).checkpoints();
        byte[] complete = Files.readAllBytes(checkpoints);
        Files.writeString(checkpoints, "{\"size\":", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        VerificationReport tampered = verifier.verify();
        assertThat(tampered.firstBadSeq()).hasValue(120);
        assertThat(tampered.reason()).hasValue("the content of seq 120 does not match its hash: the entry was changed");
        assertThat(tampered.warnings()).anySatisfy(w -> assertThat(w).contains("unfinished checkpoint"));

        files.setLine(120, line);
        files.save();
        Files.write(checkpoints, complete);
        assertThat(verifier.verify()).as("put back: intact again, nothing left of the last run").isEqualTo(first);
    }
}
