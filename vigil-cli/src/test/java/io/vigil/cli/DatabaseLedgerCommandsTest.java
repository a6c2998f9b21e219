package io.vigil.cli;

import io.vigil.event.AuditEvent;
import io.vigil.ledger.FileLedger;
import io.vigil.ledger.LedgerOptions;
import io.vigil.ledger.LedgerStore;
import io.vigil.ledger.checkpoint.KeyFiles;
import io.vigil.ledger.checkpoint.SigningKey;
import io.vigil.ledger.tck.SampleEvents;
import io.vigil.postgres.PostgresLedger;
import io.vigil.postgres.testsupport.LedgerDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code vigil verify} and {@code vigil query} on a PostgreSQL ledger, against a real server. */
class DatabaseLedgerCommandsTest {
    @TempDir
    Path tmp;
    private LedgerDatabase db;
    private Path pub;
    private String url;

    /** The same ledger as the database's, in files: same origin, key, events and checkpoints. */
    private Path files;

    @BeforeEach
    void ledger() throws Exception {
        db = LedgerDatabase.create("cli");
        SigningKey key = SigningKey.generate("cli.test.vigil.example");
        pub = tmp.resolve("signer.pub");
        KeyFiles.write(key, tmp.resolve("signer.key"), pub);
        LedgerOptions options = LedgerOptions.defaults("cli.test.vigil.example/pg").withSigningKey(key)
                .withCheckpoints(100, Duration.ofHours(1));
        files = tmp.resolve("files");
        // one list of events for both: an event's id is part of its line
        List<List<AuditEvent>> batches = List.of(SampleEvents.loginFailures(0, 100), // checkpoint at 100
                SampleEvents.loginFailures(100, 100), // at 200
                SampleEvents.loginFailures(200, 50)); // and at 250 on close
        try (LedgerStore store = PostgresLedger.open(db.writer(), options);
             LedgerStore twin = FileLedger.open(files, options)) {
            for (List<AuditEvent> batch : batches) {
                store.append(batch);
                twin.append(batch);
            }
        }
        url = db.server().jdbcUrl(db.name()) + "?user=app_reader";
    }

    /** A read command gives the same output, byte for byte, on the database and on the same ledger in files. */
    private Cli.Result sameOnBoth(String command, String... options) {
        List<String> onDb = new ArrayList<>(List.of(command.split(" ")));
        onDb.add(url);
        onDb.addAll(List.of(options));
        List<String> onFiles = new ArrayList<>(List.of(command.split(" ")));
        onFiles.add(files.toString());
        onFiles.addAll(List.of(options));
        Cli.Result db = Cli.run(onDb.toArray(String[]::new));
        Cli.Result file = Cli.run(onFiles.toArray(String[]::new));
        assertThat(db.exit()).as(db.toString()).isEqualTo(0);
        assertThat(file.exit()).as(file.toString()).isEqualTo(0);
        assertThat(db.out()).isNotEmpty().isEqualTo(file.out());
        assertThat(db.err()).isEqualTo(file.err());
        return db;
    }

    @Test
    void proveInclusionOnTheDatabaseIsTheFileLedgersProofAndChecksOffline() throws Exception {
        Cli.Result r = sameOnBoth("prove inclusion", "--seq", "42");
        assertThat(r.out()).contains("\"leafIndex\" : 42").contains("\"treeSize\" : 250").contains("\"checkpoint\"")
                .contains("\"mode\" : \"plain\"");
        Path proof = Files.writeString(tmp.resolve("seq42.proof.json"), r.out());
        Cli.Result ok = Cli.run("prove", "check", proof.toString(), "--key", pub.toString());
        assertThat(ok.exit()).as(ok.toString()).isEqualTo(0);
        assertThat(ok.out()).startsWith("OK: seq 42 is included in the tree of size 250");
        sameOnBoth("prove inclusion", "--seq", "7", "--size", "100");
        sameOnBoth("prove inclusion", "--seq", "249", "--size", "250");
        sameOnBoth("prove consistency", "--from", "100", "--to", "200");

        Cli.Result outside = Cli.run("prove", "inclusion", url, "--seq", "250");
        assertThat(outside.exit()).isEqualTo(2);
        assertThat(outside.err()).contains("--seq 250 is not in the ledger: it has 250 entries (seq 0..249)");
    }

    @Test
    void tailAndQueryOnTheDatabasePrintWhatTheyPrintForTheFileLedger() {
        Cli.Result tail = sameOnBoth("tail", "-n", "5");
        assertThat(tail.out().lines().toList()).hasSize(5).first().asString().contains("\"seq\":245,");
        sameOnBoth("tail");
        sameOnBoth("tail", "-n", "1000");
        Cli.Result query = sameOnBoth("query", "--actor", "user-3");
        assertThat(query.out().lines().count()).isEqualTo(36);
        sameOnBoth("query", "--type", "auth.login.*", "--since", "2023-11-14T22:13:20.100Z", "--limit", "20");
        sameOnBoth("query", "--actor", "user-2", "--format", "table");
        sameOnBoth("query", "--outcome", "success", "--format", "table");
    }

