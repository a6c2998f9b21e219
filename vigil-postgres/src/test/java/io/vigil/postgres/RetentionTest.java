package io.vigil.postgres;

import io.vigil.ledger.LedgerOptions;
import io.vigil.ledger.LedgerStore;
import io.vigil.ledger.VerificationReport;
import io.vigil.ledger.checkpoint.SigningKey;
import io.vigil.ledger.tck.SampleEvents;
import io.vigil.postgres.internal.PostgresStore;
import io.vigil.postgres.testsupport.LedgerDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Archive a prefix to a self-proving export, prune it, and keep what remains verifiable across the cut. */
class RetentionTest {
    @TempDir
    Path tmp;
    private final SigningKey key = SigningKey.generate("retention.test.vigil.example");
    private LedgerDatabase db;

    private LedgerOptions options() {
        return LedgerOptions.defaults("test.vigil.example/retention").withSigningKey(key)
                .withCheckpoints(500, Duration.ofHours(1));
    }

    @BeforeEach
    void ledger() throws Exception {
        db = LedgerDatabase.create("retention");
        write(0, 3_000);
    }

    private void write(long from, int count) throws IOException {
        try (LedgerStore store = PostgresLedger.open(db.writer(), options())) {
            for (long n = from; n < from + count; n += 250) {
                store.append(SampleEvents.loginFailures(n, (int) Math.min(250, from + count - n)));
            }
        }
    }

    private VerificationReport verifyDatabase() throws IOException {
        return PostgresVerifier.of(db.reader()).key(key.verifierKey()).verify();
    }

    @Test
    void anExportProvesItselfAndThePrunedLedgerStillVerifiesAndGrows() throws Exception {
        Path first = tmp.resolve("archive-0");
        assertThat(PostgresArchive.export(db.retention(), 1_200, first)).isEqualTo(1_200);
        VerificationReport archived = PostgresArchive.verify(first, key.verifierKey());
        assertThat(archived.intact()).as(archived.toString()).isTrue();
        assertThat(archived.entries()).isEqualTo(1_200);

        assertThat(PostgresArchive.prune(db.retention(), 1_200, "archive-0")).isEqualTo(1_200);
        assertThat(count("SELECT count(*) FROM security_audit_log")).isEqualTo(1_800);
        VerificationReport rest = verifyDatabase();
        assertThat(rest.intact()).as(rest.toString()).isTrue();
        assertThat(rest.entries()).isEqualTo(3_000);
        assertThat(rest.warnings()).anySatisfy(w -> assertThat(w).contains("before seq 1200 were pruned")
                .contains("archive-0"));

        // a second export starts at the cut and proves its first entry's link back into the pruned part
        Path second = tmp.resolve("archive-1");
        assertThat(PostgresArchive.export(db.retention(), 2_100, second)).isEqualTo(900);
        assertThat(PostgresArchive.verify(second, key.verifierKey()).intact()).isTrue();
        PostgresArchive.prune(db.retention(), 2_100, "archive-1");

        write(3_000, 600); // the chain goes on after pruning
        VerificationReport grown = verifyDatabase();
        assertThat(grown.intact()).as(grown.toString()).isTrue();
        assertThat(grown.entries()).isEqualTo(3_600);

        // everything pruned up to the end: appends still continue the chain from the cut
        try (LedgerStore store = PostgresLedger.open(db.writer(), options())) {
            store.checkpoint();
        }
        PostgresArchive.prune(db.retention(), 3_600, "archive-2");
        assertThat(count("SELECT count(*) FROM security_audit_log")).isZero();
        write(3_600, 10);
        VerificationReport afterAll = verifyDatabase();
        assertThat(afterAll.intact()).as(afterAll.toString()).isTrue();
        assertThat(afterAll.entries()).isEqualTo(3_610);
    }

