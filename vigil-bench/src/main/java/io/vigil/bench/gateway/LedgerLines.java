package io.vigil.bench.gateway;

import io.vigil.ledger.FileLayout;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Counts the entries of one event type in a file ledger's segments, to show that the measured requests were audited. */
public final class LedgerLines {
    private LedgerLines() {
    }

    /**
     * The lines of the ledger's segment files whose {@code type} is {@code type}. Entries are canonical JSON
     * (no blanks), and the top-level {@code type} is the only member named so whose value is a catalogue name.
     */
    public static long countType(Path ledgerDir, String type) throws IOException {
        String needle = "\"type\":\"" + type + "\"";
        FileLayout layout = FileLayout.of(ledgerDir);
        long n = 0;
        for (long first : layout.segmentFirstSeqs()) {
            Path f = layout.segment(first);
            try (BufferedReader r = Files.newBufferedReader(f, StandardCharsets.UTF_8)) {
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                    if (line.contains(needle)) {
                        n++;
                    }
                }
            }
        }
        return n;
    }
}
