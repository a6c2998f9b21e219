package io.vigil.ledger.internal;

import io.vigil.ledger.Hash;
import io.vigil.ledger.checkpoint.Checkpoint;
import io.vigil.ledger.checkpoint.SignedCheckpoint;
import io.vigil.ledger.checkpoint.SigningKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CheckpointFileTest {
    private static final SigningKey KEY = SigningKey.generate("example.com/log");

    @TempDir
    Path dir;

    private static String line(long size, String time) {
        Checkpoint c = new Checkpoint("example.com/log", size, Hash.fromHex("ab".repeat(32)));
        String note = SignedCheckpoint.sign(c, KEY).encode().replace("\\", "\\\\").replace("\n", "\\n")
                .replace("\"", "\\\"");
        return "{\"note\":\"" + note + "\",\"time\":\"" + time + "\"}\n";
    }

    @Test
    void aMissingFileHoldsNoCheckpoints() throws IOException {
        CheckpointFile.Contents c = CheckpointFile.read(dir.resolve("checkpoints.jsonl"));
        assertThat(c.checkpoints()).isEmpty();
        assertThat(c.tornBytes()).isZero();
    }

    @Test
    void completeLinesAreReadInOrderAndAnUnfinishedLastLineIsReportedNotRead() throws IOException {
        Path file = dir.resolve("checkpoints.jsonl");
        String complete = line(10, "2026-01-01T00:00:00Z") + "\n" + line(20, "2026-01-01T00:00:10Z");
        String torn = line(30, "2026-01-01T00:00:20Z").substring(0, 40);
        Files.writeString(file, complete + torn, StandardCharsets.UTF_8);
        CheckpointFile.Contents c = CheckpointFile.read(file);
        assertThat(c.signed()).extracting(s -> s.checkpoint().size()).containsExactly(10L, 20L);
        assertThat(c.checkpoints().get(1).time()).contains("2026-01-01T00:00:10Z");
        assertThat(c.completeBytes()).isEqualTo(complete.getBytes(StandardCharsets.UTF_8).length);
        assertThat(c.tornBytes()).isEqualTo(40);
    }

    @Test
    void aCompleteLineThatIsNotACheckpointIsNamedByItsNumber() throws IOException {
        Path file = dir.resolve("checkpoints.jsonl");
        Files.writeString(file, line(10, "t") + "{\"time\":\"t\"}\n", StandardCharsets.UTF_8);
        assertThatThrownBy(() -> CheckpointFile.read(file)).isInstanceOf(IOException.class)
                .hasMessageContaining("line 2 is not a checkpoint").hasMessageContaining("note");
    }
}