    @Test
    void aChangedExportIsFound() throws Exception {
        Path dir = tmp.resolve("archive");
        PostgresArchive.export(db.retention(), 1_000, dir);
        Path entries = dir.resolve("entries.jsonl");
        List<String> lines = Files.readAllLines(entries, StandardCharsets.UTF_8);
        lines.set(400, lines.get(400).replace("\"outcome\":\"failure\"", "\"outcome\":\"success\""));
        Files.write(entries, lines, StandardCharsets.UTF_8);
        VerificationReport r = PostgresArchive.verify(dir, key.verifierKey());
        assertThat(r.firstBadSeq()).hasValue(400);
        assertThat(r.reason()).hasValueSatisfying(s -> assertThat(s).contains("does not match its hash"));

        Files.write(entries, lines.subList(0, 999), StandardCharsets.UTF_8);
        assertThat(PostgresArchive.verify(dir, key.verifierKey()).intact()).isFalse();
        assertThat(PostgresArchive.verify(dir, SigningKey.generate("someone.else").verifierKey()).reason())
                .hasValueSatisfying(s -> assertThat(s).contains("not validly signed"));
    }

    @Test
    void tamperingAfterTheCutIsStillFound() throws Exception {
        PostgresArchive.export(db.retention(), 1_500, tmp.resolve("a"));
        PostgresArchive.prune(db.retention(), 1_500, "a");
        db.replaceRow(1_800, db.entry(1_800).replace("\"outcome\":\"failure\"", "\"outcome\":\"success\""));
        VerificationReport r = verifyDatabase();
        assertThat(r.firstBadSeq()).hasValue(1_800);

        LedgerDatabase other = LedgerDatabase.create("cut");
        db = other;
        write(0, 1_000);
        PostgresArchive.prune(db.retention(), 600, "x");
        try (Connection c = db.server().superuser(db.name()); Statement st = c.createStatement()) {
            c.setAutoCommit(false);
            st.execute("SET LOCAL session_replication_role = replica");
            st.execute("UPDATE security_audit_pruned SET last_hash = repeat('a', 64)");
            c.commit();
        }
        VerificationReport cut = verifyDatabase();
        assertThat(cut.intact()).isFalse();
        assertThat(cut.reason()).hasValueSatisfying(s -> assertThat(s).contains("pruned up to seq 600"));
    }

    @Test
    void onlyTheRetentionRoleCanPruneAndOnlyWhatACheckpointCovers() throws Exception {
        assertThatThrownBy(() -> PostgresArchive.prune(db.writer(), 100, "x")).hasMessageContaining("permission denied");
        try (Connection c = db.server().superuser(db.name()); Statement st = c.createStatement()) {
            assertThatThrownBy(() -> st.execute("DELETE FROM security_audit_chain WHERE seq < 100"))
                    .isInstanceOf(SQLException.class).hasMessageContaining("append-only");
        }
        assertThatThrownBy(() -> PostgresArchive.prune(db.retention(), 3_001, "x")).hasMessageContaining("has 3000");
        write(3_000, 10); // not covered by a checkpoint until the store closes
        try (Connection c = db.server().superuser(db.name()); Statement st = c.createStatement()) {
            c.setAutoCommit(false);
            st.execute("SET LOCAL session_replication_role = replica");
            st.execute("DELETE FROM security_audit_checkpoint WHERE tree_size > 3000");
            c.commit();
        }
        assertThatThrownBy(() -> PostgresArchive.prune(db.retention(), 3_005, "x"))
                .hasMessageContaining("no signed checkpoint covers seq 3004");
        assertThatThrownBy(() -> PostgresArchive.export(db.retention(), 3_005, tmp.resolve("e")))
                .hasMessageContaining("no signed checkpoint covers seq 3004");
        PostgresArchive.prune(db.retention(), 500, "x");
        assertThatThrownBy(() -> PostgresArchive.prune(db.retention(), 400, "x"))
                .hasMessageContaining("already pruned up to seq 500");
    }

    @Test
    void thePruneFunctionTakesTheAppendersLock() throws Exception {
        try (Connection c = db.server().superuser(db.name()); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT pg_get_functiondef('security_audit_prune(bigint, text)'::regprocedure)")) {
            rs.next();
            assertThat(rs.getString(1)).contains("pg_advisory_xact_lock(" + lockKey() + ")");
        }
    }

    private static long lockKey() throws Exception {
        var f = PostgresStore.class.getDeclaredField("APPEND_LOCK");
        f.setAccessible(true);
        return f.getLong(null);
    }

    private long count(String sql) throws SQLException {
        try (Connection c = db.server().superuser(db.name()); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
