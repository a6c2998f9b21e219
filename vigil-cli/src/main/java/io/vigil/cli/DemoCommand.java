package io.vigil.cli;

import io.vigil.AuditLog;
import io.vigil.AuditStats;
import io.vigil.OverflowPolicy;
import io.vigil.PipelineOptions;
import io.vigil.event.AuditEvent;
import io.vigil.json.EventJson;
import io.vigil.sink.FileSinkOptions;
import io.vigil.sink.FsyncPolicy;
import io.vigil.sink.Sinks;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.BufferedReader;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/** {@code vigil demo}: writes a deterministic, realistic stream of security events through the real pipeline. */
@Command(name = "demo",
        mixinStandardHelpOptions = true,
        description = {"Write a realistic, deterministic stream of security audit events into DIR/" + DemoCommand.FILE_NAME
                + " through the real pipeline (validation, redaction, batching, fsync), then print a summary.",
                "",
                "The stream holds normal logins and sessions, token lifecycle, data reads and exports, access "
                + "denials, admin and configuration changes, rate limiting, one brute-force burst and one "
                + "impossible-travel anomaly. The same --seed and --events give byte-identical output.", ""},
        footer = {"", "Example:", "  vigil demo --out /tmp/vigil-demo --events 100000 --seed 7"})
final class DemoCommand implements Callable<Integer> {

    static final String FILE_NAME = "audit.jsonl";

    @Spec
    CommandSpec spec;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Directory to write into (created 0700 if missing).")
    Path out;

    @Option(names = "--events", paramLabel = "N", defaultValue = "10000", description = "How many events (default: ${DEFAULT-VALUE}).")
    long events;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "42", description = "Seed of the stream (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--force", description = "Replace an existing " + FILE_NAME + " in DIR.")
    boolean force;

    @Override
    public Integer call() throws Exception {
        if (events < 1 || events > 100_000_000L) {
            throw new ParameterException(spec.commandLine(), "--events must be between 1 and 100000000, was " + events);
        }
        Path file = out.resolve(FILE_NAME);
        if (Files.exists(out) && !Files.isDirectory(out)) {
            throw new ParameterException(spec.commandLine(), "--out " + out + " exists and is not a directory");
        }
        if (Files.exists(file) && Files.size(file) > 0) {
            if (!force) {
                throw new ParameterException(spec.commandLine(), file + " already exists; choose another --out or add --force to replace it");
            }
            Files.delete(file);
        }
        PrintStream err = System.err;
        long t0 = System.nanoTime();
        AuditStats stats;
        try (AuditLog log = AuditLog.builder().selfAudit(false)
                .pipeline(PipelineOptions.DEFAULT.withOverflow(OverflowPolicy.BLOCK).withBlockTimeout(Duration.ofMinutes(1))
                        .withShutdownTimeout(Duration.ofMinutes(1)))
                .sink("file", Sinks.jsonlFile(FileSinkOptions.defaults(file).withMaxFileBytes(0).withRotateDaily(false)
                        .withFsync(FsyncPolicy.BATCH)))
                .build()) {
            DemoScenario scenario = new DemoScenario(log, seed, events);
            ProgressBar bar = new ProgressBar(err, "demo", events);
            scenario.run(bar::update);
            scenario.lastReceipt().get(1, TimeUnit.MINUTES);
            if (!log.flush(Duration.ofMinutes(1))) {
                throw new IllegalStateException("the pipeline did not drain within a minute");
            }
            stats = log.stats();
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        if (stats.failed() > 0 || stats.dropped() > 0) {
            err.printf("vigil: %d event(s) failed and %d were dropped; see the log above%n", stats.failed(), stats.dropped());
            return 1;
        }
        printSummary(System.out, file, stats, seconds);
        return 0;
    }

    private static void printSummary(PrintStream o, Path file, AuditStats stats, double seconds) throws Exception {
        Map<String, long[]> byCategory = new TreeMap<>();
        Map<String, Long> notable = new TreeMap<>();
        try (BufferedReader r = Files.newBufferedReader(file)) {
            String line;
            while ((line = r.readLine()) != null) {
                AuditEvent e = EventJson.parse(line);
                long[] row = byCategory.computeIfAbsent(e.category().jsonName(), k -> new long[5]);
                row[0]++;
                row[1 + e.outcome().ordinal()]++;
                if (e.type().startsWith("security.")) {
                    notable.merge(e.type(), 1L, Long::sum);
                }
            }
        }
        o.printf("%nWrote %,d events to %s (%,d bytes) in %.2f s (%,.0f events/s)%n%n", stats.written(), file,
                Files.size(file), seconds, stats.written() / Math.max(seconds, 1e-9));
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
        if (!notable.isEmpty()) {
            o.println();
            notable.forEach((type, n) -> o.printf("detected: %-30s %,d%n", type, n));
        }
    }
}
