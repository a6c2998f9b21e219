package io.vigil.server.internal.index;

import io.vigil.event.Actor;
import io.vigil.event.AuditEvent;
import io.vigil.event.Category;
import io.vigil.event.EventCatalog;
import io.vigil.event.EventType;
import io.vigil.event.Outcome;
import io.vigil.event.Target;
import io.vigil.ledger.AuditQuery;
import io.vigil.ledger.FileLedger;
import io.vigil.ledger.LedgerEntry;
import io.vigil.ledger.LedgerOptions;
import io.vigil.ledger.LedgerReader;
import io.vigil.ledger.LedgerStore;
import io.vigil.ledger.checkpoint.SigningKey;
import io.vigil.server.internal.Receipt;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.lifecycle.AfterTry;
import net.jqwik.api.lifecycle.BeforeTry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The query index against the ledger it indexes: every query selects exactly what a scan of the ledger with the same
 * filters selects, page after page in either order, across segments full and indexed or not; and the index is rebuilt
 * or caught up whenever it is missing, damaged, behind, or made from another ledger.
 */
class EventIndexTest {
    private static final List<EventType> TYPES = List.of(EventCatalog.AUTH_LOGIN_SUCCESS,
            EventCatalog.AUTH_LOGIN_FAILURE, EventCatalog.AUTH_LOGOUT, EventCatalog.AUTH_MFA_FAILED,
            EventCatalog.AUTHZ_ACCESS_DENIED, EventCatalog.AUTHZ_ACCESS_GRANTED,
            EventCatalog.SECURITY_BRUTE_FORCE_DETECTED, EventCatalog.SECURITY_RATE_LIMITED);
    private static final Instant T0 = Instant.parse("2026-11-30T08:00:00Z");
    private static final SigningKey KEY = SigningKey.generate("test");
    /** Small segments, so that ledgers of a few hundred entries span many, full and indexed or not. */
    private static final int SEGMENT = 64;

    private Path tmp;

    @BeforeTry
    void makeTemp() throws IOException {
        tmp = Files.createTempDirectory("vigil-index-test");
    }

