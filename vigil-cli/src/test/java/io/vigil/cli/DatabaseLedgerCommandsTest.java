package io.vigil.cli;

import io.vigil.ledger.LedgerOptions;
import io.vigil.ledger.LedgerStore;
import io.vigil.ledger.checkpoint.KeyFiles;
import io.vigil.ledger.checkpoint.SigningKey;
import io.vigil.ledger.testsupport.TestEvents;
import io.vigil.postgres.PostgresLedger;
import io.vigil.postgres.testsupport.LedgerDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code vigil verify} and {@code vigil query} on a PostgreSQL ledger, against a real server. */
class DatabaseLedgerCommandsTest {
    @TempDir
    Path tmp;
    private LedgerDatabase db;
    private Path pub;
    private String url;

    @BeforeEach
    void ledger() throws Exception {
        db = LedgerDatabase.create("cli");
        SigningKey key = SigningKey.generate("cli.test.vigil.example");
        pub = tmp.resolve("signer.pub");
        KeyFiles.write(key, tmp.resolve("signer.key"), pub);
        try (LedgerStore store = PostgresLedger.open(db.writer(), LedgerOptions.defaults("cli.test.vigil.example/pg")
                .withSigningKey(key).withCheckpoints(100, Duration.ofHours(1)))) {
            store.append(TestEvents.loginFailures(0, 100)); // checkpoint at 100
            store.append(TestEvents.loginFailures(100, 100)); // at 200
            store.append(TestEvents.loginFailures(200, 50)); // and at 250 on close
        }
        url = db.server().jdbcUrl(db.name()) + "?user=app_reader";
    }

    @Test
    void anIntactDatabaseLedgerVerifies() {
        Cli.Result r = Cli.run("verify", url, "--key", pub.toString());
        assertThat(r.exit()).as(r.toString()).isEqualTo(0);
        assertThat(r.out()).contains("entries      250").contains("checkpoints  3 verified").contains("PostgreSQL")
                .contains("OK: the ledger is intact");
    }

    @Test
    void anEditedColumnFailsWithItsSeq() throws Exception {
        try (Connection c = db.server().superuser(db.name()); Statement st = c.createStatement()) {
            c.setAutoCommit(false);
            st.execute("SET LOCAL session_replication_role = replica");
            st.execute("UPDATE security_audit_event SET outcome = 'success'"
                    + " WHERE id = (SELECT id FROM security_audit_chain WHERE seq = 123)");
            c.commit();
        }
        Cli.Result r = Cli.run("verify", url, "--key", pub.toString());
        assertThat(r.exit()).as(r.toString()).isEqualTo(1);
        assertThat(r.out()).contains("FAILED at seq 123: the outcome column (success) of seq 123 does not match its"
                + " entry");
    }

    @Test
    void queryReadsTheDatabaseWithTheSameFiltersAsAFileLedger() {
        Cli.Result r = Cli.run("query", url, "--actor", "user-3", "--type", "auth.login.*", "--limit", "5");
        assertThat(r.exit()).as(r.toString()).isEqualTo(0);
        assertThat(r.out().lines().toList()).hasSize(5).allSatisfy(line -> assertThat(line)
                .contains("\"id\":\"user-3\"").contains("\"type\":\"auth.login.failure\"").contains("\"hash\":\""));
        Cli.Result all = Cli.run("query", url, "--actor", "user-3");
        assertThat(all.out().lines().count()).isEqualTo(36); // n % 7 == 3 for n in 0..249
        Cli.Result table = Cli.run("query", url, "--outcome", "success", "--format", "table");
        assertThat(table.exit()).isEqualTo(0);
        Cli.Result denied = Cli.run("query", url, "--category", "auth", "--format", "table", "--limit", "3");
        assertThat(denied.out()).contains("auth.login.failure").contains("user-");
    }

    @Test
    void demoWritesIntoAnEmptyDatabaseAndRefusesOneWithALedger() throws Exception {
        String empty = db.server().createDatabase("demo");
        String store = db.server().jdbcUrl(empty) + "?user=postgres";
        Path out = tmp.resolve("demo-keys");
        Cli.Result r = Cli.run("demo", "--out", out.toString(), "--events", "2000", "--seed", "5", "--store", store);
        assertThat(r.exit()).as(r.toString()).isEqualTo(0);
        assertThat(r.out()).contains("wrote 2,000 events into").contains("2,000 entries").contains("verified intact")
                .contains("vigil verify '" + store + "' --key " + out.resolve("demo-signing.pub"));
        assertThat(out.resolve("ledger.json")).doesNotExist();
        Cli.Result verify = Cli.run("verify", store, "--key", out.resolve("demo-signing.pub").toString());
        assertThat(verify.exit()).as(verify.toString()).isEqualTo(0);

        Cli.Result again = Cli.run("demo", "--out", tmp.resolve("again").toString(), "--events", "10", "--store", store);
        assertThat(again.exit()).isEqualTo(2);
        assertThat(again.err()).contains("already holds a ledger of 2000 entries").contains("append-only");
    }

