package io.vigil.bench;

import io.vigil.bench.child.DetectionChild;
import io.vigil.bench.workload.Workload;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.ToDoubleFunction;

/**
 * What detection costs, measured in one run, every part in a fresh JVM:
 * <ol>
 *   <li>pipeline throughput, {@code AuditLog} → durable file ledger, with the detection stage on (every detector
 *       {@code DetectionStage.builder().allDefaults()} adds, at its default rule), off, and on with a state that keeps
 *       nothing ("rules": the detection thread and the rules, without the state's cost), on the same workload (the
 *       throughput mix: 20% failed logins over 4,096 accounts, so the detectors keep state and find attacks);
 *       {@code --rounds} rounds, the order of the sides turning; target on ≥ 0.8× off;</li>
 *   <li>the CPU time an event costs in all the JVM's threads, on each side, beside what the machine's CPUs leave
 *       detection at 0.8× (CPUs / (0.8 × off) − the off side's CPU time an event): the stage's own thread runs beside
 *       the writer, so the limit is the CPUs, not one thread;</li>
 *   <li>detection alone, on the benchmark's thread, without pipeline or ledger: {@code DetectionReplay} over the same
 *       workload with the default state and with a state that keeps nothing, in µs an event;</li>
 *   <li>the heap the default state retains after a million failed logins, each from an account and an address of
 *       its own.</li>
 * </ol>
 * Each run also reports the share of the CPUs other processes used meanwhile.
 * The pipeline runs write {@code --warmup} events first, untimed, so that both sides are measured as a running
 * service rather than while the JIT compiler takes one of two CPUs.
 * Usage: {@code DetectionBench [--events N] [--warmup N] [--rounds N] [--heap-events N] [--dir DIR] [--seed S]
 * [--keep-files]}.
 */
public final class DetectionBench {
    private static final long TIMEOUT_SECONDS = 1800;
    private static final int REPLAY_EVENTS = 500_000;
    /** off: no stage; on: every detector, default state; rules: every detector, a state that keeps nothing. */
    private static final List<String> SIDES = List.of("on", "off", "rules");

    private DetectionBench() {
    }

    /** One pipeline run. */
    private record Run(int round, String side, double eventsPerSecond, double cpuMicrosPerEvent, long entries,
                       long findings, long lost, double others) {
    }

    public static void main(String[] argv) throws Exception {
        Args args = new Args(argv, Set.of("events", "warmup", "rounds", "heap-events", "dir", "seed", "keep-files"),
                Set.of("keep-files"));
        long events = args.getLong("events", 1_000_000);
        long warmup = args.getLong("warmup", 1_000_000);
        int rounds = (int) args.getLong("rounds", 3);
        int heapEvents = (int) args.getLong("heap-events", 1_000_000);
        long seed = args.getLong("seed", Workload.DEFAULT_SEED);
        Path dir = Path.of(args.get("dir", Files.createTempDirectory("vigil-detect-bench").toString()));
        Files.createDirectories(dir);
        List<String> jvm = new ArrayList<>(ChildLauncher.defaultJvmArgs(65_536));
        System.out.printf(Locale.ROOT, "Detection bench, %s: %d CPUs; Java %s; each run in a fresh JVM (%s); %,d events "
                        + "per run after %,d untimed, %d rounds; files in %s%n",
                ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ISO_LOCAL_DATE),
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"),
                String.join(" ", jvm.subList(0, 3)), events, warmup, rounds, dir);

        List<Run> runs = new ArrayList<>();
        for (int r = 1; r <= rounds; r++) {
            // The order of the sides turns each round, so none always runs first (or last).
            List<String> order = new ArrayList<>(SIDES);
            Collections.rotate(order, -(r - 1));
            for (String side : order) {
                Path ledger = dir.resolve("round-" + r + "-" + side);
                Map<String, String> kv = ChildLauncher.result(DetectionChild.class, jvm, List.of("pipeline",
                        ledger.toString(), String.valueOf(warmup), String.valueOf(events), String.valueOf(seed),
                        side), TIMEOUT_SECONDS);
                Run run = new Run(r, side, events / (Long.parseLong(kv.get("nanos")) / 1e9),
                        Long.parseLong(kv.get("cpuNanos")) / 1e3 / events,
                        Long.parseLong(kv.get("entries")), Long.parseLong(kv.get("findings")),
                        Long.parseLong(kv.get("lost")) + Long.parseLong(kv.get("findingsLost")),
                        Double.parseDouble(kv.get("others")));
                runs.add(run);
                System.out.printf(Locale.ROOT, "  round %d, detection %-5s: %,.0f events/s, %.2f µs of CPU an event (all "
                                + "threads), %,d entries (%,d findings), lost %d, other processes %.0f%% of the CPUs%n", r,
                        side, run.eventsPerSecond(), run.cpuMicrosPerEvent(), run.entries(),
                        run.findings(), run.lost(), 100 * run.others());
                if (!args.flag("keep-files")) {
                    BenchFiles.deleteTree(ledger);
                }
            }
        }
        Map<String, String> replay = ChildLauncher.result(DetectionChild.class, jvm,
                List.of("replay", String.valueOf(REPLAY_EVENTS), String.valueOf(seed)), TIMEOUT_SECONDS);
        Map<String, String> heap = ChildLauncher.result(DetectionChild.class, jvm,
                List.of("heap", String.valueOf(heapEvents)), TIMEOUT_SECONDS);

