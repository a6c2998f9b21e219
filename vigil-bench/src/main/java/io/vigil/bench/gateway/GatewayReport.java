package io.vigil.bench.gateway;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.function.ToDoubleFunction;

/**
 * Prints the gateway comparison as Markdown tables: every measurement, then each round's Vigil-on-vs-off ratios and
 * differences, then their medians against the targets. The p99 target is judged on the fixed-rate phase, a
 * load the server carries; the p99 with {@code connections} closed-loop connections (a saturated server, whose
 * response times are mostly queueing) is reported as information. Rounds are compared pairwise because both sides of a
 * round ran in the same minutes, so a machine that got busier or quieter between rounds moves both.
 */
public final class GatewayReport {
    /** Vigil on keeps at least this share of the throughput of vigil.enabled=false. */
    public static final double THROUGHPUT_TARGET = 0.9;
    /** Vigil on adds at most this much to p99, in milliseconds. */
    public static final double P99_TARGET_MILLIS = 0.3;

    private final PrintStream out;
    private final int connections;

    /** A report on measurements made with {@code connections} connections in the loaded phase. */
    public GatewayReport(PrintStream out, int connections) {
        this.out = out;
        this.connections = connections;
    }

    /** The round's two measurements and which side was loaded first. */
    public record Round(int number, Measurement on, Measurement off, boolean onFirst) {
        double throughputRatio() {
            return on.throughput() / off.throughput();
        }

        double delta(ToDoubleFunction<Measurement> value) {
            return value.applyAsDouble(on) - value.applyAsDouble(off);
        }

        double cpuRatio() {
            return on.cpuMicrosPerRequest() / off.cpuMicrosPerRequest();
        }
    }

