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
import java.util.UUID;
import java.util.function.Predicate;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real {@link AuditLog} writing a real file ledger, with a detection stage registered on it and bound: what the
 * detector tests record events through and read findings back from.
 */
final class DetectedLedger implements AutoCloseable {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private final Path dir;
    private final DetectionStage stage;
    private final AuditLog log;

    DetectedLedger(DetectionStage stage, Path dir) throws IOException {
        this.dir = dir;
        this.stage = stage;
        this.log = AuditLog.builder()
                .pipeline(PipelineOptions.DEFAULT.withShutdownHook(false))
                .sink("ledger", new LedgerSink(FileLedger.open(dir, LedgerOptions.defaults("example.com/detect/test"))))
                .sink("detect", stage)
                .build();
        stage.bind(log);
    }

    DetectionStage stage() {
        return stage;
    }

    AuditLog log() {
        return log;
    }

    /** Records the event with an id minted at its own timestamp (which the builder must have); returns it as built. */
    AuditEvent record(AuditEvent.Builder event) {
        Instant at = event.timestamp().orElseThrow(() -> new IllegalArgumentException("the test event needs a time"));
        AuditEvent built = event.id(EventIds.next(at.toEpochMilli())).build();
        log.record(built);
        return built;
    }

    /** Every finding written so far (events carrying {@code details.detector}), in ledger order. */
    List<AuditEvent> findings() throws IOException {
        return findings(e -> e.details().containsKey("detector"));
    }

    /** The findings carrying {@code flag}, in ledger order, once everything recorded so far has been written. */
    List<AuditEvent> findings(String flag) throws IOException {
        return findings(e -> e.anomalyFlags().contains(flag));
    }

    private List<AuditEvent> findings(Predicate<AuditEvent> which) throws IOException {
        assertThat(stage.flush(WAIT)).as("flushed in time").isTrue();
        try (LedgerReader reader = FileLedger.openReader(dir);
             Stream<LedgerEntry> entries = reader.entries(0, reader.size())) {
            return entries.map(LedgerEntry::event).filter(which).toList();
        }
    }

    /** Closes the log and checks that the ledger, findings included, verifies. */
    void closeAndVerify() throws IOException {
        assertThat(stage.flush(WAIT)).as("flushed in time").isTrue();
        log.close();
        VerificationReport report = LedgerVerifier.of(dir).verify();
        assertThat(report.intact()).as(report.reason().orElse("")).isTrue();
    }

    @Override
    public void close() {
        log.close();
    }

    static List<String> ids(UUID... ids) {
        return Stream.of(ids).map(UUID::toString).toList();
    }
}
