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
import io.vigil.postgres.testsupport.LedgerDatabase;
import io.vigil.postgres.testsupport.PostgresServer;

import java.sql.Connection;
import java.sql.PreparedStatement;
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
 * batches of {@code --batch}); then the same rows go into a plain copy of the table (same columns, indexes and
 * constraints, no chain, no lock, no Merkle nodes) with the same multi-row inserts; then the ledger is verified.
 *
 * <pre>
 * java -cp vigil-bench.jar io.vigil.bench.PostgresBench [--events 400000] [--writers 4] [--batch 1000] [--seed 42]
 * </pre>
 */
public final class PostgresBench {
    private static final int ROWS_PER_INSERT = 250;

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
            LedgerDatabase db = LedgerDatabase.create(server, "bench");
            List<List<AuditEvent>> perWriter = workload(events, writers, seed);
            LedgerOptions options = LedgerOptions.defaults("bench.vigil.example/postgres").withSigningKey(key)
                    .withCheckpoints(10_000, Duration.ofMinutes(10));

            double chained = run(writers, w -> {
                try (LedgerStore store = PostgresLedger.open(db.writer(), options)) {
                    List<AuditEvent> mine = perWriter.get(w);
                    for (int i = 0; i < mine.size(); i += batch) {
                        store.append(mine.subList(i, Math.min(mine.size(), i + batch)));
                    }
                }
                return null;
            });
            double chainedRate = events / chained;
            System.out.printf(Locale.ROOT, "  chained ledger: %.2f s%n", chained);

            try (Connection c = server.superuser(db.name()); Statement st = c.createStatement()) {
                st.execute("CREATE TABLE plain_audit_log (LIKE security_audit_log INCLUDING ALL)");
                st.execute("GRANT INSERT, SELECT ON plain_audit_log TO vigil_writer");
            }
            String insert = "INSERT INTO plain_audit_log (" + String.join(", ", Columns.all()) + ") VALUES ";
            double plain = run(writers, w -> {
                List<AuditEvent> mine = perWriter.get(w);
                try (Connection c = db.writer().getConnection()) {
                    long seq = (long) w * mine.size();
                    for (int i = 0; i < mine.size(); i += batch) {
                        List<AuditEvent> part = mine.subList(i, Math.min(mine.size(), i + batch));
                        c.setAutoCommit(false);
                        for (int from = 0; from < part.size(); from += ROWS_PER_INSERT) {
                            int n = Math.min(ROWS_PER_INSERT, part.size() - from);
                            StringBuilder sql = new StringBuilder(insert);
                            for (int k = 0; k < n; k++) {
                                sql.append(k == 0 ? "" : ", ").append(Columns.rowPlaceholders());
                            }
                            try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
                                int p = 1;
                                for (int k = 0; k < n; k++) {
                                    AuditEvent e = part.get(from + k);
                                    ps.setLong(p++, seq);
                                    p = Columns.bind(ps, p, Columns.values(e), c);
                                    ps.setString(p++, EventJson.toCanonicalString(e));
                                    ps.setString(p++, String.format("%064x", seq));
                                    ps.setString(p++, String.format("%064x", seq + 1));
                                    seq++;
                                }
                                ps.executeUpdate();
                            }
                        }
                        c.commit();
                    }
                }
                return null;
            });
            double plainRate = events / plain;
            System.out.printf(Locale.ROOT, "  plain insert: %.2f s%n", plain);

            long t0 = System.nanoTime();
            VerificationReport report = PostgresVerifier.of(db.reader()).key(key.verifierKey()).verify();
            double verify = (System.nanoTime() - t0) / 1e9;
            double verifyRate = report.entries() / verify;

            System.out.println();
            System.out.println("| measure | value | target | met |");
            System.out.println("|---|---:|---|---|");
            System.out.printf(Locale.ROOT, "| plain batch insert, %d writers, same rows and indexes | %,.0f rows/s |  |  |%n",
                    writers, plainRate);
            System.out.printf(Locale.ROOT, "| chained ledger, %d writers (advisory lock, Merkle nodes, signed checkpoints) "
                    + "| %,.0f events/s (%.2f× plain) | ≥ 0.5× plain and ≥ 50,000/s | %s |%n", writers, chainedRate,
                    chainedRate / plainRate, chainedRate >= 0.5 * plainRate && chainedRate >= 50_000 ? "yes" : "NO");
            System.out.printf(Locale.ROOT, "| full verification, %,d rows | %,.0f rows/s (%s) | ≥ 200,000 rows/s | %s |%n",
                    report.entries(), verifyRate, report.intact() ? "intact" : "NOT INTACT: " + report.reason().orElse(""),
                    verifyRate >= 200_000 ? "yes" : "NO");
        }
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
