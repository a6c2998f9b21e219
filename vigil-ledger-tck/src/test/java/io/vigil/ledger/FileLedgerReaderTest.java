package io.vigil.ledger;

import io.vigil.ledger.tck.SampleEvents;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The file ledger's reader beside a running writer: only complete entries, and every one of them in order. */
class FileLedgerReaderTest {
    private static final LedgerOptions OPTIONS = LedgerOptions.defaults("example.com/reader").withSegmentBytes(8 * 1024);

    @TempDir
    Path dir;

    @Test
    void aReaderBesideAnAppendingWriterSeesOnlyCompleteEntriesInOrder() throws Exception {
        List<String> seen = new ArrayList<>();
        try (LedgerStore writer = FileLedger.open(dir, OPTIONS); LedgerReader reader = FileLedger.openReader(dir)) {
            CompletableFuture<Void> appending = CompletableFuture.runAsync(() -> {
                try {
                    for (int i = 0; i < 60; i++) {
                        writer.append(SampleEvents.loginFailures(i * 10L, 10));
                    }
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            long polls = 0;
            while (!appending.isDone() || seen.size() < reader.size()) {
                long size = reader.size();
                assertThat(size).as("the size never goes back").isGreaterThanOrEqualTo(seen.size());
                try (Stream<LedgerEntry> fresh = reader.entries(seen.size(), size)) {
                    fresh.forEach(e -> {
                        assertThat(e.seq()).isEqualTo(seen.size());
                        seen.add(e.line());
                    });
                }
                polls++;
            }
            appending.get(30, TimeUnit.SECONDS);
            assertThat(polls).isGreaterThan(1);
            assertThat(seen).hasSize(600);
            for (long seq = 0; seq < 600; seq++) {
                assertThat(seen.get((int) seq)).isEqualTo(writer.line(seq));
            }
        }
    }

    @Test
    void anUnfinishedLineIsNotAnEntry() throws IOException {
        try (LedgerStore writer = FileLedger.open(dir, OPTIONS)) {
            writer.append(SampleEvents.loginFailures(0, 5));
        }
        FileLayout layout = FileLayout.of(dir);
        List<Long> firsts = layout.segmentFirstSeqs();
        Files.writeString(layout.segment(firsts.get(firsts.size() - 1)), "{\"seq\":5,\"unfini",
                StandardOpenOption.APPEND);
        try (LedgerReader reader = FileLedger.openReader(dir)) {
            assertThat(reader.size()).isEqualTo(5);
            assertThat(reader.entry(4).seq()).isEqualTo(4);
            assertThatThrownBy(() -> reader.entry(5)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("seq 5 is not in the ledger (size 5)");
        }
    }

    @Test
    void aDirectoryWithoutALedgerIsRefused() {
        assertThatThrownBy(() -> FileLedger.openReader(dir)).isInstanceOf(IOException.class)
                .hasMessageContaining("holds no ledger");
    }
}
