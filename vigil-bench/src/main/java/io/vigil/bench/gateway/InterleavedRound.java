package io.vigil.bench.gateway;

import io.vigil.bench.child.CpuMeter;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.function.Supplier;

/**
 * One round against two gateways running at the same time, Vigil on and off: the load goes to one of them at a time,
 * in slices, in the order A B B A A B B A … so that whatever else the machine does in those minutes (builds, tests) is
 * spread evenly over both sides instead of landing on whichever ran second. Each slice opens its own connections,
 * lets them settle, then measures. Four phases: warm-up (discarded), the loaded phase with {@code connections}
 * connections (throughput, response times under load, CPU), a fixed-rate phase below that throughput (response times
 * of an open-loop load the server can carry, counted from when each request was due) and a one-connection phase (the
 * response time of a request that does not queue behind others).
 */
public final class InterleavedRound {
    /** How a round is sliced; slice counts are per side. */
    public record Plan(int connections, Duration slice, Duration settle, int warmupSlices, int loadSlices,
                       FixedRate fixedRate, int singleSlices, String path, String header) {
    }

    /**
     * The fixed-rate phase: {@code slices} per side at {@code rate} requests/s, or, when {@code rate} is 0, at
     * {@code fraction} of the throughput vigil.enabled=false reached in the round's loaded phase; both sides get the
     * same rate.
     */
    public record FixedRate(int slices, double rate, double fraction, int connections) {
    }

    private enum Phase { WARM_UP, LOADED, FIXED_RATE, SINGLE }

    private final Plan plan;
    private final int cpus = Runtime.getRuntime().availableProcessors();
    private double rate; // of the current round's fixed-rate phase

    public InterleavedRound(Plan plan) {
        this.plan = plan;
    }

    /** A side: its gateway and what has been measured on it. */
    private static final class Side {
        final GatewayProcess gateway;
        final boolean vigil;
        final SideTotals loaded = new SideTotals();
        final SideTotals single = new SideTotals();
        final SideTotals fixed = new SideTotals();
        long lifetimeOk;
        String firstError = "";

        Side(GatewayProcess gateway, boolean vigil) {
            this.gateway = gateway;
            this.vigil = vigil;
        }
    }

    /** Runs the round and returns Vigil on's measurement, then Vigil off's (ledger entries not yet counted). */
    public List<Measurement> run(int round, GatewayProcess on, GatewayProcess off, boolean onFirst)
            throws InterruptedException {
        Side a = new Side(onFirst ? on : off, onFirst);
        Side b = new Side(onFirst ? off : on, !onFirst);
        phase(a, b, plan.warmupSlices(), Phase.WARM_UP);
        phase(a, b, plan.loadSlices(), Phase.LOADED);
        Side vigil = a.vigil ? a : b;
        Side plain = a.vigil ? b : a;
        FixedRate f = plan.fixedRate();
        double rate = 0;
        if (f.slices() > 0) {
            rate = f.rate() > 0 ? f.rate() : f.fraction() * plain.loaded.total().okPerSecond();
            if (!(rate > 0)) {
                throw new IllegalStateException("no rate for the fixed-rate phase: the loaded phase of "
                        + "vigil.enabled=false gave no throughput; pass --rate or a --duration above 0");
            }
            System.err.printf(Locale.ROOT, "round %d: fixed rate %,.0f requests/s%n", round, rate);
            this.rate = rate;
            phase(a, b, f.slices(), Phase.FIXED_RATE);
        }
        phase(a, b, plan.singleSlices(), Phase.SINGLE);
        return List.of(measurement(round, vigil, rate), measurement(round, plain, rate));
    }

    private Measurement measurement(int round, Side s, double rate) {
        FixedRateMeasurement fixed = plan.fixedRate().slices() == 0 ? FixedRateMeasurement.none()
                : new FixedRateMeasurement(rate, s.fixed.total(), s.fixed.schedule(), s.fixed.serverCores(),
                        s.fixed.othersShare(cpus));
        return new Measurement(round, s.vigil, s.loaded.total(), s.single.total(), s.loaded.serverCores(),
                s.loaded.benchCores(), s.loaded.othersShare(cpus), s.lifetimeOk, OptionalLong.empty(), s.firstError,
                fixed);
    }

    private void phase(Side a, Side b, int slicesPerSide, Phase phase) throws InterruptedException {
        for (int k = 0; k < slicesPerSide; k++) {
            boolean aFirst = k % 2 == 0; // A B, then B A: the pattern A B B A A B …
            Side first = aFirst ? a : b;
            Side second = aFirst ? b : a;
            slice(first, second, phase);
            slice(second, first, phase);
        }
    }

    private void slice(Side target, Side idle, Phase phase) throws InterruptedException {
        Supplier<KeepAliveConnection> connection =
                () -> KeepAliveConnection.get(target.gateway.port(), plan.path(), plan.header());
        HttpLoad load = switch (phase) {
            case FIXED_RATE -> new FixedRateLoad(rate, plan.fixedRate().connections(), connection);
            case SINGLE -> new ClosedLoopLoad(1, connection);
            case WARM_UP, LOADED -> new ClosedLoopLoad(plan.connections(), connection);
        };
        try {
            Thread.sleep(plan.settle().toMillis());
            load.interval(); // connecting and the first requests after the switch, discarded
            if (load instanceof FixedRateLoad f) {
                f.schedule();
            }
            CpuMeter cpu = CpuMeter.start();
            long target0 = target.gateway.cpuNanos();
            long idle0 = idle.gateway.cpuNanos();
            long bench0 = ownCpuNanos();
            Thread.sleep(plan.slice().toMillis());
            LoadInterval slice = load.interval();
            FixedRateLoad.Schedule schedule = load instanceof FixedRateLoad f ? f.schedule() : new FixedRateLoad.Schedule(0, 0);
            double notBench = cpu.othersShare(slice.nanos());
            long targetCpu = target.gateway.cpuNanos() - target0;
            long idleCpu = idle.gateway.cpuNanos() - idle0;
            long benchCpu = ownCpuNanos() - bench0;
            // CpuMeter counts everything but this JVM; both gateways are taken out too, leaving other processes.
            double others = notBench < 0 ? -1
                    : Math.max(0, notBench - (targetCpu + idleCpu) / ((double) slice.nanos() * cpus));
            switch (phase) {
                case LOADED -> target.loaded.add(slice, targetCpu, benchCpu, others, cpus);
                case SINGLE -> target.single.add(slice, targetCpu, benchCpu, others, cpus);
                case FIXED_RATE -> {
                    target.fixed.add(slice, targetCpu, benchCpu, others, cpus);
                    target.fixed.add(schedule);
                }
                case WARM_UP -> { }
            }
        } finally {
            load.close();
            target.lifetimeOk += load.totalOk();
            if (target.firstError.isEmpty()) {
                target.firstError = load.firstError();
            }
        }
    }

    private static long ownCpuNanos() {
        return ProcessHandle.current().info().totalCpuDuration().map(Duration::toNanos).orElse(-1L);
    }
}