    public void print(List<Round> rounds) {
        out.println();
        out.printf(Locale.ROOT, "Every measurement: %d connections (requests/s, response times in ms, CPU in cores busy "
                + "over the measured time, other processes as a share of all CPUs), then 1 connection:%n", connections);
        out.println();
        out.println("| round | side | requests/s | p50 | p90 | p99 | p99.9 | max | gateway CPU | gateway CPU per request "
                + "| load generator CPU | other processes | 1 conn. p50 | 1 conn. p99 | non-200 "
                + "| ledger `auth.login.success` / 200s |");
        out.println("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|");
        for (Round r : rounds) {
            for (Measurement m : inOrder(r)) {
                out.printf(Locale.ROOT, "| %d | %s | %,.0f | %.2f | %.2f | %.2f | %.2f | %.1f | %.2f | %,.0f µs | %.2f "
                                + "| %s | %.2f | %.2f | %s | %s |%n",
                        m.round(), m.side(), m.throughput(), m.millis(50), m.millis(90), m.millis(99), m.millis(99.9),
                        m.maxMillis(), m.serverCores(), m.cpuMicrosPerRequest(), m.benchCores(),
                        share(m.othersShare()), m.singleMillis(50), m.singleMillis(99), nonOk(m), audited(m));
            }
        }

        out.println();
        out.printf(Locale.ROOT, "Fixed rate (open loop; response times in ms from when each request was due; late = sent "
                + "more than %.0f ms after that):%n", FixedRateLoad.LATE_NANOS / 1e6);
        out.println();
        out.println("| round | side | rate asked | sent/s | sent on time/s | late | 200s/s | p50 | p90 | p99 | p99.9 | max "
                + "| gateway CPU | other processes |");
        out.println("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        for (Round r : rounds) {
            for (Measurement m : inOrder(r)) {
                FixedRateMeasurement f = m.fixedRate();
                out.printf(Locale.ROOT, "| %d | %s | %,.0f | %,.0f | %,.0f | %.2f%% | %,.0f | %.2f | %.2f | %.2f | %.2f "
                                + "| %.1f | %.2f | %s |%n",
                        m.round(), m.side(), f.targetRate(), f.sentPerSecond(), f.onTimePerSecond(),
                        100 * f.lateShare(), f.responses().okPerSecond(), f.millis(50), f.millis(90), f.millis(99),
                        f.millis(99.9), f.maxMillis(), f.serverCores(), share(f.othersShare()));
            }
        }

        out.println();
        out.println("Vigil on against vigil.enabled=false, round by round:");
        out.println();
        out.println("| round | loaded first | throughput on/off | gateway CPU per request on/off | p50 on − off "
                + "| p99 on − off | fixed rate p50 on − off | fixed rate p99 on − off | fixed rate p99.9 on − off "
                + "| 1 conn. p50 on − off | 1 conn. p99 on − off |");
        out.println("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        for (Round r : rounds) {
            out.printf(Locale.ROOT, "| %d | %s | %.3f× | %.3f× | %+.3f ms | %+.3f ms | %+.3f ms | %+.3f ms | %+.3f ms "
                            + "| %+.3f ms | %+.3f ms |%n",
                    r.number(), r.onFirst() ? "on" : "off", r.throughputRatio(), r.cpuRatio(),
                    r.delta(m -> m.millis(50)), r.delta(m -> m.millis(99)), r.delta(m -> m.fixedRate().millis(50)),
                    r.delta(m -> m.fixedRate().millis(99)), r.delta(m -> m.fixedRate().millis(99.9)),
                    r.delta(m -> m.singleMillis(50)), r.delta(m -> m.singleMillis(99)));
        }
        double ratio = median(rounds, Round::throughputRatio);
        double cpuRatio = median(rounds, Round::cpuRatio);
        double p99Delta = median(rounds, r -> r.delta(m -> m.millis(99)));
        double fixedP99Delta = median(rounds, r -> r.delta(m -> m.fixedRate().millis(99)));
        double singleP99Delta = median(rounds, r -> r.delta(m -> m.singleMillis(99)));
        out.printf(Locale.ROOT, "| median | | %.3f× | %.3f× | %+.3f ms | %+.3f ms | %+.3f ms | %+.3f ms | %+.3f ms "
                        + "| %+.3f ms | %+.3f ms |%n", ratio, cpuRatio,
                median(rounds, r -> r.delta(m -> m.millis(50))), p99Delta,
                median(rounds, r -> r.delta(m -> m.fixedRate().millis(50))), fixedP99Delta,
                median(rounds, r -> r.delta(m -> m.fixedRate().millis(99.9))),
                median(rounds, r -> r.delta(m -> m.singleMillis(50))), singleP99Delta);

        out.println();
        out.printf(Locale.ROOT, "Summary (medians of %d rounds; the last columns compare the sides within each round):%n",
                rounds.size());
        out.println();
        out.println("| measure | Vigil on | vigil.enabled=false | on vs off | target | met |");
        out.println("|---|---:|---:|---:|---|---|");
        out.printf(Locale.ROOT, "| throughput, %d connections, 200 responses/s | %,.0f | %,.0f | %.3f× | ≥ %.1f× | %s |%n",
                connections, median(rounds, r -> r.on().throughput()), median(rounds, r -> r.off().throughput()), ratio,
                THROUGHPUT_TARGET, met(ratio >= THROUGHPUT_TARGET));
        out.printf(Locale.ROOT, "| gateway CPU per 200 response | %,.0f µs | %,.0f µs | %.3f× "
                        + "| (the throughput a gateway with CPUs of its own would keep: 1/%.3f = %.2f×) | |%n",
                median(rounds, r -> r.on().cpuMicrosPerRequest()), median(rounds, r -> r.off().cpuMicrosPerRequest()),
                cpuRatio, cpuRatio, 1 / cpuRatio);
        out.printf(Locale.ROOT, "| fixed rate: asked, sent on time (requests/s) | %,.0f of %,.0f | %,.0f of %,.0f "
                        + "| | | |%n",
                median(rounds, r -> r.on().fixedRate().onTimePerSecond()),
                median(rounds, r -> r.on().fixedRate().targetRate()),
                median(rounds, r -> r.off().fixedRate().onTimePerSecond()),
                median(rounds, r -> r.off().fixedRate().targetRate()));
        out.printf(Locale.ROOT, "| p50, fixed rate | %.2f ms | %.2f ms | %+.3f ms | | |%n",
                median(rounds, r -> r.on().fixedRate().millis(50)), median(rounds, r -> r.off().fixedRate().millis(50)),
                median(rounds, r -> r.delta(m -> m.fixedRate().millis(50))));
        out.printf(Locale.ROOT, "| p99, fixed rate | %.2f ms | %.2f ms | %+.3f ms | ≤ +%.1f ms | %s |%n",
                median(rounds, r -> r.on().fixedRate().millis(99)), median(rounds, r -> r.off().fixedRate().millis(99)),
                fixedP99Delta, P99_TARGET_MILLIS, met(fixedP99Delta <= P99_TARGET_MILLIS));
        out.printf(Locale.ROOT, "| p99.9, fixed rate | %.2f ms | %.2f ms | %+.3f ms | | |%n",
                median(rounds, r -> r.on().fixedRate().millis(99.9)),
                median(rounds, r -> r.off().fixedRate().millis(99.9)),
                median(rounds, r -> r.delta(m -> m.fixedRate().millis(99.9))));
        out.printf(Locale.ROOT, "| p99, %d connections (saturated: mostly queueing) | %.2f ms | %.2f ms | %+.3f ms "
                        + "| (information) | |%n", connections,
                median(rounds, r -> r.on().millis(99)), median(rounds, r -> r.off().millis(99)), p99Delta);
        out.printf(Locale.ROOT, "| p50, 1 connection | %.2f ms | %.2f ms | %+.3f ms | | |%n",
                median(rounds, r -> r.on().singleMillis(50)), median(rounds, r -> r.off().singleMillis(50)),
                median(rounds, r -> r.delta(m -> m.singleMillis(50))));
        out.printf(Locale.ROOT, "| p99, 1 connection | %.2f ms | %.2f ms | %+.3f ms | ≤ +%.1f ms | %s |%n",
                median(rounds, r -> r.on().singleMillis(99)), median(rounds, r -> r.off().singleMillis(99)),
                singleP99Delta, P99_TARGET_MILLIS, met(singleP99Delta <= P99_TARGET_MILLIS));
        long onErrors = rounds.stream().mapToLong(r -> errors(r.on())).sum();
        long offErrors = rounds.stream().mapToLong(r -> errors(r.off())).sum();
        out.printf(Locale.ROOT, "| non-200 responses and I/O errors, all rounds | %,d | %,d | | 0 | %s |%n", onErrors,
                offErrors, met(onErrors + offErrors == 0));
        long entries = rounds.stream().mapToLong(r -> r.on().ledgerSuccesses().orElse(0)).sum();
        long oks = rounds.stream().mapToLong(r -> r.on().lifetimeOk()).sum();
        out.printf(Locale.ROOT, "| ledger `auth.login.success` entries per 200 response (warm-up included) "
                        + "| %.3f (%,d of %,d) | — | | 1 | %s |%n", oks == 0 ? 0 : (double) entries / oks, entries, oks,
                met(entries == oks && oks > 0));
    }

    private static List<Measurement> inOrder(Round r) {
        return r.onFirst() ? List.of(r.on(), r.off()) : List.of(r.off(), r.on());
    }

    private static long errors(Measurement m) {
        return m.load().nonOk() + m.fixedRate().responses().nonOk() + m.single().nonOk();
    }

    private static String nonOk(Measurement m) {
        if (errors(m) == 0) {
            return "0";
        }
        List<String> parts = new ArrayList<>();
        for (LoadInterval i : List.of(m.load(), m.fixedRate().responses(), m.single())) {
            i.otherStatuses().forEach((status, n) -> parts.add(String.format(Locale.ROOT, "%,d × %d", n, status)));
            if (i.ioErrors() > 0) {
                parts.add(String.format(Locale.ROOT, "%,d I/O errors", i.ioErrors()));
            }
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
