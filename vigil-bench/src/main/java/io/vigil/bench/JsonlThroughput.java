package io.vigil.bench;

import io.vigil.bench.workload.Workload;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * End-to-end JSONL throughput: the same deterministic events written to a file by Vigil, by Log4j2 (all-async
 * loggers, JsonTemplateLayout) and by Logback (AsyncAppender, LogstashEncoder), each in its own child JVM with the
 * same flags. A row's time runs from the first event until the stack says everything is written and stopped; the
 * child then counts the file's lines; a run that lost an event is reported and left out. Rows are run round-robin,
 * {@code --runs} times, and the median is reported, so a slow moment of the machine does not favour whoever ran last.
 * Each child also measures how much CPU other processes took while it ran; runs they disturbed are shown but left
 * out of the median when undisturbed runs of the row exist.
 *
 * <pre>
 * java -cp vigil-bench.jar io.vigil.bench.JsonlThroughput [--events 1000000] [--runs 3] [--threads 1,4]
 *      [--queue 65536] [--dir DIR] [--seed S] [--jvm-args "..."] [--keep-files] [--timeout SECONDS]
 * </pre>
 */
public final class JsonlThroughput {
    private record Row(String impl, int threads) {
        String label() {
            String name = switch (impl) {
                case "vigil-none" -> "Vigil JSONL, fsync none";
                case "vigil-batch" -> "Vigil JSONL, fsync batch";
                case "log4j2" -> "Log4j2 async + JsonTemplateLayout";
                case "logback" -> "Logback async + LogstashEncoder";
                default -> impl;
            };
            return name + ", " + threads + (threads == 1 ? " thread" : " threads");
        }
    }

    /** Below this share of the CPUs used by other processes, a run counts as undisturbed. */
    static final double QUIET = 0.10;

    private JsonlThroughput() {
    }

    public static void main(String[] argv) throws Exception {
        Args args = new Args(argv, Set.of("events", "runs", "threads", "dir", "seed", "queue", "jvm-args", "keep-files", "timeout"),
                Set.of("keep-files"));
        long events = args.getLong("events", 1_000_000);
        int runs = (int) args.getLong("runs", 3);
        long seed = args.getLong("seed", Workload.DEFAULT_SEED);
        long timeout = args.getLong("timeout", 900);
        boolean keep = args.flag("keep-files");
        int[] threadCounts = Arrays.stream(args.get("threads", "1,4").split(",")).map(String::trim)
                .mapToInt(Integer::parseInt).toArray();
        int queue = (int) args.getLong("queue", 65_536);
        List<String> jvmArgs = args.get("jvm-args", null) == null ? ChildLauncher.defaultJvmArgs(queue)
                : List.of(args.get("jvm-args", "").trim().split("\\s+"));
        Path dir = Path.of(args.get("dir", Path.of(System.getProperty("java.io.tmpdir"),
                "vigil-bench-" + ProcessHandle.current().pid()).toString()));
        Files.createDirectories(dir);

        List<Row> rows = new ArrayList<>();
        for (int t : threadCounts) {
            rows.add(new Row("vigil-none", t));
            if (t == 1) {
                rows.add(new Row("vigil-batch", t)); // for information: group-commit fsync costs what the disk costs
            }
            rows.add(new Row("log4j2", t));
            rows.add(new Row("logback", t));
        }

        ChildLauncher launcher = new ChildLauncher(jvmArgs);
        System.out.printf(Locale.ROOT, "JSONL throughput: %,d events per row, %d run(s) per row (median shown), seed %d%n",
                events, runs, seed);
        System.out.printf(Locale.ROOT, "%s, Java %s (%s), %d CPUs, child JVM flags: %s%n",
                ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ISO_LOCAL_DATE),
                System.getProperty("java.version"), System.getProperty("java.vm.name"),
                Runtime.getRuntime().availableProcessors(), String.join(" ", jvmArgs));
        System.out.println("files in " + dir);

