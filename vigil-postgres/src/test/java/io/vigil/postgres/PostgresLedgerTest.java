package io.vigil.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.vigil.AuditLog;
import io.vigil.PipelineOptions;
import io.vigil.event.Actor;
import io.vigil.event.ActorType;
import io.vigil.event.AuditEvent;
import io.vigil.event.EventCatalog;
import io.vigil.event.EventIds;
import io.vigil.event.Target;
import io.vigil.ledger.AuditQuery;
import io.vigil.ledger.LedgerEntry;
import io.vigil.ledger.LedgerOptions;
import io.vigil.ledger.LedgerReader;
import io.vigil.ledger.LedgerSink;
import io.vigil.ledger.LedgerStore;
import io.vigil.ledger.QueryPage;
import io.vigil.ledger.VerificationReport;
import io.vigil.ledger.checkpoint.SigningKey;
import io.vigil.postgres.internal.Columns;
import io.vigil.postgres.testsupport.LedgerDatabase;
import io.vigil.redact.HmacKey;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

import java.io.IOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What the PostgreSQL ledger adds to the kit: many writers, query columns that cannot be edited unseen, clear errors. */
class PostgresLedgerTest {
    private static final String ORIGIN = "test.vigil.example/postgres";
    private final SigningKey key = SigningKey.generate("pg.test.vigil.example");

    private LedgerOptions options() {
        return LedgerOptions.defaults(ORIGIN).withSigningKey(key).withCheckpoints(1_000, Duration.ofHours(1));
    }

    private static AuditEvent richEvent(long n) {
        long millis = 1_700_000_000_000L + n;
        return AuditEvent.builder(EventCatalog.AUTHZ_ACCESS_DENIED).id(EventIds.next(millis))
                .timestamp(Instant.ofEpochMilli(millis))
                .actor(new Actor(ActorType.USER, Optional.of("user-" + n),
                        Optional.of("User " + n), Optional.of("10.0.0." + (n % 250)),
                        Optional.of("agent/" + n)))
                .target(new Target("document", Optional.of("doc-" + n), Optional.of("Doc " + n)))
                .tenant("tenant-" + n % 3).service("billing").sessionId("s-" + n).requestId("r-" + n)
                .traceId("t-" + n).reason("policy " + n).error("E" + n).riskScore(0.25 * (n % 4))
                .anomalyFlags(List.of("new-agent", "flag-" + n)).detail("n", n).detail("path", "/docs/" + n).build();
    }

    /** Each query column changed alone, as a superuser with the triggers off would, is found at its seq by name. */
    @Test
    void aChangeToAnyQueryColumnAloneIsFound() throws Exception {
        LedgerDatabase db = LedgerDatabase.create("columns");
        try (LedgerStore store = PostgresLedger.open(db.writer(), options())) {
            List<AuditEvent> events = new ArrayList<>();
            for (long n = 0; n < 40; n++) {
                events.add(richEvent(n));
            }
            store.append(events);
        }
        assertThat(PostgresVerifier.of(db.reader()).key(key.verifierKey()).verify().intact()).isTrue();
        Map<String, String> edits = new HashMap<>();
        edits.put("id", "'00000000-0000-7000-8000-000000000000'");
        edits.put("timestamp", "\"timestamp\" + interval '1 second'");
        edits.put("risk_score", "risk_score + 1");
        edits.put("anomaly_flags", "array['edited']");
        edits.put("details", "details || '{\"n\": 999}'::jsonb");
        long seq = 17;
        LedgerDatabase.Copy untouched = db.snapshot();
        for (String column : Columns.DERIVED) {
            String set = edits.getOrDefault(column, "'edited'");
            String quoted = column.equals("timestamp") ? "\"timestamp\"" : column;
            superuser(db, "UPDATE security_audit_event SET " + quoted + " = " + set
                    + " WHERE id = (SELECT id FROM security_audit_chain WHERE seq = " + seq + ")");
            VerificationReport report = PostgresVerifier.of(db.reader()).key(key.verifierKey()).verify();
            assertThat(report.firstBadSeq()).as(column + ": " + report.reason()).hasValue(seq);
            assertThat(report.reason()).hasValueSatisfying(r -> assertThat(r).contains(column + " column")
                    .contains("seq " + seq));
            db.rollbackTo(untouched); // the rows back exactly as the store wrote them
            assertThat(PostgresVerifier.of(db.reader()).key(key.verifierKey()).verify().intact()).as(column).isTrue();
        }
    }