        double on = median(runs, "on", Run::eventsPerSecond);
        double off = median(runs, "off", Run::eventsPerSecond);
        double rules = median(runs, "rules", Run::eventsPerSecond);
        double onCpu = median(runs, "on", Run::cpuMicrosPerEvent);
        double offCpu = median(runs, "off", Run::cpuMicrosPerEvent);
        double rulesCpu = median(runs, "rules", Run::cpuMicrosPerEvent);
        int cpus = Runtime.getRuntime().availableProcessors();
        long keys = Long.parseLong(heap.get("keys"));
        long retained = Long.parseLong(heap.get("retained"));
        double heapSeconds = Long.parseLong(heap.get("nanos")) / 1e9;
        System.out.println();
        System.out.println("| measure | value | target | met |");
        System.out.println("|---|---:|---|---|");
        row("pipeline → durable file ledger, detection off (median of " + rounds + ")",
                String.format(Locale.ROOT, "%,.0f events/s", off), "", "");
        row("pipeline → durable file ledger, detection on: " + "every detector at its default (median of " + rounds
                + ")", String.format(Locale.ROOT, "%,.0f events/s (%.2f× off)", on, on / off), "≥ 0.8× off",
                met(on / off >= 0.8));
        row("pipeline → durable file ledger, detection on with a state that keeps nothing: the detection thread and the "
                + "rules without the state (median of " + rounds + ")", String.format(Locale.ROOT,
                "%,.0f events/s (%.2f× off)", rules, rules / off), "", "");
        double statefulUs = Long.parseLong(replay.get("statefulNanos")) / 1e3 / REPLAY_EVENTS;
        double statelessUs = Long.parseLong(replay.get("statelessNanos")) / 1e3 / REPLAY_EVENTS;
        // At 0.8x, every CPU busy: each event may take cpus / (0.8 x off) of CPU time in all; the off side uses offCpu.
        double budgetUs = cpus / (0.8 * off) * 1e6 - offCpu;
        row("CPU time an event, all threads (median)", String.format(Locale.ROOT, "off %.2f µs, on %.2f µs: detection "
                + "adds %.2f µs, of which the state %.2f µs", offCpu, onCpu, onCpu - offCpu, onCpu - rulesCpu), String.format(Locale.ROOT, "≤ %.2f µs added: what "
                + "%d CPUs leave at 0.8× off", budgetUs, cpus), met(onCpu - offCpu <= budgetUs));
        row(String.format(Locale.ROOT, "detection alone (DetectionReplay, %,d events, best of 4): the rules with a state "
                + "that keeps nothing", REPLAY_EVENTS), String.format(Locale.ROOT, "%.2f µs an event", statelessUs), "",
                "");
        row("detection alone: the rules and the default state", String.format(Locale.ROOT, "%.2f µs an event",
                statefulUs), "", "");
        row(String.format(Locale.ROOT, "heap retained after %,d failed logins, distinct accounts and ips", heapEvents),
                String.format(Locale.ROOT, "%.1f MB for %,d subjects (bound %,d), %d bytes a subject; fed at %,.0f "
                                + "events/s",
                        retained / 1e6, keys, Long.parseLong(heap.get("maxKeys")), retained / Math.max(1, keys),
                        heapEvents / heapSeconds), "subjects ≤ bound", met(keys <= Long.parseLong(heap.get("maxKeys"))));
        row("other processes' share of the CPUs, per run (pipeline runs in order, then replay, then heap)",
                String.join(", ", runs.stream().map(r -> String.format(Locale.ROOT, "%s %.0f%%",
                        r.side(), 100 * r.others())).toList())
                        + String.format(Locale.ROOT, ", replay %.0f%%, heap %.0f%%",
                                100 * Double.parseDouble(replay.get("others")),
                                100 * Double.parseDouble(heap.get("others"))),
                "", "");
        if (!args.flag("keep-files")) {
            BenchFiles.deleteTree(dir);
        }
    }

    private static double median(List<Run> runs, String side, ToDoubleFunction<Run> measure) {
        double[] rates = runs.stream().filter(r -> r.side().equals(side)).mapToDouble(measure).sorted().toArray();
        int n = rates.length;
        return n % 2 == 1 ? rates[n / 2] : (rates[n / 2 - 1] + rates[n / 2]) / 2;
    }

    private static void row(String what, String value, String target, String met) {
        System.out.println("| " + what + " | " + value + " | " + target + " | " + met + " |");
    }

    private static String met(boolean ok) {
        return ok ? "yes" : "NO";
    }
}
