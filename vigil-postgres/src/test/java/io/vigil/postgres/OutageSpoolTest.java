package io.vigil.postgres;

import ch.qos.logback.classic.Level;
import io.vigil.AuditLog;
import io.vigil.AuditReceipt;
import io.vigil.PipelineOptions;
import io.vigil.event.Actor;
import io.vigil.event.AuditEvent;
import io.vigil.event.EventCatalog;
import io.vigil.event.EventIds;
import io.vigil.ledger.LedgerOptions;
import io.vigil.ledger.LedgerStore;
import io.vigil.ledger.VerificationReport;
import io.vigil.ledger.checkpoint.SigningKey;
import io.vigil.ledger.testsupport.LogCapture;
import io.vigil.postgres.internal.Spool;
import io.vigil.postgres.testsupport.LedgerDatabase;
import io.vigil.postgres.testsupport.PostgresServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/** The database goes away in the middle of a stream and comes back: every event lands exactly once, in order. */
class OutageSpoolTest {
    @TempDir
    Path tmp;

    @Test
    void eventsRecordedDuringAnOutageAreSpooledAndReplayedExactlyOnce() throws Exception {
        SigningKey key = SigningKey.generate("outage.test.vigil.example");
        try (PostgresServer server = PostgresServer.create()) {
            server.start();
            LedgerDatabase db = LedgerDatabase.create(server, "outage");
            LedgerStore store = PostgresLedger.open(db.writer(), LedgerOptions.defaults("test.vigil.example/outage")
                    .withSigningKey(key).withCheckpoints(1_000, Duration.ofHours(1)));
            SpoolingLedgerSink sink = SpoolingLedgerSink.open(store, tmp.resolve("spool"), Duration.ofMillis(100),
                    Clock.systemUTC());
            List<CompletableFuture<AuditReceipt>> receipts = new ArrayList<>();
            try (LogCapture log = LogCapture.of(SpoolingLedgerSink.class.getName());
                 AuditLog audit = AuditLog.builder().selfAudit(false)
                         .pipeline(PipelineOptions.DEFAULT.withShutdownHook(false)).sink("ledger", sink).build()) {
                long n = 0;
                for (; n < 2_000; n++) {
                    receipts.add(audit.record(event(n)));
                }
                assertThat(audit.flush(Duration.ofMinutes(1))).isTrue();

                server.stop(); // mid-stream: the next appends find no database
                for (; n < 5_000; n++) {
                    receipts.add(audit.record(event(n)));
                }
                assertThat(audit.flush(Duration.ofMinutes(1))).isTrue();
                SpoolStats during = sink.stats();
                assertThat(during.down()).isTrue();
                assertThat(during.outages()).isEqualTo(1);
                assertThat(during.spooled()).isEqualTo(3_000);
                assertThat(during.pending()).isEqualTo(3_000);
                assertThat(Files.list(tmp.resolve("spool")).filter(p -> p.toString().endsWith(".jsonl")).count())
                        .isEqualTo(1);

                server.start();
                for (; n < 7_000; n++) {
                    receipts.add(audit.record(event(n)));
                }
                assertThat(audit.flush(Duration.ofMinutes(1))).isTrue();
                SpoolStats after = sink.stats();
                assertThat(after.down()).isFalse();
                assertThat(after.pending()).isZero();
                assertThat(after.replayed() + after.skipped()).isEqualTo(after.spooled());
                assertThat(audit.stats().failed()).isZero();
                assertThat(audit.stats().dropped()).isZero();

                assertThat(log.messagesAtLeast(Level.WARN)).anySatisfy(m -> assertThat(m)
                        .contains("the database is unreachable").contains("spooling to"));
                assertThat(log.messagesAtLeast(Level.WARN)).anySatisfy(m -> assertThat(m)
                        .contains("the database is back"));
            }
            for (CompletableFuture<AuditReceipt> r : receipts) {
                assertThat(r).isCompleted().isNotCompletedExceptionally();
            }

            VerificationReport report = PostgresVerifier.of(db.reader()).key(key.verifierKey()).verify();
            assertThat(report.intact()).as(report.toString()).isTrue();
            assertThat(report.entries()).isEqualTo(7_000);
            try (Connection c = server.superuser(db.name()); Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT count(DISTINCT id), count(DISTINCT details->>'n'),"
                         + " bool_and(ordered) FROM (SELECT id, details, (details->>'n')::bigint > coalesce(lag("
                         + "(details->>'n')::bigint) OVER (ORDER BY seq), -1) AS ordered FROM security_audit_log) t")) {
                rs.next();
                assertThat(rs.getLong(1)).isEqualTo(7_000);
                assertThat(rs.getLong(2)).isEqualTo(7_000);
                assertThat(rs.getBoolean(3)).as("recorded order kept across the outage").isTrue();
            }
        }
    }

    /**
     * A crash after an append committed but before the spool recorded it leaves events in the spool that the
     * database already has: replay skips them by id, and what was not there yet is appended once.
     */
    @Test
    void replaySkipsEventsTheDatabaseAlreadyHolds() throws Exception {
        LedgerDatabase db = LedgerDatabase.create("replay");
        LedgerOptions options = LedgerOptions.defaults("test.vigil.example/replay");
        List<AuditEvent> events = new ArrayList<>();
        for (long n = 0; n < 300; n++) {
            events.add(event(n).id(EventIds.next(1_700_000_000_000L + n))
                    .timestamp(Instant.ofEpochMilli(1_700_000_000_000L + n)).build());
        }
        try (LedgerStore store = PostgresLedger.open(db.writer(), options)) {
            store.append(events.subList(0, 200)); // committed, but the spool below never heard of it
        }
        try (Spool spool = new Spool(tmp.resolve("spool"))) {
            spool.append(events.subList(100, 300)); // 100..199 are in the database already
        }
        SpoolingLedgerSink sink = SpoolingLedgerSink.open(PostgresLedger.open(db.writer(), options),
                tmp.resolve("spool"));
        assertThat(sink.stats().pending()).isEqualTo(200);
        sink.flush();
        assertThat(sink.stats()).isEqualTo(new SpoolStats(0, 100, 100, 0, 0, false));
        sink.close();
        VerificationReport report = PostgresVerifier.of(db.reader()).verify();
        assertThat(report.intact()).as(report.toString()).isTrue();
        assertThat(report.entries()).isEqualTo(300);
        assertThat(Files.list(tmp.resolve("spool")).filter(p -> p.toString().endsWith(".jsonl")).count()).isZero();
    }

    private static AuditEvent.Builder event(long n) {
        return AuditEvent.builder(EventCatalog.AUTH_LOGIN_FAILURE).actor(Actor.user("u" + n % 13)).detail("n", n);
    }
}