    /** An event row added beside the chain (it would show in queries of the event table) is found. */
    @Test
    void anEventInsertedOutsideTheChainIsFound() throws Exception {
        LedgerDatabase db = LedgerDatabase.create("stray");
        try (LedgerStore store = PostgresLedger.open(db.writer(), options())) {
            store.append(List.of(richEvent(1), richEvent(2), richEvent(3)));
        }
        superuser(db, "INSERT INTO security_audit_event SELECT '00000000-0000-7000-8000-0000000000aa', \"timestamp\","
                + " category, type, action, outcome, severity, actor_type, actor_id, actor_name, actor_ip,"
                + " actor_user_agent, tenant, service, session_id, request_id, trace_id, resource_type, resource_id,"
                + " resource_name, reason, error, risk_score, anomaly_flags, details FROM security_audit_event LIMIT 1");
        VerificationReport report = PostgresVerifier.of(db.reader()).key(key.verifierKey()).verify();
        assertThat(report.intact()).isFalse();
        assertThat(report.reason()).hasValueSatisfying(r -> assertThat(r)
                .contains("security_audit_event holds 1 row that no entry has").contains("outside the chain"));
    }

    private static void superuser(LedgerDatabase db, String sql) throws SQLException {
        try (Connection c = db.server().superuser(db.name()); Statement st = c.createStatement()) {
            c.setAutoCommit(false);
            st.execute("SET LOCAL session_replication_role = replica");
            st.execute(sql);
            c.commit();
        }
    }

    /**
     * Eight writers, each with its own connection pool and its own {@link AuditLog}, record 50,000 events each into
     * one database at the same time: one gapless chain that verifies, every event exactly once, each writer's
     * events in the order it recorded them.
     */
    @Test
    void eightWritersMakeOneChain() throws Exception {
        LedgerDatabase db = LedgerDatabase.create("writers");
        int writers = 8;
        int each = 50_000;
        CountDownLatch start = new CountDownLatch(1);
        List<CompletableFuture<Void>> done = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            String name = "writer-" + w;
            done.add(CompletableFuture.runAsync(() -> {
                HikariConfig cfg = new HikariConfig();
                cfg.setJdbcUrl(db.server().jdbcUrl(db.name()));
                cfg.setUsername("app_writer");
                cfg.setMaximumPoolSize(2);
                cfg.setPoolName(name);
                try (HikariDataSource pool = new HikariDataSource(cfg);
                     LedgerStore store = PostgresLedger.open(pool, options());
                     AuditLog audit = AuditLog.builder().selfAudit(false).service(name)
                             .pipeline(PipelineOptions.DEFAULT.withShutdownHook(false))
                             .sink("ledger", new LedgerSink(store)).build()) {
                    start.await();
                    for (long n = 0; n < each; n++) {
                        audit.record(AuditEvent.builder(EventCatalog.AUTH_LOGIN_FAILURE)
                                .actor(Actor.user("u" + n % 97)).detail("n", n));
                    }
                    assertThat(audit.flush(Duration.ofMinutes(5))).isTrue();
                    assertThat(audit.stats().written()).isEqualTo(each);
                } catch (Exception e) {
                    throw new IllegalStateException(name + " failed", e);
                }
            }, runnable -> new Thread(runnable, name).start()));
        }
        start.countDown();
        CompletableFuture.allOf(done.toArray(new CompletableFuture[0])).get();

