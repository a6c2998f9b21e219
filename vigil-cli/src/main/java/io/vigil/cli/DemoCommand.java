package io.vigil.cli;

import io.vigil.AuditLog;
import io.vigil.AuditStats;
import io.vigil.OverflowPolicy;
import io.vigil.PipelineOptions;
import io.vigil.detect.DetectionConfig;
import io.vigil.detect.DetectionReplay;
import io.vigil.detect.DetectionStage;
import io.vigil.detect.DetectionStats;
import io.vigil.event.AuditEvent;
import io.vigil.internal.PrivateFiles;
import io.vigil.ledger.FileLayout;
import io.vigil.ledger.FileLedger;
import io.vigil.ledger.LedgerEntry;
import io.vigil.ledger.LedgerOptions;
import io.vigil.ledger.LedgerReader;
import io.vigil.ledger.LedgerSink;
import io.vigil.ledger.LedgerStore;
import io.vigil.ledger.StoredCheckpoint;
import io.vigil.ledger.VerificationReport;
import io.vigil.ledger.checkpoint.KeyFiles;
import io.vigil.ledger.checkpoint.SigningKey;
import io.vigil.postgres.PostgresLedger;
import io.vigil.postgres.PostgresSchema;
import io.vigil.postgres.PostgresVerifier;
import io.vigil.sink.AuditSink;
import io.vigil.sink.EntryPosition;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.stream.Stream;

/**
 * {@code vigil demo}: writes a deterministic, realistic stream of security events through the real pipeline into a
 * signed file ledger.
 */
@Command(name = "demo",
        mixinStandardHelpOptions = true, versionProvider = VigilCommand.Version.class,
        description = {"Write a realistic, deterministic stream of security audit events through the real pipeline "
                + "(validation, redaction, batching) into a tamper-evident ledger in DIR: hash-chained entries, a "
                + "Merkle tree and Ed25519-signed checkpoints. Then print a summary and the commands to try next.",
                "",
                "The stream holds normal logins and sessions, token lifecycle, data reads and exports, access "
                + "denials, admin and configuration changes, rate limiting, one brute-force burst that ends in a "
                + "successful guess, and one account signing in from a far network with a new user agent. A "
                + "detection stage (every detector of vigil-detect, at its default rule) watches the stream and "
                + "records its findings into the same ledger; the summary counts them.",
                "",
                "The checkpoints are signed with a demo key derived from --seed, written to DIR/"
                + DemoCommand.KEY_FILE + " (0600) and DIR/" + DemoCommand.PUB_FILE + ". Anyone who knows the seed "
                + "can recreate that key: it is for demonstrations only, never for a real ledger (use 'vigil "
                + "keygen'). Because of it, the same --seed and --events give byte-identical segments, tree and "
                + "checkpoints (only the creation time in ledger.json differs): the findings' ids are derived from the"
                + " events that caused them, and the demo waits for the detectors after each event of an incident,"
                + " so each finding sits right after its cause.", ""},
        footer = {"", "Examples:", "  vigil demo --out /tmp/vigil-demo --events 100000 --seed 7",
                "  vigil verify /tmp/vigil-demo --key /tmp/vigil-demo/" + DemoCommand.PUB_FILE})
final class DemoCommand implements Callable<Integer> {

    /** The demo ledger's origin, which is also the name of its signing key. */
    static final String ORIGIN = "demo.vigil.example/gateway";
    static final String KEY_FILE = "demo-signing.key";
    static final String PUB_FILE = "demo-signing.pub";
    /** The system property through which the launcher script says how the user invoked it, e.g. {@code ./vigil}. */
    static final String COMMAND_PROPERTY = "vigil.command";
    /** What a previous demo (or any file ledger) leaves in its directory; --force removes exactly these. */
    static final List<String> LEDGER_FILES = List.of(FileLayout.METADATA, FileLayout.METADATA + ".tmp",
            FileLayout.SEGMENTS, FileLayout.TREE, FileLayout.INDEX, FileLayout.CHECKPOINTS, KEY_FILE, PUB_FILE);
    @Spec
    CommandSpec spec;

    @Option(names = "--out", required = true, paramLabel = "DIR",
            description = "Directory to write the ledger into (created 0700 if missing).")
    Path out;