    @Test
    void archiveExportsChecksAndPrunesAndTheRestStillVerifies() throws Exception {
        String retention = db.server().jdbcUrl(db.name()) + "?user=app_retention";
        Path export = tmp.resolve("export-200");
        Cli.Result r = Cli.run("archive", retention, "--upto", "200", "--out", export.toString(), "--key",
                pub.toString(), "--prune", "--location", "vault://audit/2026-q1");
        assertThat(r.exit()).as(r.toString()).isEqualTo(0);
        assertThat(r.out()).contains("exported     200 entries before seq 200").contains("OK: the ledger is intact")
                .contains("pruned       200 entries; the ledger now starts at seq 200 (archive: vault://audit/2026-q1)");
        Cli.Result rest = Cli.run("verify", url, "--key", pub.toString());
        assertThat(rest.exit()).as(rest.toString()).isEqualTo(0);
        assertThat(rest.out()).contains("pruned").contains("vault://audit/2026-q1");
        Cli.Result check = Cli.run("archive", "--check", export.toString(), "--key", pub.toString());
        assertThat(check.exit()).as(check.toString()).isEqualTo(0);

        // an archived entry changed afterwards is found offline
        Path entries = export.resolve("entries.jsonl");
        java.nio.file.Files.writeString(entries, java.nio.file.Files.readString(entries)
                .replaceFirst("\"outcome\":\"failure\"", "\"outcome\":\"success\""));
        Cli.Result tampered = Cli.run("archive", "--check", export.toString(), "--key", pub.toString());
        assertThat(tampered.exit()).isEqualTo(1);
        assertThat(tampered.out()).contains("FAILED at seq 0");
    }

    @Test
    void archiveRefusesWhatItCannotDoSafely() {
        Cli.Result noKey = Cli.run("archive", url, "--upto", "100", "--out", tmp.resolve("x").toString(), "--prune");
        assertThat(noKey.exit()).isEqualTo(2);
        assertThat(noKey.err()).contains("--prune needs --key");
        Cli.Result file = Cli.run("archive", tmp.toString(), "--upto", "100", "--out", tmp.resolve("y").toString());
        assertThat(file.exit()).isEqualTo(2);
        assertThat(file.err()).contains("database ledgers");
        Cli.Result uncovered = Cli.run("archive", url, "--upto", "251", "--out", tmp.resolve("z").toString());
        assertThat(uncovered.exit()).isEqualTo(1);
        assertThat(uncovered.err()).contains("cannot export");
        Cli.Result checkOnly = Cli.run("archive", "--check", tmp.toString(), "--key", pub.toString(), "--prune");
        assertThat(checkOnly.exit()).isEqualTo(2);
        assertThat(checkOnly.err()).contains("--check DIR takes only --key");
    }

    @Test
    void badUsageIsExplained() {
        Cli.Result noKey = Cli.run("verify", url);
        assertThat(noKey.exit()).isEqualTo(2);
        assertThat(noKey.err()).contains("pass --key");
        Cli.Result mysql = Cli.run("verify", "jdbc:mysql://localhost/audit?password=secret", "--key", pub.toString());
        assertThat(mysql.exit()).isEqualTo(2);
        assertThat(mysql.err()).contains("is not a PostgreSQL URL").contains("password=***").doesNotContain("secret");
        Cli.Result deep = Cli.run("verify", url, "--key", pub.toString(), "--deep");
        assertThat(deep.exit()).isEqualTo(2);
        assertThat(deep.err()).contains("apply to file ledgers");
    }

    @Test
    void anUnreachableDatabaseIsAnErrorWithoutThePassword() {
        Cli.Result r = Cli.run("verify", "jdbc:postgresql://127.0.0.1:1/audit?user=x&password=hunter2", "--key",
                pub.toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("cannot read").contains("password=***").doesNotContain("hunter2");
    }
}
