package io.vigil.ledger.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.ledger.checkpoint.SignedCheckpoint;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The one reader of a file ledger's {@code checkpoints.jsonl}: one JSON object per line, {@code note} the signed
 * checkpoint and {@code time} when it was signed. Only complete lines count; a last line without its newline is an
 * unfinished write, reported in {@link Contents#tornBytes()} for the caller to cut (the writer) or warn about (a
 * reader beside it).
 */
public final class CheckpointFile {
    private static final ObjectMapper JSON = new ObjectMapper();

    private CheckpointFile() {
    }

    /** A stored checkpoint and the time it was written, when the line says. */
    public record Stored(SignedCheckpoint checkpoint, Optional<String> time) {
    }

    /**
     * What the file holds.
     *
     * @param checkpoints the complete lines' checkpoints, oldest first
     * @param completeBytes the length of the complete lines, where an unfinished one starts
     * @param tornBytes   bytes after the last newline
     */
    public record Contents(List<Stored> checkpoints, long completeBytes, long tornBytes) {
        public Contents {
            checkpoints = List.copyOf(checkpoints);
        }

        /** Just the checkpoints. */
        public List<SignedCheckpoint> signed() {
            return checkpoints.stream().map(Stored::checkpoint).toList();
        }
    }

    /**
     * Reads the file; a missing file holds no checkpoints.
     *
     * @throws IOException when it cannot be read, or a complete line is not a checkpoint (naming the line)
     */
    public static Contents read(Path file) throws IOException {
        byte[] all;
        try {
            all = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return new Contents(List.of(), 0, 0);
        }
        int end = all.length;
        while (end > 0 && all[end - 1] != '\n') {
            end--;
        }
        List<Stored> out = new ArrayList<>();
        int n = 0;
        for (String line : new String(all, 0, end, StandardCharsets.UTF_8).split("\n")) {
            n++;
            if (line.isBlank()) {
                continue;
            }
            try {
                JsonNode j = JSON.readTree(line);
                JsonNode note = j == null ? null : j.get("note");
                if (note == null || !note.isTextual()) {
                    throw new IOException("no \"note\" text");
                }
                JsonNode time = j.get("time");
                out.add(new Stored(SignedCheckpoint.parse(note.asText()),
                        time != null && time.isTextual() ? Optional.of(time.asText()) : Optional.empty()));
            } catch (IOException | RuntimeException e) {
                throw new IOException(file + " line " + n + " is not a checkpoint: " + e.getMessage(), e);
            }
        }
        return new Contents(out, end, all.length - end);
    }
}
