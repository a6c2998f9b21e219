package io.vigil.spring.boot.autoconfigure;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** The entries of a file ledger, read from its segment files, oldest first. */
final class LedgerEntries {
    private static final ObjectMapper JSON = new ObjectMapper();

    private LedgerEntries() {
    }

    static List<JsonNode> read(Path dir) {
        List<JsonNode> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir.resolve("segments"))) {
            for (Path f : files.sorted().toList()) {
                for (String line : Files.readAllLines(f)) {
                    if (!line.isBlank()) {
                        out.add(JSON.readTree(line));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    static List<JsonNode> ofType(Path dir, String type) {
        return read(dir).stream().filter(n -> n.path("type").asText().equals(type)).toList();
    }
}
