package io.vigil.spring.internal.ledger;

import io.vigil.ledger.FileLayout;
import io.vigil.ledger.LedgerStore;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;
import java.util.function.Predicate;

/**
 * Reads a ledger's entries newest first, beside the running writer, without touching the writer's store object
 * (which is not for concurrent use).
 */
@FunctionalInterface
public interface NewestEntries {

    /** Hands stored lines to {@code visitor}, newest first, until it returns false or the ledger's start. */
    void scan(Predicate<String> visitor) throws IOException;

    /**
     * A file ledger's segment files ({@link FileLayout}), read without a lock: only complete lines, so an entry
     * being appended is not seen half written.
     */
    static NewestEntries ofDirectory(Path dir) {
        return visitor -> {
            FileLayout layout = FileLayout.of(dir);
            List<Path> files = new ArrayList<>();
            for (long first : layout.segmentFirstSeqs()) {
                files.add(layout.segment(first));
            }
            for (int i = files.size() - 1; i >= 0; i--) {
                byte[] bytes = Files.readAllBytes(files.get(i));
                int end = bytes.length;
                while (end > 0 && bytes[end - 1] != '\n') {
                    end--; // a torn or still-growing last line is not an entry yet
                }
                int lineEnd = end - 1;
                while (lineEnd > 0) {
                    int start = lineEnd - 1;
                    while (start >= 0 && bytes[start] != '\n') {
                        start--;
                    }
                    String line = new String(bytes, start + 1, lineEnd - start - 1, StandardCharsets.UTF_8);
                    if (!visitor.test(line)) {
                        return;
                    }
                    lineEnd = start;
                }
            }
        };
    }

    /** A store whose reads are safe beside its writer (the PostgreSQL store reads through its own connections). */
    static NewestEntries ofStore(LedgerStore store, LongSupplier size) {
        return visitor -> {
            for (long seq = size.getAsLong() - 1; seq >= 0; seq--) {
                if (!visitor.test(store.line(seq))) {
                    return;
                }
            }
        };
    }
}