        VerificationReport report = PostgresVerifier.of(db.reader()).key(key.verifierKey()).verify();
        assertThat(report.intact()).as(report.toString()).isTrue();
        assertThat(report.entries()).isEqualTo((long) writers * each);
        try (Connection c = db.server().superuser(db.name()); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT service, count(*), count(DISTINCT details->>'n'),"
                     + " bool_and(ordered) FROM (SELECT service, details, (details->>'n')::bigint > coalesce(lag("
                     + "(details->>'n')::bigint) OVER (PARTITION BY service ORDER BY seq), -1) AS ordered"
                     + " FROM security_audit_log) t GROUP BY service ORDER BY service")) {
            int rows = 0;
            while (rs.next()) {
                rows++;
                assertThat(rs.getLong(2)).as(rs.getString(1)).isEqualTo(each);
                assertThat(rs.getLong(3)).as(rs.getString(1) + " distinct").isEqualTo(each);
                assertThat(rs.getBoolean(4)).as(rs.getString(1) + " in order").isTrue();
            }
            assertThat(rows).isEqualTo(writers);
        }
    }

    @Test
    void queriesFilterByEveryFilterOfTheLegacySecurityAuditLogApiAndPageWithACursor() throws Exception {
        LedgerDatabase db = LedgerDatabase.create("query");
        List<AuditEvent> events = new ArrayList<>();
        try (LedgerStore store = PostgresLedger.open(db.writer(), options())) {
            for (long n = 0; n < 300; n++) {
                events.add(richEvent(n));
            }
            events.add(AuditEvent.builder(EventCatalog.AUTH_LOGIN_FAILURE).id(EventIds.next(1_800_000_000_000L))
                    .timestamp(Instant.ofEpochMilli(1_800_000_000_000L)).actor(Actor.user("user-7")).build());
            store.append(events);
        }
        var readerRole = db.reader();
        assertThat(PostgresLedger.origin(readerRole)).hasValue(ORIGIN);
        LedgerReader reader = PostgresLedger.openReader(readerRole);
        assertThat(seqs(reader.query(AuditQuery.all().user("user-7")))).containsExactly(7L, 300L);
        assertThat(seqs(reader.query(AuditQuery.all().type("auth.login.failure")))).containsExactly(300L);
        assertThat(seqs(reader.query(AuditQuery.all().type("auth.login.*")))).containsExactly(300L);
        assertThat(seqs(reader.query(AuditQuery.all().type("auth.*").user("user-8")))).isEmpty();
        assertThat(seqs(reader.query(AuditQuery.all().resource("document", Optional.of("doc-42")))))
                .containsExactly(42L);
        assertThat(reader.query(AuditQuery.all().ip("10.0.0.3").limit(1000)).entries())
                .extracting(LedgerEntry::seq).containsExactly(3L, 253L);
        assertThat(reader.query(AuditQuery.all().tenant("tenant-1").limit(1000)).entries())
                .hasSize(100).allSatisfy(e -> assertThat(e.event().tenant()).hasValue("tenant-1"));
        Instant t0 = Instant.ofEpochMilli(1_700_000_000_010L);
        assertThat(seqs(reader.query(AuditQuery.all().from(t0).to(t0.plusMillis(3)))))
                .containsExactly(10L, 11L, 12L);

        List<Long> all = new ArrayList<>();
        AuditQuery q = AuditQuery.all().limit(64);
        int pages = 0;
        while (true) {
            QueryPage page = reader.query(q);
            pages++;
            all.addAll(seqs(page));
            if (page.nextCursor().isEmpty()) {
                break;
            }
            q = q.after(page.nextCursor().get());
        }
        assertThat(pages).isEqualTo(5);
        assertThat(all).hasSize(301).doesNotHaveDuplicates().isSorted();
        LedgerEntry e42 = reader.query(AuditQuery.all().user("user-42")).entries().get(0);
        assertThat(e42.event()).isEqualTo(events.get(42));
        assertThat(e42.line()).contains("\"hash\":\"" + e42.hash() + "\"");

        assertThatThrownBy(() -> AuditQuery.all().after("nonsense")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a cursor");
        assertThatThrownBy(() -> AuditQuery.all().limit(0)).hasMessageContaining("limit must be between 1 and");
        assertThatThrownBy(() -> AuditQuery.all().type("auth login")).hasMessageContaining("not an event type");
        assertThatThrownBy(() -> AuditQuery.all().from(t0).to(t0)).hasMessageContaining("must be before");
    }

    private static List<Long> seqs(QueryPage page) {
        return page.entries().stream().map(LedgerEntry::seq).toList();
    }

    @Test
    void aDatabaseWithoutTheSchemaOrWithAnotherLedgerIsRefusedClearly() throws Exception {
        LedgerDatabase db = LedgerDatabase.create("refuse");
        PostgresLedger.open(db.writer(), options()).close();
        assertThatThrownBy(() -> PostgresLedger.open(db.writer(), LedgerOptions.defaults("other.example/log")))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("holds the ledger of origin '" + ORIGIN + "', not 'other.example/log'");

        String bare = db.server().createDatabase("bare");
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setURL(db.server().jdbcUrl(bare));
        ds.setUser("postgres");
        assertThatThrownBy(() -> PostgresLedger.open(ds, options())).isInstanceOf(IOException.class)
                .hasMessageContaining("the Vigil schema is missing");
        assertThatThrownBy(() -> PostgresLedger.open(db.writer(), options().withHmacKeys(List.of(HmacKey.of(new byte[32])))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("keyed mode");
    }
}
