package io.vigil.bench;

import io.vigil.bench.workload.VigilEvents;
import io.vigil.bench.workload.Workload;
import io.vigil.event.AuditEvent;
import io.vigil.event.EventIds;
import io.vigil.json.EventJson;
import io.vigil.ledger.LedgerOptions;
import io.vigil.ledger.LedgerStore;
import io.vigil.ledger.VerificationReport;
import io.vigil.ledger.checkpoint.SigningKey;
import io.vigil.postgres.PostgresLedger;
import io.vigil.postgres.PostgresVerifier;
import io.vigil.postgres.internal.Columns;
import io.vigil.postgres.internal.CopyBinary;
import io.vigil.postgres.testsupport.LedgerDatabase;
import io.vigil.postgres.testsupport.PostgresServer;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.postgresql.copy.CopyManager;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The PostgreSQL ledger's targets, in one run against a PostgreSQL server started from Maven Central's binaries on this
 * machine: {@code --writers} stores append the same events, chained, into one ledger (each writer its own connection,
 * batches of {@code --batch}); then the same rows go into a plain table (every column of an entry, the ledger's indexes
 * and constraints, no chain, no lock, no Merkle nodes) with the same {@code COPY}; then the ledger is verified, right
 * after the writes and again at rest (after {@code VACUUM ANALYZE}). A smaller warm-up round in a database of its own
 * runs first.
 *
 * <pre>
 * java -cp vigil-bench.jar io.vigil.bench.PostgresBench [--events 400000] [--writers 4] [--batch 1000] [--seed 42]
 * </pre>
 */
public final class PostgresBench {
    private PostgresBench() {
    }