        List<List<ChildLauncher.Result>> results = new ArrayList<>();
        rows.forEach(r -> results.add(new ArrayList<>()));
        List<String> lossNotes = new ArrayList<>();
        boolean vigilOk = true;
        for (int run = 1; run <= runs; run++) {
            for (int i = 0; i < rows.size(); i++) {
                Row row = rows.get(i);
                Path file = dir.resolve(row.impl() + "-" + row.threads() + "t-run" + run + ".jsonl");
                ChildLauncher.Result r;
                try {
                    r = launcher.run(row.impl(), row.threads(), events, file, seed, timeout);
                } catch (IOException e) {
                    System.err.println("FAILED " + row.label() + ": " + e.getMessage());
                    lossNotes.add(row.label() + ", run " + run + ": no result (" + e.getMessage() + ")");
                    vigilOk &= !row.impl().startsWith("vigil");
                    continue;
                }
                System.err.printf(Locale.ROOT, "  run %d/%d %-45s %7.3f s  %,d lines  other processes %s  %s%n", run,
                        runs, row.label(), r.seconds(), r.lines(), others(r),
                        r.ok() ? "ok" : "FAILED (check " + r.check() + ", lost " + r.lost() + ")");
                if (r.ok()) {
                    results.get(i).add(r);
                } else {
                    // A run that lost or mangled events did less work; its time must not count as throughput.
                    lossNotes.add(String.format(Locale.ROOT, "%s, run %d: %,d of %,d lines in the file (%.3f s), "
                            + "excluded from the median", row.label(), run, r.lines(), r.events(), r.seconds()));
                    vigilOk &= !row.impl().startsWith("vigil");
                }
                if (!keep) {
                    Files.deleteIfExists(file);
                }
            }
        }
        if (!keep) {
            try (var left = Files.list(dir)) {
                if (left.findAny().isEmpty()) {
                    Files.deleteIfExists(dir);
                }
            }
        }
        System.out.println();
        boolean complete = printTable(rows, results, events);
        if (!lossNotes.isEmpty()) {
            System.out.println();
            System.out.println("RUNS THAT DID NOT WRITE EVERY EVENT:");
            lossNotes.forEach(n -> System.out.println("  " + n));
        }
        if (!vigilOk || !complete) {
            System.exit(1); // a Vigil run lost events, or a row has no valid run at all
        }
    }

    /** Prints the table and the target verdicts; false when some row has no valid run. */
    private static boolean printTable(List<Row> rows, List<List<ChildLauncher.Result>> results, long events) {
        double[] rate = new double[rows.size()];
        ChildLauncher.Result[] median = new ChildLauncher.Result[rows.size()];
        for (int i = 0; i < rows.size(); i++) {
            List<ChildLauncher.Result> rs = quiet(results.get(i));
            if (rs.isEmpty()) {
                continue;
            }
            rs.sort(Comparator.comparingLong(ChildLauncher.Result::nanos));
            median[i] = rs.get(rs.size() / 2);
            rate[i] = events / median[i].seconds();
        }
        boolean complete = true;
        System.out.println("| implementation | events | seconds | events/s | MB written | bytes/event | vs Log4j2 |");
        System.out.println("|---|---:|---:|---:|---:|---:|---:|");
        for (int i = 0; i < rows.size(); i++) {
            Row row = rows.get(i);
            ChildLauncher.Result m = median[i];
            if (m == null) {
                System.out.printf(Locale.ROOT, "| %s | FAILED | | | | | |%n", row.label());
                complete = false;
                continue;
            }
            double log4j = log4jRate(rows, rate, row.threads());
            System.out.printf(Locale.ROOT, "| %s | %,d | %.3f | %,.0f | %.1f | %.1f | %s |%n", row.label(), events,
                    m.seconds(), rate[i], m.bytes() / 1e6, (double) m.bytes() / events,
                    log4j > 0 ? String.format(Locale.ROOT, "%.2f×", rate[i] / log4j) : "n/a");
        }
        System.out.println();
        System.out.printf(Locale.ROOT, "seconds of every run, with the share of the CPUs other processes used meanwhile; "
                + "the table shows the median of the runs under %.0f%% (of all runs if none was), and the GC pauses "
                + "of that run:%n", QUIET * 100);
        for (int i = 0; i < rows.size(); i++) {
            StringBuilder sb = new StringBuilder();
            for (ChildLauncher.Result r : results.get(i)) {
                sb.append(String.format(Locale.ROOT, " %.2f (%s)", r.seconds(), others(r)));
            }
            String gc = median[i] == null ? "" : String.format(Locale.ROOT, "   | GC: %d pauses, %.2f s",
                    median[i].gcs(), median[i].gcMillis() / 1e3);
            System.out.printf(Locale.ROOT, "  %-45s%s%s%n", rows.get(i).label(), sb, gc);
        }
        for (int i = 0; i < rows.size(); i++) {
            Row row = rows.get(i);
            double log4j = log4jRate(rows, rate, row.threads());
            if (row.impl().equals("vigil-none") && rate[i] > 0 && log4j > 0) {
                double ratio = rate[i] / log4j;
                System.out.printf(Locale.ROOT, "target (Vigil JSONL >= 1.0x Log4j2 async, %d %s): %.2fx -> %s%n",
                        row.threads(), row.threads() == 1 ? "thread" : "threads", ratio,
                        ratio >= 1.0 ? "MET" : "NOT MET");
            }
        }
        return complete;
    }

    /**
     * The runs during which other processes used less than {@link #QUIET} of the CPUs, or all runs when there are
     * none; on a shared machine a run slowed by someone's build says nothing about the stack.
     */
    private static List<ChildLauncher.Result> quiet(List<ChildLauncher.Result> runs) {
        List<ChildLauncher.Result> quiet = new ArrayList<>();
        for (ChildLauncher.Result r : runs) {
            if (r.others() >= 0 && r.others() < QUIET) {
                quiet.add(r);
            }
        }
        return quiet.isEmpty() ? new ArrayList<>(runs) : quiet;
    }

    private static String others(ChildLauncher.Result r) {
        return r.others() < 0 ? "n/a" : String.format(Locale.ROOT, "%.0f%%", r.others() * 100);
    }

    private static double log4jRate(List<Row> rows, double[] rate, int threads) {
        for (int i = 0; i < rows.size(); i++) {
            if (rows.get(i).impl().equals("log4j2") && rows.get(i).threads() == threads) {
                return rate[i];
            }
        }
        return 0;
    }
}
