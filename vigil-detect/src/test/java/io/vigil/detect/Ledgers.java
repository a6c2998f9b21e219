package io.vigil.detect;

import io.vigil.ledger.FileLedger;
import io.vigil.ledger.LedgerEntry;
import io.vigil.ledger.LedgerOptions;
import io.vigil.ledger.LedgerReader;
import io.vigil.ledger.LedgerSink;
import io.vigil.ledger.LedgerVerifier;
import io.vigil.ledger.VerificationReport;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The real file ledger the stage's tests write through: opening one as a sink, reading it back, verifying it. */
final class Ledgers {

    private Ledgers() {
    }

    static LedgerSink sink(Path dir) throws IOException {
        return new LedgerSink(FileLedger.open(dir, LedgerOptions.defaults("example.com/detect/test")));
    }

    /** Every entry, in ledger order. */
    static List<LedgerEntry> entries(Path dir) throws IOException {
        try (LedgerReader reader = FileLedger.openReader(dir);
             Stream<LedgerEntry> entries = reader.entries(0, reader.size())) {
            return entries.toList();
        }
    }

    static void assertIntact(Path dir) throws IOException {
        VerificationReport report = LedgerVerifier.of(dir).verify();
        assertThat(report.intact()).as(report.reason().orElse("")).isTrue();
    }
}