    @AfterTry
    void removeTemp() throws IOException {
        try (Stream<Path> all = Files.walk(tmp)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    /** Events from a small vocabulary, so filters hit often; timestamps out of order, as clients send them. */
    private static List<AuditEvent> events(Random r, int n) {
        List<AuditEvent> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            AuditEvent.Builder b = AuditEvent.builder(TYPES.get(r.nextInt(TYPES.size())))
                    .id(UUID.randomUUID()).timestamp(T0.plusSeconds(r.nextInt(7200)).plusNanos(r.nextInt(1000) * 1000L))
                    .outcome(Outcome.values()[r.nextInt(Outcome.values().length)]);
            if (r.nextInt(5) > 0) {
                Actor a = Actor.user("u" + r.nextInt(5));
                b.actor(r.nextBoolean() ? a.withIp("10.0.0." + r.nextInt(4)) : a);
            }
            if (r.nextInt(3) > 0) {
                b.target(r.nextBoolean() ? Target.of("account", "a" + r.nextInt(3)) : Target.ofType("account"));
            }
            out.add(b.build());
        }
        return out;
    }

    private static List<LedgerEntry> writeLedger(Path dir, List<AuditEvent> events) throws IOException {
        try (LedgerStore store = FileLedger.open(dir, LedgerOptions.defaults("vigil/t").withSigningKey(KEY))) {
            for (int from = 0; from < events.size(); from += 97) {
                store.append(events.subList(from, Math.min(events.size(), from + 97)));
            }
        }
        try (LedgerReader reader = FileLedger.openReader(dir); Stream<LedgerEntry> all = reader.entries(0,
                reader.size())) {
            return all.toList();
        }
    }

    private static AuditQuery randomQuery(Random r) {
        AuditQuery q = AuditQuery.all().limit(1 + r.nextInt(40));
        if (r.nextInt(3) == 0) {
            q = r.nextBoolean() ? q.type(TYPES.get(r.nextInt(TYPES.size())).name())
                    : q.type(List.of("auth.*", "auth.login.*", "authz.*", "security.*").get(r.nextInt(4)));
        }
        if (r.nextInt(3) == 0) {
            q = q.user("u" + r.nextInt(6));
        }
        if (r.nextInt(4) == 0) {
            q = q.ip("10.0.0." + r.nextInt(4));
        }
        if (r.nextInt(4) == 0) {
            q = r.nextBoolean() ? q.resource("account", Optional.empty())
                    : q.resource("account", Optional.of("a" + r.nextInt(3)));
        }
        if (r.nextInt(3) == 0) {
            Instant from = T0.plusSeconds(r.nextInt(3600)).plusNanos(r.nextInt(1000) * 1000L);
            q = q.from(from);
            if (r.nextBoolean()) {
                q = q.to(from.plusSeconds(1 + r.nextInt(3600)));
            }
        }
        return q;
    }

    @Property(tries = 30)
    void everyQuerySelectsWhatAScanOfTheLedgerSelects(@ForAll long seed) throws IOException {
        Random r = new Random(seed);
        List<LedgerEntry> ledger = writeLedger(tmp.resolve("ledger"), events(r, 1 + r.nextInt(600)));
        try (LedgerReader reader = FileLedger.openReader(tmp.resolve("ledger"));
             EventIndex index = EventIndex.open(tmp.resolve("index.db"), "t", reader, SEGMENT)) {
            assertThat(index.indexed()).isEqualTo(ledger.size());
            for (int i = 0; i < 20; i++) {
                AuditQuery q = randomQuery(r);
                Optional<Category> category = r.nextInt(4) == 0
                        ? Optional.of(List.of(Category.AUTH, Category.AUTHZ, Category.SECURITY).get(r.nextInt(3)))
                        : Optional.empty();
                Optional<Outcome> outcome = r.nextInt(4) == 0
                        ? Optional.of(Outcome.values()[r.nextInt(Outcome.values().length)]) : Optional.empty();
                boolean newestFirst = r.nextBoolean();
                List<Long> expected = new ArrayList<>();
                for (LedgerEntry e : ledger) {
                    if (q.matches(e.seq(), e.event()) && category.map(c -> c == e.event().category()).orElse(true)
                            && outcome.map(o -> o == e.event().outcome()).orElse(true)) {
                        expected.add(e.seq());
                    }
                }
                if (newestFirst) {
                    expected.sort(Comparator.reverseOrder());
                }
                List<Long> got = new ArrayList<>();
                AuditQuery page = q;
                while (true) {
                    EventIndex.Page p = index.select(page, category, outcome, newestFirst, 0);
                    assertThat(p.seqs().size()).isLessThanOrEqualTo(q.limit());
                    got.addAll(p.seqs());
                    if (!p.more()) {
                        break;
                    }
                    assertThat(p.seqs()).hasSize(q.limit());
                    page = q.after(cursorAfter(p.seqs().get(p.seqs().size() - 1)));
                }
                assertThat(got).as("query %s, category %s, outcome %s, newest first %s", q, category, outcome,
                        newestFirst).isEqualTo(expected);
            }
            for (LedgerEntry e : ledger.subList(0, Math.min(ledger.size(), 50))) {
                assertThat(index.receipt(e.event().id())).contains(new Receipt(e.event().id(), e.seq(), e.hash()));
            }
            assertThat(index.receipt(UUID.randomUUID())).isEmpty();
            long failures = ledger.stream().filter(e -> e.event().outcome() != Outcome.SUCCESS).count();
            long[] minutes = index.minutes().orElseThrow();
            List<EventIndex.MinuteCount> rows = index.timeline(minutes[0], minutes[1] + 1, 7);
            assertThat(rows.stream().mapToLong(EventIndex.MinuteCount::events).sum()).isEqualTo(ledger.size());
            assertThat(rows.stream().mapToLong(EventIndex.MinuteCount::failures).sum()).isEqualTo(failures);
        }
    }

    /** The ledger's own cursor for a page that ended at {@code seq}. */
    private static String cursorAfter(long seq) {
        return "s" + Long.toString(seq, 36);
    }

    @Test
    void aMissingOrDamagedIndexIsRebuiltAndOneBehindCatchesUp(@TempDir Path dir) throws IOException {
        Random r = new Random(7);
        Path ledgerDir = dir.resolve("ledger");
        Path file = dir.resolve("index/t.db");
        List<LedgerEntry> first = writeLedger(ledgerDir, events(r, 300));
        try (LedgerReader reader = FileLedger.openReader(ledgerDir);
             EventIndex index = EventIndex.open(file, "t", reader, SEGMENT)) {
            assertThat(index.indexed()).isEqualTo(300);
        }
        // The ledger grows while no index is open (a crash between the append and the index's commit): caught up.
        List<AuditEvent> more = events(r, 200);
        try (LedgerStore store = FileLedger.open(ledgerDir, LedgerOptions.defaults("vigil/t").withSigningKey(KEY))) {
            store.append(more);
        }
        try (LedgerReader reader = FileLedger.openReader(ledgerDir);
             EventIndex index = EventIndex.open(file, "t", reader, SEGMENT)) {
            assertThat(index.indexed()).isEqualTo(500);
            assertThat(index.receipt(more.get(199).id())).map(Receipt::seq).contains(499L);
        }
        // Garbage in place of the database: rebuilt.
        Files.write(file, "not a database, not even close".repeat(200).getBytes(StandardCharsets.US_ASCII));
        Files.deleteIfExists(dir.resolve("index/t.db-wal"));
        Files.deleteIfExists(dir.resolve("index/t.db-shm"));
        try (LedgerReader reader = FileLedger.openReader(ledgerDir);
             EventIndex index = EventIndex.open(file, "t", reader, SEGMENT)) {
            assertThat(index.indexed()).isEqualTo(500);
            assertThat(index.receipt(first.get(0).event().id())).map(Receipt::seq).contains(0L);
            assertThat(index.select(AuditQuery.all().limit(1000), Optional.empty(), Optional.empty(), false, 0)
                    .seqs()).hasSize(500);
        }
        // Deleted: rebuilt.
        Files.delete(file);
        try (LedgerReader reader = FileLedger.openReader(ledgerDir);
             EventIndex index = EventIndex.open(file, "t", reader, SEGMENT)) {
            assertThat(index.indexed()).isEqualTo(500);
        }
    }

    @Test
    void fullSegmentsAreIndexedAndTheNewestIsNot(@TempDir Path dir) throws Exception {
        writeLedger(dir.resolve("ledger"), events(new Random(5), 3 * SEGMENT + 10));
        Path file = dir.resolve("t.db");
        try (LedgerReader reader = FileLedger.openReader(dir.resolve("ledger"));
             EventIndex index = EventIndex.open(file, "t", reader, SEGMENT)) {
            assertThat(index.indexed()).isEqualTo(3 * SEGMENT + 10);
        }
        List<String> indexes = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
             ResultSet rs = c.createStatement().executeQuery("SELECT name FROM sqlite_master WHERE type = 'index'"
                     + " AND name GLOB 'seg_*' ORDER BY name")) {
            while (rs.next()) {
                indexes.add(rs.getString(1));
            }
        }
        assertThat(indexes).containsExactlyInAnyOrder("seg_0_type", "seg_0_category", "seg_0_actor", "seg_0_ip",
                "seg_0_rtype_rid", "seg_1_type", "seg_1_category", "seg_1_actor", "seg_1_ip", "seg_1_rtype_rid",
                "seg_2_type", "seg_2_category", "seg_2_actor", "seg_2_ip", "seg_2_rtype_rid");
    }

