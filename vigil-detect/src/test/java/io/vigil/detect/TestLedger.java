package io.vigil.detect;

import io.vigil.AuditLog;
import io.vigil.PipelineOptions;
import io.vigil.event.AuditEvent;
import io.vigil.event.EventIds;
import io.vigil.ledger.FileLedger;
import io.vigil.ledger.LedgerEntry;
import io.vigil.ledger.LedgerOptions;
import io.vigil.ledger.LedgerReader;
import io.vigil.ledger.LedgerSink;
import io.vigil.ledger.LedgerVerifier;
import io.vigil.ledger.VerificationReport;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real {@link AuditLog} writing a real file ledger, with a detection stage registered on it and bound: what the
 * detector tests record into, read back and verify.
 */
final class TestLedger implements AutoCloseable {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private final Path dir;
    private final DetectionStage stage;
    private final AuditLog log;

    TestLedger(DetectionStage stage, Path dir) throws IOException {
        this.dir = dir;
        this.stage = stage;
        this.log = AuditLog.builder()
                .pipeline(PipelineOptions.DEFAULT.withShutdownHook(false))
                .sink("ledger", new LedgerSink(FileLedger.open(dir, LedgerOptions.defaults("example.com/detect/test"))))
                .sink("detect", stage)
                .build();
        stage.bind(log);
    }

    AuditLog log() {
        return log;
    }

    /** Records an event, which must have its timestamp, with an id for that time; returns it as recorded. */
    AuditEvent record(AuditEvent.Builder event) {
        Instant at = event.timestamp().orElseThrow(() -> new IllegalArgumentException("give the event a timestamp"));
        AuditEvent built = event.id(EventIds.next(at.toEpochMilli())).build();
        log.record(built);
        return built;
    }

    /** Every finding written so far (events carrying {@code details.detector}), in ledger order. */
    List<AuditEvent> findings() throws IOException {
        assertThat(stage.flush(WAIT)).as("flushed in time").isTrue();
        return entries().stream().filter(e -> e.details().containsKey("detector")).toList();
    }

    /** Closes the log, then checks that the ledger verifies. */
    void closeAndVerify() throws IOException {
        assertThat(stage.flush(WAIT)).as("flushed in time").isTrue();
        log.close();
        VerificationReport report = LedgerVerifier.of(dir).verify();
        assertThat(report.intact()).as(report.reason().orElse("")).isTrue();
    }

    private List<AuditEvent> entries() throws IOException {
        try (LedgerReader reader = FileLedger.openReader(dir);
             Stream<LedgerEntry> entries = reader.entries(0, reader.size())) {
            return entries.map(LedgerEntry::event).toList();
        }
    }

    @Override
    public void close() {
        log.close();
    }
}