    public static void main(String[] argv) throws Exception {
        Args args = new Args(argv, Set.of("events", "writers", "batch", "seed"), Set.of());
        int events = (int) args.getLong("events", 400_000);
        int writers = (int) args.getLong("writers", 4);
        int batch = (int) args.getLong("batch", 1_000);
        long seed = args.getLong("seed", 42);
        byte[] keySeed = new byte[32];
        new SplittableRandom(seed).nextBytes(keySeed);
        SigningKey key = SigningKey.fromSeed("bench", keySeed);

        System.out.printf(Locale.ROOT, "PostgreSQL ledger bench: %,d events, %d writers, batches of %,d; %d CPUs; Java %s%n",
                events, writers, batch, Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
        try (PostgresServer server = PostgresServer.create()) {
            server.start();
            LedgerOptions options = LedgerOptions.defaults("bench.vigil.example/postgres").withSigningKey(key)
                    .withCheckpoints(10_000, Duration.ofMinutes(10));
            // A warm-up round in a database of its own, so that neither measured side pays for the JIT alone.
            int warm = Math.min(events, 100_000);
            Result warmUp = round(server, "warmup", workload(warm, writers, seed + 1), warm, writers, batch, options, key);
            System.out.printf(Locale.ROOT, "  warm-up (%,d events): chained %,.0f/s, plain %,.0f/s%n", warm,
                    warmUp.chained, warmUp.plain);
            Result r = round(server, "bench", workload(events, writers, seed), events, writers, batch, options, key);

            System.out.println();
            System.out.println("| measure | value | target | met |");
            System.out.println("|---|---:|---|---|");
            System.out.printf(Locale.ROOT, "| plain batch COPY, %d writers, same rows and indexes | %,.0f rows/s |  |  |%n",
                    writers, r.plain);
            System.out.printf(Locale.ROOT, "| plain batch COPY, 1 writer (one server backend) | %,.0f rows/s |  |  |%n",
                    r.oneBackend);
            System.out.printf(Locale.ROOT, "| chained ledger, %d writers (advisory lock, Merkle nodes, signed checkpoints) "
                    + "| %,.0f events/s (%.2f× plain) | ≥ 0.5× plain and ≥ 50,000/s | %s |%n", writers, r.chained,
                    r.chained / r.plain, r.chained >= 0.5 * r.plain && r.chained >= 50_000 ? "yes" : "NO");
            System.out.printf(Locale.ROOT, "| full verification, %,d rows, right after the writes | %,.0f rows/s |  |  |%n",
                    r.report.entries(), r.verifyFresh);
            System.out.printf(Locale.ROOT, "| full verification, %,d rows, at rest (after VACUUM) | %,.0f rows/s (%s) "
                    + "| ≥ 200,000 rows/s | %s |%n", r.report.entries(), r.verify, r.report.intact() ? "intact"
                            : "NOT INTACT: " + r.report.reason().orElse(""), r.verify >= 200_000 ? "yes" : "NO");
        }
    }

    /**
     * Rates of one round: chained events/s; plain rows/s with the writers and with one writer (what one server
     * backend inserts, the ceiling of anything that inserts under one lock); verified rows/s right after the writes
     * and at rest.
     */
    private record Result(double chained, double plain, double oneBackend, double verifyFresh, double verify,
                          VerificationReport report) {
    }

    private static Result round(PostgresServer server, String name, List<List<AuditEvent>> perWriter, int events,
                                int writers, int batch, LedgerOptions options, SigningKey key) throws Exception {
        LedgerDatabase db = LedgerDatabase.create(server, name);
        double chained = run(writers, w -> {
            try (LedgerStore store = PostgresLedger.open(db.writer(), options)) {
                List<AuditEvent> mine = perWriter.get(w);
                for (int i = 0; i < mine.size(); i += batch) {
                    store.append(mine.subList(i, Math.min(mine.size(), i + batch)));
                }
            }
            return null;
        });

        double plain = events / plainCopy(server, db, "plain_audit_log", perWriter, batch);
        List<AuditEvent> all = new ArrayList<>();
        perWriter.forEach(all::addAll);
        double oneBackend = events / plainCopy(server, db, "plain_one_writer", List.of(all), batch);

        // Right after a burst of inserts the server still sets hint bits on every page it reads and autovacuum works
        // through both tables; a ledger at rest has been vacuumed. Both are measured.
        long t0 = System.nanoTime();
        VerificationReport fresh = PostgresVerifier.of(db.reader()).key(key.verifierKey()).verify();
        double verifyFresh = (System.nanoTime() - t0) / 1e9;
        try (Connection c = server.superuser(db.name()); Statement st = c.createStatement()) {
            st.execute("VACUUM ANALYZE security_audit_log, plain_audit_log, plain_one_writer");
        }
        t0 = System.nanoTime();
        VerificationReport report = PostgresVerifier.of(db.reader()).key(key.verifierKey()).verify();
        double verify = (System.nanoTime() - t0) / 1e9;
        return new Result(events / chained, plain, oneBackend, fresh.entries() / verifyFresh,
                report.entries() / verify, report);
    }

    /** Copies the rows of each list in {@code perWriter} into a new plain table, a writer each; returns the seconds. */
    private static double plainCopy(PostgresServer server, LedgerDatabase db, String table,
                                    List<List<AuditEvent>> perWriter, int batch) throws Exception {
        try (Connection c = server.superuser(db.name()); Statement st = c.createStatement()) {
            // one table with every column of an entry and the ledger's indexes (the event table's, and seq's)
            st.execute("CREATE TABLE " + table + " (LIKE security_audit_event INCLUDING ALL)");
            st.execute("ALTER TABLE " + table + " ADD COLUMN seq bigint NOT NULL UNIQUE, ADD COLUMN entry text NOT NULL,"
                    + " ADD COLUMN prev_hash text NOT NULL CHECK (prev_hash ~ '^[0-9a-f]{64}$'),"
                    + " ADD COLUMN hash text NOT NULL CHECK (hash ~ '^[0-9a-f]{64}$')");
            st.execute("GRANT INSERT, SELECT ON " + table + " TO vigil_writer");
        }
        String copyRows = Columns.copyRows(table);
        return run(perWriter.size(), w -> {
            List<AuditEvent> mine = perWriter.get(w);
            try (Connection c = db.writer().getConnection()) {
                c.setAutoCommit(false);
                CopyManager copies = c.unwrap(PGConnection.class).getCopyAPI();
                CopyBinary rows = new CopyBinary(1 << 20);
                long seq = (long) w * mine.size();
                for (int i = 0; i < mine.size(); i += batch) {
                    rows.reset().header();
                    for (AuditEvent e : mine.subList(i, Math.min(mine.size(), i + batch))) {
                        Columns.appendCopyRow(e, seq, EventJson.toCanonicalString(e), String.format("%064x", seq),
                                String.format("%064x", seq + 1), rows);
                        seq++;
                    }
                    rows.trailer();
                    CopyIn copy = copies.copyIn(copyRows);
                    copy.writeToCopy(rows.array(), 0, rows.length());
                    copy.endCopy();
                    c.commit();
                }
            }
            return null;
        });
    }

    private static List<List<AuditEvent>> workload(int events, int writers, long seed) {
        Workload workload = new Workload(seed);
        List<List<AuditEvent>> out = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            out.add(new ArrayList<>());
        }
        long base = 1_750_000_000_000L;
        for (int i = 0; i < events; i++) {
            Instant t = Instant.ofEpochMilli(base + i);
            out.get(i % writers).add(VigilEvents.builder(workload.event(i)).timestamp(t).id(EventIds.next(t.toEpochMilli()))
                    .build());
        }
        return out;
    }

    private interface Writer {
        Void write(int writer) throws Exception;
    }

    /** Runs the writers at once; returns the seconds until the last one finished. */
    private static double run(int writers, Writer body) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            List<Callable<Void>> tasks = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                int id = w;
                tasks.add(() -> body.write(id));
            }
            long t0 = System.nanoTime();
            for (Future<Void> f : pool.invokeAll(tasks)) {
                f.get();
            }
            return (System.nanoTime() - t0) / 1e9;
        } finally {
            pool.shutdownNow();
        }
    }
}