    @Test
    void tailFollowsADatabaseByPolling() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        TailCommand.Follower f = new TailCommand.Follower(PostgresLedger.openReader(db.reader()), System.err);
        f.printLast(out, 1);
        AtomicBoolean stop = new AtomicBoolean();
        Thread t = new Thread(() -> {
            try {
                f.follow(out, stop::get, 10);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, "test-follow");
        t.setDaemon(true);
        t.start();
        try (LedgerStore store = PostgresLedger.open(db.writer(), LedgerOptions.defaults("cli.test.vigil.example/pg"))) {
            store.append(SampleEvents.loginFailures(250, 3));
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (!bytes.toString(StandardCharsets.UTF_8).contains("\"seq\":252,") && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
        } finally {
            stop.set(true);
            t.join(5000);
        }
        List<String> got = bytes.toString(StandardCharsets.UTF_8).lines().toList();
        assertThat(got).hasSize(4);
        for (int i = 0; i < 4; i++) {
            assertThat(got.get(i)).contains("\"seq\":" + (249 + i) + ",");
        }
    }

    @Test
    void archiveExportsAFileLedgerAsItExportsTheDatabase() throws Exception {
        Path fromFiles = tmp.resolve("files-export");
        Cli.Result r = Cli.run("archive", files.toString(), "--upto", "150", "--out", fromFiles.toString(), "--key",
                pub.toString());
        assertThat(r.exit()).as(r.toString()).isEqualTo(0);
        assertThat(r.out()).contains("exported     150 entries before seq 150").contains("OK: the ledger is intact");
        Path fromDb = tmp.resolve("db-export");
        Cli.Result d = Cli.run("archive", url, "--upto", "150", "--out", fromDb.toString(), "--key", pub.toString());
        assertThat(d.exit()).as(d.toString()).isEqualTo(0);
        for (String name : List.of("entries.jsonl", "archive.json")) {
            assertThat(Files.readString(fromFiles.resolve(name))).isEqualTo(Files.readString(fromDb.resolve(name)));
        }
        Cli.Result prune = Cli.run("archive", files.toString(), "--upto", "150", "--out",
                tmp.resolve("p").toString(), "--key", pub.toString(), "--prune");
        assertThat(prune.exit()).isEqualTo(2);
        assertThat(prune.err()).contains("--prune works on database ledgers");
    }

    @Test
    void aPrunedDatabaseIsStillReadAndExportedFromWhereItStarts() throws Exception {
        String retention = db.server().jdbcUrl(db.name()) + "?user=app_retention";
        Cli.Result pruned = Cli.run("archive", retention, "--upto", "100", "--out", tmp.resolve("first").toString(),
                "--key", pub.toString(), "--prune");
        assertThat(pruned.exit()).as(pruned.toString()).isEqualTo(0);
        Cli.Result second = Cli.run("archive", url, "--upto", "200", "--out", tmp.resolve("second").toString(),
                "--key", pub.toString());
        assertThat(second.exit()).as(second.toString()).isEqualTo(0);
        assertThat(second.out()).contains("exported     100 entries before seq 200").contains("OK: the ledger is intact");
        Cli.Result proof = Cli.run("prove", "inclusion", url, "--seq", "42");
        assertThat(proof.exit()).as("a pruned entry cannot be shown, %s", proof).isEqualTo(1);
        assertThat(proof.err()).contains("seq 42 was pruned from the ledger (it now starts at seq 100)");
        assertThat(Cli.run("tail", url, "-n", "1000").out().lines().count()).isEqualTo(150);
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
    void detectGivesTheSameFindingsOnTheDatabaseAsOnTheSameLedgerInFiles() {
        Cli.Result onDb = Cli.run("detect", url);
        Cli.Result onFiles = Cli.run("detect", files.toString());
        assertThat(onDb.exit()).as(onDb.toString()).isEqualTo(0);
        assertThat(onFiles.exit()).as(onFiles.toString()).isEqualTo(0);
        // 250 failed logins of seven accounts (35 or 36 each) within a second: seven brute force findings (two
        // events each) per account
        assertThat(onDb.out().lines().toList()).hasSize(2 * 7 * 7).isEqualTo(onFiles.out().lines().toList());
        assertThat(onDb.err()).contains("250 events read from '" + Databases.redacted(url) + "'")
                .containsPattern("brute_force +security.brute.force.detected +49");
        assertThat(onDb.err()).doesNotContain("password=");
        Cli.Result table = Cli.run("detect", url, "--format", "table");
        assertThat(table.exit()).isEqualTo(0);
        assertThat(table.out()).contains("user:user-").endsWith("(98 findings)\n");
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
        assertThat(r.out()).containsPattern("detected: security.brute.force.detected +5\n")
                .contains("detect '" + store + "' --format table");
        Cli.Result verify = Cli.run("verify", store, "--key", out.resolve("demo-signing.pub").toString());
        assertThat(verify.exit()).as(verify.toString()).isEqualTo(0);
        Cli.Result detect = Cli.run("detect", store);
        assertThat(detect.exit()).as(detect.toString()).isEqualTo(0);
        assertThat(detect.out().lines()).as("replayed, the findings the demo's stage wrote").hasSize(12);

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
        Files.writeString(entries, Files.readString(entries)
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
