package io.vigil.bench;

import io.vigil.bench.child.LedgerChild;
import io.vigil.bench.workload.Workload;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The ledger's targets, measured in one run, each part in a fresh JVM, and printed as one table:
 * <ol>
 *   <li>durable chained ledger throughput (pipeline → ledger sink, fsync per batch, signed checkpoints) against
 *       Log4j2 async JSON on the same events (target ≥ 0.8×);</li>
 *   <li>the ledger's bytes/s against the disk's sequential write bandwidth measured here (target ≥ 70%);</li>
 *   <li>full verification of that ledger (target ≥ 1M events/s);</li>
 *   <li>with a large ledger (default 10M entries): opening it (target ≤ 2 s), inclusion proofs (≤ 1 ms) and its
 *       full verification.</li>
 * </ol>
 * Usage: {@code LedgerBench [--events N] [--big N] [--dir DIR] [--seed S] [--disk-mib N] [--keep-files]}.
 */
public final class LedgerBench {
    private LedgerBench() {
    }

    public static void main(String[] argv) throws Exception {
        Args args = new Args(argv, Set.of("events", "big", "dir", "seed", "disk-mib", "keep-files"), Set.of("keep-files"));
        long events = args.getLong("events", 1_000_000);
        long big = args.getLong("big", 10_000_000);
        long seed = args.getLong("seed", Workload.DEFAULT_SEED);
        int diskMib = (int) args.getLong("disk-mib", 1024);
        Path dir = Path.of(args.get("dir", Files.createTempDirectory("vigil-ledger-bench").toString()));
        Files.createDirectories(dir);
        System.out.printf(Locale.ROOT, "files in %s; %d CPUs; Java %s%n", dir, Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"));

        Map<String, String> disk = child(List.of("disk", dir.resolve("disk").toString(), String.valueOf(diskMib)), 600);
        double diskMBs = mbPerSecond(disk);
        System.out.printf(Locale.ROOT, "  disk sequential write: %.0f MB/s%n", diskMBs);

        ChildLauncher launcher = new ChildLauncher(ChildLauncher.defaultJvmArgs(65_536));
        ChildLauncher.Result log4j = launcher.run("log4j2", 1, events, dir.resolve("log4j2.jsonl"), seed, 1800);
        double log4jRate = events / log4j.seconds();
        System.out.printf(Locale.ROOT, "  log4j2 async JSON: %.2f s%s%n", log4j.seconds(), log4j.ok() ? "" : " (INCOMPLETE)");
        Files.deleteIfExists(dir.resolve("log4j2.jsonl"));

        Path ledger = dir.resolve("ledger");
        Map<String, String> w = child(List.of("write", ledger.toString(), String.valueOf(events), String.valueOf(seed)), 1800);
        double ledgerSeconds = seconds(w, "nanos");
        double ledgerRate = events / ledgerSeconds;
        double ledgerMBs = Long.parseLong(w.get("bytes")) / 1e6 / ledgerSeconds;
        System.out.printf(Locale.ROOT, "  ledger write: %.2f s, lost %s%n", ledgerSeconds, w.get("lost"));
        Map<String, String> v = child(List.of("verify", ledger.toString(), String.valueOf(seed)), 1800);
        double verifyRate = Long.parseLong(v.get("entries")) / seconds(v, "nanos");

        Map<String, String> open = null;
        Map<String, String> bigVerify = null;
        Map<String, String> built = null;
        if (big > 0) {
            Path large = dir.resolve("large");
            built = child(List.of("build", large.toString(), String.valueOf(big), String.valueOf(seed)), 3600);
            System.out.printf(Locale.ROOT, "  built %,d entries in %.1f s%n", big, seconds(built, "nanos"));
            open = child(List.of("open", large.toString(), String.valueOf(seed), "10000"), 600);
            bigVerify = child(List.of("verify", large.toString(), String.valueOf(seed)), 3600);
        }

        System.out.println();
        System.out.println("| measure | value | target | met |");
        System.out.println("|---|---:|---|---|");
        row("Log4j2 async JSON (JsonTemplateLayout), 1 thread", String.format(Locale.ROOT, "%,.0f events/s", log4jRate), "", "");
        row("Vigil ledger: durable (fsync per batch), chained, signed, 1 thread",
                String.format(Locale.ROOT, "%,.0f events/s (%.2f× Log4j2)", ledgerRate, ledgerRate / log4jRate),
                "≥ 0.8× Log4j2", met(ledgerRate / log4jRate >= 0.8));
        row("disk sequential write (1 MiB writes, one fsync)", String.format(Locale.ROOT, "%,.0f MB/s", diskMBs), "", "");
        row("ledger bytes written", String.format(Locale.ROOT, "%,.0f MB/s (%.0f%% of the disk)", ledgerMBs,
                100 * ledgerMBs / diskMBs), "≥ 70% of the disk", met(ledgerMBs / diskMBs >= 0.7));
        row("full verification, " + String.format(Locale.ROOT, "%,d", events) + " entries (fresh JVM)",
                String.format(Locale.ROOT, "%,.0f events/s (%s)", verifyRate, "true".equals(v.get("intact")) ? "intact" : "NOT INTACT"),
                "≥ 1,000,000 events/s", met(verifyRate >= 1_000_000));
        if (big > 0) {
            double openS = seconds(open, "openNanos");
            row(String.format(Locale.ROOT, "open a %,d-entry ledger", big), String.format(Locale.ROOT, "%.3f s", openS),
                    "≤ 2 s", met(openS <= 2));
            double p99 = Long.parseLong(open.get("proofP99")) / 1e3;
            row(String.format(Locale.ROOT, "inclusion proof at %,d entries (10,000 random)", big),
                    String.format(Locale.ROOT, "p50 %.1f µs, p99 %.1f µs, max %.1f µs",
                            Long.parseLong(open.get("proofP50")) / 1e3, p99, Long.parseLong(open.get("proofMax")) / 1e3),
                    "≤ 1 ms", met(p99 <= 1000));
            double bigRate = Long.parseLong(bigVerify.get("entries")) / seconds(bigVerify, "nanos");
            row(String.format(Locale.ROOT, "full verification, %,d entries (fresh JVM)", big),
                    String.format(Locale.ROOT, "%,.0f events/s (%s)", bigRate, "true".equals(bigVerify.get("intact")) ? "intact" : "NOT INTACT"),
                    "≥ 1,000,000 events/s", met(bigRate >= 1_000_000));
        }
        if (!args.flag("keep-files")) {
            BenchFiles.deleteTree(dir);
        }
    }

    private static void row(String what, String value, String target, String met) {
        System.out.println("| " + what + " | " + value + " | " + target + " | " + met + " |");
    }

    private static String met(boolean ok) {
        return ok ? "yes" : "NO";
    }

    private static double seconds(Map<String, String> r, String key) {
        return Long.parseLong(r.get(key)) / 1e9;
    }

    private static double mbPerSecond(Map<String, String> r) {
        return Long.parseLong(r.get("bytes")) / 1e6 / seconds(r, "nanos");
    }

    /** Runs {@link LedgerChild} in a fresh JVM and returns the key=value pairs of its RESULT line. */
    private static Map<String, String> child(List<String> childArgs, long timeoutSeconds) throws IOException, InterruptedException {
        List<String> jvm = new ArrayList<>(List.of("-Xms2g", "-Xmx2g", "-XX:+AlwaysPreTouch"));
        jvm.addAll(ChildLauncher.stackArgs(65_536));
        return ChildLauncher.result(LedgerChild.class, jvm, childArgs, timeoutSeconds);
    }
}