    @Test
    void anIndexOfAnotherLedgerIsNotTrusted(@TempDir Path dir) throws IOException {
        Random r = new Random(11);
        Path file = dir.resolve("t.db");
        writeLedger(dir.resolve("a"), events(r, 120));
        List<LedgerEntry> b = writeLedger(dir.resolve("b"), events(r, 150));
        try (LedgerReader reader = FileLedger.openReader(dir.resolve("a"));
             EventIndex index = EventIndex.open(file, "t", reader, SEGMENT)) {
            assertThat(index.indexed()).isEqualTo(120);
        }
        // Same origin, other entries (a ledger replaced by another): the last indexed entry's hash differs.
        try (LedgerReader reader = FileLedger.openReader(dir.resolve("b"));
             EventIndex index = EventIndex.open(file, "t", reader, SEGMENT)) {
            assertThat(index.indexed()).isEqualTo(150);
            for (LedgerEntry e : b) {
                assertThat(index.receipt(e.event().id())).contains(new Receipt(e.event().id(), e.seq(), e.hash()));
            }
        }
    }

    @Test
    void rowsMustContinueTheIndexExactly(@TempDir Path dir) throws IOException {
        Random r = new Random(3);
        writeLedger(dir.resolve("ledger"), events(r, 10));
        try (LedgerReader reader = FileLedger.openReader(dir.resolve("ledger"));
             EventIndex index = EventIndex.open(dir.resolve("t.db"), "t", reader, SEGMENT)) {
            AuditEvent e = events(r, 1).get(0);
            List<EventIndex.Row> gap = List.of(new EventIndex.Row(12, e, "00".repeat(32)));
            assertThatThrownBy(() -> index.add(gap)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("at seq 10");
            assertThat(index.receipts(List.of(e.id()))).isEmpty();
            assertThat(index.indexed()).isEqualTo(10);
        }
    }
}
