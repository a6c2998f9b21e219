package io.vigil.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.vigil.event.AuditEvent;
import io.vigil.event.Category;
import io.vigil.ledger.LedgerOptions;
import io.vigil.ledger.LedgerStore;
import io.vigil.ledger.VerificationReport;
import io.vigil.ledger.checkpoint.SigningKey;
import io.vigil.ledger.tck.SampleEvents;
import io.vigil.postgres.testsupport.PostgresServer;
import io.vigil.sink.EntryPosition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

import java.io.IOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Ledgers in schemas of their own in one database, as the server keeps its tenants': each is migrated, written,
 * pruned and verified on its own, and nothing done to one reaches another or the ledger in {@code public}.
 */
class LedgerPerSchemaTest {
    private final SigningKey key = SigningKey.generate("schemas.test.vigil.example");
    private final List<HikariDataSource> pools = new ArrayList<>();
    private PostgresServer server;
    private String db;

    @BeforeEach
    void database() throws SQLException {
        server = PostgresServer.shared();
        db = server.createDatabase("schemas");
        try (Connection c = server.superuser(db); Statement st = c.createStatement()) {
            st.execute("CREATE SCHEMA ledger_a");
            st.execute("CREATE SCHEMA ledger_b");
        }
    }

    @AfterEach
    void close() {
        pools.forEach(HikariDataSource::close);
    }

    /** Connections whose search path is {@code schema} alone. */
    private HikariDataSource in(String schema) {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setURL(server.jdbcUrl(db));
        ds.setUser("postgres");
        HikariConfig cfg = new HikariConfig();
        cfg.setDataSource(ds);
        cfg.setSchema(schema);
        cfg.setMaximumPoolSize(2);
        HikariDataSource pool = new HikariDataSource(cfg);
        pools.add(pool);
        return pool;
    }

    private List<AuditEvent> write(HikariDataSource ds, String origin, long from, int count) throws IOException {
        LedgerOptions options = LedgerOptions.defaults(origin).withSigningKey(key)
                .withCheckpoints(200, Duration.ofHours(1));
        List<AuditEvent> events = SampleEvents.loginFailures(from, count);
        try (LedgerStore store = PostgresLedger.open(ds, options)) {
            store.append(events);
            store.checkpoint();
        }
        return events;
    }

    private long count(String table) throws SQLException {
        try (Connection c = server.superuser(db); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private VerificationReport verify(HikariDataSource ds) throws IOException {
        return PostgresVerifier.of(ds).key(key.verifierKey()).verify();
    }

    @Test
    void pruningOneSchemasLedgerLeavesTheOthersAlone() throws Exception {
        HikariDataSource a = in("ledger_a");
        HikariDataSource b = in("ledger_b");
        HikariDataSource pub = in("public");
        for (HikariDataSource ds : List.of(a, b, pub)) {
            assertThat(PostgresSchema.migrate(ds)).isEqualTo("3");
        }
        write(a, "vigil/a", 0, 600);
        write(b, "vigil/b", 0, 400);
        write(pub, "vigil/public", 0, 300);

        assertThat(PostgresArchive.prune(a, 250, "archive-a")).isEqualTo(250);

        assertThat(count("ledger_a.security_audit_chain")).isEqualTo(350);
        assertThat(count("ledger_a.security_audit_event")).isEqualTo(350);
        assertThat(count("ledger_b.security_audit_chain")).isEqualTo(400);
        assertThat(count("public.security_audit_chain")).isEqualTo(300);
        assertThat(count("public.security_audit_pruned")).isZero();
        assertThat(count("ledger_b.security_audit_pruned")).isZero();
        for (HikariDataSource ds : List.of(a, b, pub)) {
            VerificationReport report = verify(ds);
            assertThat(report.intact()).as(report.toString()).isTrue();
        }
        assertThat(verify(a).entries()).isEqualTo(600);
        assertThat(PostgresLedger.origin(b)).contains("vigil/b");
    }

    @Test
    void positionsAndTimelineReadTheirOwnSchema() throws Exception {
        HikariDataSource a = in("ledger_a");
        HikariDataSource b = in("ledger_b");
        PostgresSchema.migrate(a);
        PostgresSchema.migrate(b);
        assertThat(PostgresLedger.minutes(a)).isEmpty();
        UUID first = write(a, "vigil/a", 0, 120).get(0).id();
        write(b, "vigil/b", 1_000, 10);

        Map<UUID, EntryPosition> found = PostgresLedger.positions(a, List.of(first, UUID.randomUUID()));
        assertThat(found).containsOnlyKeys(first);
        assertThat(found.get(first).seq()).isZero();
        assertThat(PostgresLedger.positions(b, List.of(first))).isEmpty();

        PostgresLedger.Minutes span = PostgresLedger.minutes(a).orElseThrow();
        List<PostgresLedger.MinuteCount> rows = PostgresLedger.timeline(a, span.first(), span.last() + 1, 1);
        assertThat(rows.stream().mapToLong(PostgresLedger.MinuteCount::events).sum()).isEqualTo(120);
        assertThat(rows).allSatisfy(r -> {
            assertThat(r.category()).isEqualTo(Category.AUTH);
            assertThat(r.failures()).isEqualTo(r.events());
        });
        List<PostgresLedger.MinuteCount> whole = PostgresLedger.timeline(a, span.first(), span.last() + 1,
                span.last() - span.first() + 1);
        assertThat(whole).singleElement().satisfies(r -> {
            assertThat(r.minute()).isEqualTo(span.first());
            assertThat(r.events()).isEqualTo(120);
        });
    }
}
