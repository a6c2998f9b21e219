package io.vigil.example.gateway.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.ledger.LedgerVerifier;
import io.vigil.ledger.VerificationReport;
import io.vigil.ledger.checkpoint.VerifierKey;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * A file ledger read through its directory layout (docs/ledger-format.md): the {@code segments/*.jsonl} files in
 * name order, complete lines only.
 */
public final class FileLedgerAccess implements LedgerAccess {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Path dir;
    private final VerifierKey key;

    public FileLedgerAccess(Path dir, VerifierKey key) {
        this.dir = dir;
        this.key = key;
    }

    public Path dir() {
        return dir;
    }

    @Override
    public List<Entry> entries() throws IOException {
        List<Entry> out = new ArrayList<>();
        Path segments = dir.resolve("segments");
        if (!Files.isDirectory(segments)) {
            return out;
        }
        List<Path> files;
        try (Stream<Path> s = Files.list(segments)) {
            files = s.filter(p -> p.getFileName().toString().endsWith(".jsonl")).sorted().toList();
        }
        for (Path f : files) {
            String text = Files.readString(f, StandardCharsets.UTF_8);
            int end = text.lastIndexOf('\n');
            if (end < 0) {
                continue;
            }
            for (String line : text.substring(0, end).split("\n")) {
                JsonNode n = JSON.readTree(line);
                out.add(new Entry(n.path("seq").asLong(), n));
            }
        }
        return out;
    }

    @Override
    public VerificationReport verify() throws IOException {
        return LedgerVerifier.of(dir).key(key).verify();
    }

    @Override
    public String everything() throws IOException {
        StringBuilder all = new StringBuilder();
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.filter(Files::isRegularFile).sorted().toList()) {
                // ISO-8859-1 keeps every byte as one char, so a secret is found in binary files as well
                all.append(p).append('\n').append(new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1))
                        .append('\n');
            }
        }
        return all.toString();
    }
}
