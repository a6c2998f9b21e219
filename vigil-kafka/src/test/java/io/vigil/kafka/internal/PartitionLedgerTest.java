package io.vigil.kafka.internal;

import io.vigil.event.AuditEvent;
import io.vigil.kafka.SequencerTarget;
import io.vigil.ledger.LedgerOptions;
import io.vigil.ledger.tck.SampleEvents;
import io.vigil.postgres.testsupport.PostgresServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The per-partition ledgers on their own: the stored offset, the crash window, ownership and fencing. */
class PartitionLedgerTest {
    private static final LedgerOptions OPTIONS = LedgerOptions.defaults("vigil/kafka/t/0");

    @TempDir
    Path tmp;

    @Test
    void theOffsetIsStoredWithTheLedger() throws Exception {
        List<AuditEvent> events = SampleEvents.loginFailures(0, 5);
        try (PartitionLedger l = FilePartitionLedger.tryOpen(tmp, "t", 0, OPTIONS).orElseThrow()) {
            assertThat(l.nextOffset()).isZero();
            l.append(events, List.of(), 7);
            assertThat(l.nextOffset()).isEqualTo(7);
        }
        try (PartitionLedger l = FilePartitionLedger.tryOpen(tmp, "t", 0, OPTIONS).orElseThrow()) {
            assertThat(l.nextOffset()).isEqualTo(7);
            assertThat(l.size()).isEqualTo(5);
            assertThat(l.lastIds(3)).containsExactlyElementsOf(
                    events.subList(2, 5).stream().map(AuditEvent::id).toList());
        }
        assertThat(Files.readString(tmp.resolve("t-0.offset"))).isEqualTo("next=7\nseqAfter=5\nepoch=2\n");
    }

    @Test
    void entriesAppendedBeforeACrashLostTheirOffsetAreSkippedWhenReadAgain() throws Exception {
        List<AuditEvent> first = SampleEvents.loginFailures(0, 4);
        List<AuditEvent> second = SampleEvents.loginFailures(4, 3);
        String offsetBefore;
        try (PartitionLedger l = FilePartitionLedger.tryOpen(tmp, "t", 0, OPTIONS).orElseThrow()) {
            l.append(first, List.of(), 4);
            offsetBefore = Files.readString(tmp.resolve("t-0.offset"));
            l.append(second, List.of(), 7);
        }
        // As if the process died after the second append was durable but before its offset was stored.
        Files.writeString(tmp.resolve("t-0.offset"), offsetBefore);
        try (PartitionLedger l = FilePartitionLedger.tryOpen(tmp, "t", 0, OPTIONS).orElseThrow()) {
            assertThat(l.nextOffset()).isEqualTo(4);
            for (AuditEvent e : second) {
                assertThat(l.alreadyAppended(e.id())).isTrue();
            }
            AuditEvent fresh = SampleEvents.loginFailure(7);
            assertThat(l.alreadyAppended(fresh.id())).isFalse();
            l.append(List.of(fresh), List.of(), 8);
            assertThat(l.size()).isEqualTo(8);
        }
    }

    @Test
    void aSecondOwnerWaitsForTheFirstToLetGo() throws Exception {
        PartitionLedger first = FilePartitionLedger.tryOpen(tmp, "t", 0, OPTIONS).orElseThrow();
        assertThat(FilePartitionLedger.tryOpen(tmp, "t", 0, OPTIONS)).isEmpty();
        first.close();
        try (PartitionLedger second = FilePartitionLedger.tryOpen(tmp, "t", 0, OPTIONS).orElseThrow()) {
            assertThat(second.nextOffset()).isZero();
        }
    }

    @Test
    void rejectedRecordsAreKeptWithTheirOffset() throws Exception {
        try (PartitionLedger l = FilePartitionLedger.tryOpen(tmp, "t", 0, OPTIONS).orElseThrow()) {
            l.append(List.of(), List.of(new Rejected(3, 0, new byte[] {1}, "{".getBytes(), "not JSON")), 4);
            assertThat(l.nextOffset()).isEqualTo(4);
            assertThat(l.size()).isZero();
        }
        assertThat(Files.readAllLines(tmp.resolve("t-0.rejected.jsonl")))
                .containsExactly("{\"offset\":3,\"line\":0,\"key\":\"AQ==\",\"value\":\"ew==\",\"reason\":\"not JSON\"}");
    }

    @Test
    void aPostgresOwnerThatLostThePartitionIsFenced() throws Exception {
        PostgresServer pg = PostgresServer.shared();
        SequencerTarget.Postgres target = new SequencerTarget.Postgres(pg.jdbcUrl(pg.createDatabase("fencing")),
                Optional.of("postgres"), Optional.empty());
        List<AuditEvent> events = SampleEvents.loginFailures(0, 5);
        try (PartitionLedger a = PostgresPartitionLedger.open(target, "t", 0, OPTIONS)) {
            a.append(events.subList(0, 3), List.of(), 3);
            try (PartitionLedger b = PostgresPartitionLedger.open(target, "t", 0, OPTIONS)) {
                assertThat(b.nextOffset()).isEqualTo(3);
                assertThatThrownBy(() -> a.append(SampleEvents.loginFailures(3, 2), List.of(), 5))
                        .isInstanceOf(FencedException.class);
                assertThat(b.size()).as("the fenced append rolled back whole").isEqualTo(3);
                // two bad lines of one packed record: both kept
                b.append(events.subList(3, 5), List.of(new Rejected(5, 0, new byte[0], new byte[0], "empty"),
                        new Rejected(5, 2, new byte[0], "{".getBytes(StandardCharsets.UTF_8), "not JSON")), 7);
                assertThat(b.size()).isEqualTo(5);
            }
        }
        try (Connection c = DriverManager.getConnection(target.url(), "postgres", null);
             ResultSet rs = c.createStatement().executeQuery("SELECT kafka_offset, record_line, reason"
                     + " FROM " + PostgresPartitionLedger.schema("t", 0) + ".vigil_kafka_rejected ORDER BY record_line")) {
            List<String> rows = new ArrayList<>();
            while (rs.next()) {
                rows.add(rs.getLong(1) + "/" + rs.getInt(2) + " " + rs.getString(3));
            }
            assertThat(rows).containsExactly("5/0 empty", "5/2 not JSON");
        }
        try (PartitionLedger c = PostgresPartitionLedger.open(target, "t", 0, OPTIONS)) {
            assertThat(c.nextOffset()).isEqualTo(7);
            assertThat(c.lastIds(10)).containsExactlyElementsOf(events.stream().map(AuditEvent::id).toList());
        }
    }

    @Test
    void schemaNamesAreSafeAndDistinct() {
        assertThat(PostgresPartitionLedger.schema("audit", 3)).isEqualTo("vigil_kafka_audit_3");
        assertThat(PostgresPartitionLedger.schema("a.b", 0)).isNotEqualTo(PostgresPartitionLedger.schema("a_b", 0))
                .matches("[a-z0-9_$]+");
        assertThat(PostgresPartitionLedger.schema("x".repeat(249), 12)).hasSizeLessThanOrEqualTo(63)
                .endsWith("_12");
    }
}
