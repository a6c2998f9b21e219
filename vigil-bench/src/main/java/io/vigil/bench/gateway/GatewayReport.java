package io.vigil.bench.gateway;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.function.ToDoubleFunction;

/**
 * Prints the gateway comparison as Markdown tables: every measurement, then each round's on-vs-off ratios, then the
 * medians against the targets. Rounds are compared pairwise because both sides of a round ran back to back,
 * so a machine that got busier or quieter between rounds moves both.
 */
public final class GatewayReport {
    /** Vigil on keeps at least this share of the throughput of vigil.enabled=false. */
    public static final double THROUGHPUT_TARGET = 0.9;
    /** Vigil on adds at most this much to p99, in milliseconds. */
    public static final double P99_TARGET_MILLIS = 0.3;

    private final PrintStream out;

    public GatewayReport(PrintStream out) {
        this.out = out;
    }

    /** The round's two measurements, Vigil on first, and which side ran first. */
    public record Round(int number, Measurement on, Measurement off, boolean onFirst) {
        double throughputRatio() {
            return on.throughput() / off.throughput();
        }

        double p99Delta() {
            return on.millis(99) - off.millis(99);
        }

        double p50Delta() {
            return on.millis(50) - off.millis(50);
        }

        double cpuRatio() {
            return on.cpuMicrosPerRequest() / off.cpuMicrosPerRequest();
        }
    }

    public void print(List<Round> rounds) {
        out.println();
        out.println("Every measurement (response times in ms; CPU in cores busy over the measured time; other "
                + "processes as a share of all CPUs):");
        out.println();
        out.println("| round | side | requests/s | p50 | p90 | p99 | p99.9 | max | non-200 | gateway CPU "
                + "| gateway CPU per request | load generator CPU | other processes | ledger `auth.login.success` / 200s |");
        out.println("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|");
        for (Round r : rounds) {
            for (Measurement m : r.onFirst() ? List.of(r.on(), r.off()) : List.of(r.off(), r.on())) {
                out.printf(Locale.ROOT, "| %d | %s | %,.0f | %.2f | %.2f | %.2f | %.2f | %.1f | %s | %.2f | %,.0f µs | %.2f | %s | %s |%n",
                        m.round(), m.side(), m.throughput(), m.millis(50), m.millis(90), m.millis(99), m.millis(99.9),
                        m.maxMillis(), nonOk(m), m.serverCores(), m.cpuMicrosPerRequest(), m.benchCores(),
                        share(m.othersShare()),
                        audited(m));
            }
        }

        out.println();
        out.println("Vigil on against vigil.enabled=false, round by round:");
        out.println();
        out.println("| round | order | throughput on/off | p50 on − off | p99 on − off | gateway CPU per request on/off |");
        out.println("|---:|---|---:|---:|---:|---:|");
        for (Round r : rounds) {
            out.printf(Locale.ROOT, "| %d | %s | %.3f× | %+.3f ms | %+.3f ms | %.3f× |%n", r.number(),
                    r.onFirst() ? "on, then off" : "off, then on", r.throughputRatio(), r.p50Delta(), r.p99Delta(),
                    r.cpuRatio());
        }
        double ratio = median(rounds, Round::throughputRatio);
        double p99Delta = median(rounds, Round::p99Delta);
        double cpuRatio = median(rounds, Round::cpuRatio);
        out.printf(Locale.ROOT, "| median | | %.3f× | %+.3f ms | %+.3f ms | %.3f× |%n", ratio,
                median(rounds, Round::p50Delta), p99Delta, cpuRatio);

        out.println();
        out.printf(Locale.ROOT, "Summary (median of %d rounds):%n", rounds.size());
        out.println();
        out.println("| measure | Vigil on | vigil.enabled=false | on vs off (median of the rounds' pairs) | target | met |");
        out.println("|---|---:|---:|---:|---|---|");
        out.printf(Locale.ROOT, "| throughput, 200 responses/s | %,.0f | %,.0f | %.3f× | ≥ %.1f× | %s |%n",
                median(rounds, r -> r.on().throughput()), median(rounds, r -> r.off().throughput()), ratio,
                THROUGHPUT_TARGET, met(ratio >= THROUGHPUT_TARGET));
        out.printf(Locale.ROOT, "| p50 response time | %.2f ms | %.2f ms | %+.3f ms | | |%n",
                median(rounds, r -> r.on().millis(50)), median(rounds, r -> r.off().millis(50)),
                median(rounds, Round::p50Delta));
        out.printf(Locale.ROOT, "| p99 response time | %.2f ms | %.2f ms | %+.3f ms | ≤ +%.1f ms | %s |%n",
                median(rounds, r -> r.on().millis(99)), median(rounds, r -> r.off().millis(99)), p99Delta,
                P99_TARGET_MILLIS, met(p99Delta <= P99_TARGET_MILLIS));
        out.printf(Locale.ROOT, "| gateway CPU per 200 response | %,.0f µs | %,.0f µs | %.3f× "
                        + "| (diagnostic: a gateway with CPUs of its own would keep about 1/%.3f = %.2f× "
                        + "the throughput) | |%n",
                median(rounds, r -> r.on().cpuMicrosPerRequest()), median(rounds, r -> r.off().cpuMicrosPerRequest()),
                cpuRatio, cpuRatio, 1 / cpuRatio);
        long nonOk = rounds.stream().mapToLong(r -> r.on().load().nonOk() + r.off().load().nonOk()).sum();
        out.printf(Locale.ROOT, "| non-200 responses and I/O errors, all rounds | %,d | %,d | | 0 | %s |%n",
                rounds.stream().mapToLong(r -> r.on().load().nonOk()).sum(),
                rounds.stream().mapToLong(r -> r.off().load().nonOk()).sum(), met(nonOk == 0));
        long entries = rounds.stream().mapToLong(r -> r.on().ledgerSuccesses().orElse(0)).sum();
        long oks = rounds.stream().mapToLong(r -> r.on().lifetimeOk()).sum();
        out.printf(Locale.ROOT, "| ledger `auth.login.success` entries per 200 response (warm-up included) "
                + "| %.3f (%,d of %,d) | — | | 1 per request | %s |%n", oks == 0 ? 0 : (double) entries / oks, entries,
                oks, met(entries == oks && oks > 0));
    }

    private static String nonOk(Measurement m) {
        ClosedLoopLoad.Interval i = m.load();
        if (i.nonOk() == 0) {
            return "0";
        }
        List<String> parts = new ArrayList<>();
        i.otherStatuses().forEach((status, n) -> parts.add(String.format(Locale.ROOT, "%,d × %d", n, status)));
        if (i.ioErrors() > 0) {
            parts.add(String.format(Locale.ROOT, "%,d I/O errors", i.ioErrors()));
        }
        return String.join(", ", parts);
    }

    private static String audited(Measurement m) {
        OptionalLong n = m.ledgerSuccesses();
        if (n.isEmpty()) {
            return "—";
        }
        return String.format(Locale.ROOT, "%,d / %,d", n.getAsLong(), m.lifetimeOk());
    }

    private static String share(double s) {
        return s < 0 ? "n/a" : String.format(Locale.ROOT, "%.0f%%", 100 * s);
    }

    private static String met(boolean ok) {
        return ok ? "yes" : "NO";
    }

    /** The median of a value over the rounds (the mean of the middle two for an even count). */
    static double median(List<Round> rounds, ToDoubleFunction<Round> value) {
        double[] v = rounds.stream().mapToDouble(value).sorted().toArray();
        if (v.length == 0) {
            return Double.NaN;
        }
        int mid = v.length / 2;
        return v.length % 2 == 1 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
    }
}