    @Option(names = "--events", paramLabel = "N", defaultValue = "10000",
            description = "How many events the ledger gets: the service's and the detectors' findings (default:"
                    + " ${DEFAULT-VALUE}).")
    long events;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "42",
            description = "Seed of the stream and of the demo signing key (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--force", description = "Replace a ledger already in DIR (its ledger files and demo keys are deleted first).")
    boolean force;

    @Option(names = "--store", paramLabel = "URL",
            description = "Write the ledger into this PostgreSQL database (jdbc:postgresql://HOST[:PORT]/DB; user and"
                    + " password from PGUSER and PGPASSWORD) instead of DIR, which then holds only the demo keys. The"
                    + " schema is created first, so the user must be allowed to create tables and roles. A database"
                    + " ledger is append-only: use an empty database.")
    String store;

    @Override
    public Integer call() throws Exception {
        if (events < 1 || events > 100_000_000L) {
            throw new ParameterException(spec.commandLine(), "--events must be between 1 and 100000000, was " + events);
        }
        if (Files.exists(out) && !Files.isDirectory(out)) {
            throw new ParameterException(spec.commandLine(), "--out " + out + " exists and is not a directory");
        }
        List<String> existing = new ArrayList<>();
        for (String name : LEDGER_FILES) {
            if (Files.exists(out.resolve(name), LinkOption.NOFOLLOW_LINKS)) {
                existing.add(name);
            }
        }
        if (!existing.isEmpty()) {
            if (!force) {
                throw new ParameterException(spec.commandLine(), out + " already exists and holds a ledger ("
                        + String.join(", ", existing) + "); choose another --out or add --force to replace it");
            }
            for (String name : existing) {
                deleteRecursively(out.resolve(name));
            }
        }
        PrivateFiles.directory(out);
        PrintStream err = System.err;
        SigningKey key = Keys.demoKey(ORIGIN, seed);
        KeyFiles.write(key, out.resolve(KEY_FILE), out.resolve(PUB_FILE));

        long every = checkpointEvery(events);
        SimulatedClock clock = new SimulatedClock(DemoScenario.START);
        LedgerOptions options = LedgerOptions.defaults(ORIGIN)
                .withSigningKey(key)
                // checkpoints only at multiples of `every` (see AlignedSink) and on close, never by wall time
                .withCheckpoints(every, Duration.ofDays(365 * 100))
                // one segment: where a segment is cut depends on how the pipeline happened to batch, which is
                // not reproducible; a real ledger rotates segments (64 MiB by default)
                .withSegmentBytes(Long.MAX_VALUE / 4)
                .withClock(clock);

        DataSource database = null;
        LedgerStore ledgerStore;
        if (store != null) {
            database = Databases.dataSource(spec.commandLine(), store);
            try {
                PostgresSchema.migrate(database);
                long size = 0;
                if (PostgresLedger.origin(database).isPresent()) {
                    try (LedgerStore previous = PostgresLedger.open(database, options)) {
                        size = previous.size();
                    }
                }
                if (size > 0) {
                    throw new ParameterException(spec.commandLine(), Databases.redacted(store) + " already holds a"
                            + " ledger of " + size + " entries, which cannot be replaced (it is append-only); use an"
                            + " empty database");
                }
                ledgerStore = PostgresLedger.open(database, options);
            } catch (IOException | RuntimeException e) {
                if (e instanceof ParameterException pe) {
                    throw pe;
                }
                err.println("vigil: cannot use " + Databases.explain(store, e));
                return 1;
            }
        } else {
            ledgerStore = FileLedger.open(out, options);
        }
        long t0 = System.nanoTime();
        AuditStats stats;
        AlignedSink sink = new AlignedSink(new LedgerSink(ledgerStore), every, clock);
        DetectionStage detection = DetectionConfig.defaults().builder().build();
        FindingCounts found = new FindingCounts();
        try (AuditLog log = AuditLog.builder().selfAudit(false)
                .pipeline(PipelineOptions.DEFAULT.withOverflow(OverflowPolicy.BLOCK).withBlockTimeout(Duration.ofMinutes(1))
                        .withShutdownTimeout(Duration.ofMinutes(1)))
                .sink("ledger", sink)
                .sink("detect", detection)
                .sink("findings", found)
                .build()) {
            detection.bind(log);
            LongSupplier settle = () -> {
                if (!detection.flush(Duration.ofMinutes(1))) {
                    throw new IllegalStateException("the pipeline did not write the detectors' findings within a minute");
                }
                return detection.stats().findings();
            };
            DemoScenario scenario = new DemoScenario(log, settle, seed, events, DemoScenario.Traffic.WITH_INCIDENTS);
            ProgressBar bar = new ProgressBar(err, "demo", events);
            scenario.run(bar::update);
            try {
                scenario.lastReceipt().get(1, TimeUnit.MINUTES);
            } catch (ExecutionException e) {
                // counted in the stats below
            } finally {
                bar.end();
            }
            if (!detection.flush(Duration.ofMinutes(1))) {
                throw new IllegalStateException("the pipeline did not drain within a minute");
            }
            stats = log.stats();
        }
        DetectionStats detected = detection.stats();
        double seconds = (System.nanoTime() - t0) / 1e9;
        if (stats.failed() > 0 || stats.dropped() > 0) {
            err.printf("vigil: %d event(s) failed and %d were dropped; see the log above%n", stats.failed(), stats.dropped());
            return 1;
        }
        if (detected.errors() > 0 || detected.findingsLost() > 0) {
            err.printf("vigil: detection failed on %d event(s) and lost %d finding(s); see the log above%n",
                    detected.errors(), detected.findingsLost());
            return 1;
        }
        if (database != null) {
            return printDatabaseSummary(System.out, database, stats, found, seconds);
        }
        try (LedgerReader ledger = FileLedger.openReader(out)) {
            List<StoredCheckpoint> checkpoints = ledger.checkpoints();
            if (checkpoints.isEmpty() || checkpoints.get(checkpoints.size() - 1).size() != stats.written()) {
                err.println("vigil: the ledger's final checkpoint was not written; see the log above");
                return 1;
            }
            printSummary(System.out, out, ledger, stats, found, seconds, every, checkpoints, key);
        }
        return 0;
    }

    private int printDatabaseSummary(PrintStream o, DataSource database, AuditStats stats, FindingCounts found,
                                     double seconds) throws IOException {
        VerificationReport r = PostgresVerifier.of(database)
                .key(Keys.demoKey(ORIGIN, seed).verifierKey()).verify();
        String url = Databases.redacted(store);
        o.printf("%nwrote %,d events into %s in %.1f s (%,.0f events/s)%n", stats.written(), url, seconds,
                stats.written() / seconds);
        o.printf("ledger       origin %s, %,d entries, %,d signed checkpoints, %s%n", ORIGIN, r.entries(),
                r.checkpointsVerified(), r.intact() ? "verified intact" : "NOT intact: " + r.reason().orElse(""));
        o.printf("keys         %s (demo only), %s%n", out.resolve(KEY_FILE), out.resolve(PUB_FILE));
        found.print(o);
        o.println();
        String vigil = invokedCommand();
        o.println("try next:");
        o.printf("  %s verify '%s' --key %s%n", vigil, url, out.resolve(PUB_FILE));
        o.printf("  %s query '%s' --type 'auth.login.*' --outcome failure --format table --limit 20%n", vigil, url);
        o.printf("  %s detect '%s' --format table%n", vigil, url);
        return r.intact() ? 0 : 1;
    }

    /** Sign a checkpoint every this many entries: about a hundred per ledger, at least a thousand entries apart. */
    static long checkpointEvery(long events) {
        return Math.max(1000, (events / 100 + 999) / 1000 * 1000);
    }

    private static void deleteRecursively(Path p) throws IOException {
        if (!Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
            Files.deleteIfExists(p);
            return;
        }
        Files.walkFileTree(p, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                if (e != null) {
                    throw e;
                }
                Files.delete(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    private static void printSummary(PrintStream o, Path dir, LedgerReader ledger, AuditStats stats,
                                     FindingCounts found, double seconds, long every,
                                     List<StoredCheckpoint> checkpoints, SigningKey key) throws Exception {
        Map<String, long[]> byCategory = new TreeMap<>();
        try (Stream<LedgerEntry> entries = ledger.entries(0, ledger.size())) {
            entries.forEach(entry -> {
                AuditEvent e = entry.event();
                long[] row = byCategory.computeIfAbsent(e.category().jsonName(), k -> new long[5]);
                row[0]++;
                row[1 + e.outcome().ordinal()]++;
            });
        }
        FileLayout layout = FileLayout.of(dir);
        List<Long> firstSeqs = layout.segmentFirstSeqs();
        int segments = firstSeqs.size();
        long segmentBytes = 0;
        for (long first : firstSeqs) {
            segmentBytes += Files.size(layout.segment(first));
        }
        StoredCheckpoint last = checkpoints.get(checkpoints.size() - 1);
        o.printf("%nWrote %,d events to the ledger in %s in %.2f s (%,.0f events/s): %,d from the service, %,d"
                        + " findings of the detectors%n", stats.written(), dir, seconds,
                stats.written() / Math.max(seconds, 1e-9), stats.written() - found.total(), found.total());
        o.printf("  %,d segment file%s, %,d bytes; %,d signed checkpoint%s (every %,d entries and at the end);"
                        + " root %s%n%n", segments, segments == 1 ? "" : "s", segmentBytes, checkpoints.size(),
                checkpoints.size() == 1 ? "" : "s", every, last.checkpoint().checkpoint().root().hex());
        o.printf("%-12s %10s %10s %10s %10s %10s%n", "category", "events", "success", "failure", "denied", "error");
        o.println("-".repeat(67));
        long[] total = new long[5];
        for (Map.Entry<String, long[]> en : byCategory.entrySet()) {
            long[] v = en.getValue();
            o.printf("%-12s %,10d %,10d %,10d %,10d %,10d%n", en.getKey(), v[0], v[1], v[2], v[3], v[4]);
            for (int i = 0; i < 5; i++) {
                total[i] += v[i];
            }
        }
        o.println("-".repeat(67));
        o.printf("%-12s %,10d %,10d %,10d %,10d %,10d%n", "total", total[0], total[1], total[2], total[3], total[4]);
        found.print(o);
        Path pub = dir.resolve(PUB_FILE);
        o.printf("%nDemo signing key (derived from --seed: for demos only, never for a real ledger):%n");
        o.printf("  private  %s  (mode 0600)%n", dir.resolve(KEY_FILE));
        o.printf("  public   %s  %s%n", pub, key.verifierKey().encode());
        String vigil = invokedCommand();
        o.printf("%nTry next:%n");
        o.printf("  %s verify %s --key %s%n", vigil, dir, pub);
        o.printf("  %s query %s --type security.brute.force.detected --format table%n", vigil, dir);
        o.printf("  %s detect %s --format table%n", vigil, dir);
        o.printf("  %s prove inclusion %s --seq %d%n", vigil, dir, Math.min(42, stats.written() - 1));
        o.printf("  %s tail %s -n 5%n", vigil, dir);
    }

    /**
     * The command as the user started it, for the lines to try next: someone who ran {@code ./vigil} has no
     * {@code vigil} on the PATH. The launcher script passes it in {@link #COMMAND_PROPERTY}; started any other way
     * (e.g. {@code java -jar}) the command is {@code vigil}. Quoted for a POSIX shell when it needs to be.
     */
    static String invokedCommand() {
        String given = System.getProperty(COMMAND_PROPERTY, "").strip();
        if (given.isEmpty()) {
            return "vigil";
        }
        return given.matches("[A-Za-z0-9_./+:@%=-]+") ? given : "'" + given.replace("'", "'\\''") + "'";
    }

    /** Counts the findings that reach the ledger, per type, for the summary. */
    static final class FindingCounts implements AuditSink {
        private final Map<String, Long> byType = new ConcurrentSkipListMap<>();

        @Override
        public List<EntryPosition> write(List<AuditEvent> batch) {
            for (AuditEvent e : batch) {
                if (DetectionReplay.isFinding(e)) {
                    byType.merge(e.type(), 1L, Long::sum);
                }
            }
            return List.of();
        }

        @Override
        public void close() {
            // nothing held: the counts are read after the log has closed
        }

        long total() {
            return byType.values().stream().mapToLong(Long::longValue).sum();
        }

        void print(PrintStream o) {
            o.println();
            if (byType.isEmpty()) {
                o.println("detected: nothing");
            }
            byType.forEach((type, n) -> o.printf("detected: %-34s %,d%n", type, n));
        }
    }

    /**
     * Hands the pipeline's batches to the ledger split at multiples of the checkpoint interval, so the store signs
     * its checkpoints at exactly those sizes however the pipeline happened to batch, and sets the simulated clock
     * to the time of the last event of each part, which the store records with a checkpoint. Together with the
     * seeded events and key this makes the demo ledger reproducible.
     */
    static final class AlignedSink implements AuditSink {
        private final LedgerSink ledger;
        private final long every;
        private final SimulatedClock clock;
        private boolean broken;

        AlignedSink(LedgerSink ledger, long every, SimulatedClock clock) {
            this.ledger = ledger;
            this.every = every;
            this.clock = clock;
        }

        @Override
        public List<EntryPosition> write(List<AuditEvent> batch) throws IOException {
            if (broken) {
                throw new IOException("an earlier batch was written only in part; the demo ledger is incomplete");
            }
            List<EntryPosition> positions = new ArrayList<>(batch.size());
            long size = ledger.store().size();
            int i = 0;
            while (i < batch.size()) {
                int n = (int) Math.min(every - size % every, batch.size() - i);
                List<AuditEvent> part = batch.subList(i, i + n);
                clock.set(part.get(n - 1).timestamp());
                try {
                    positions.addAll(ledger.write(part));
                } catch (IOException e) {
                    // the parts before are in the ledger: a retry of the whole batch would duplicate them
                    broken = i > 0;
                    throw e;
                }
                i += n;
                size += n;
            }
            return positions;
        }

        @Override
        public void flush() throws IOException {
            ledger.flush();
        }

        @Override
        public void close() throws IOException {
            ledger.close();
        }
    }

    /** A clock that shows the simulated time it was last set to. */
    static final class SimulatedClock extends Clock {
        private volatile Instant now;

        SimulatedClock(Instant start) {
            this.now = start;
        }

        void set(Instant value) {
            now = value;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return Clock.fixed(now, zone);
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
