package io.vigil.bench.gateway;

import java.util.OptionalLong;

/**
 * One side of one round: the measured interval of the load, the CPU the gateway, the load generator and everything
 * else used meanwhile, and (Vigil on) how many {@code auth.login.success} entries the ledger held after the app
 * stopped against how many 200 responses it gave in its whole life (warm-up included).
 *
 * @param serverCores     CPU time of the gateway's JVM over the measured wall time (1.0 = one core busy)
 * @param benchCores      the same for the bench JVM, which runs the load generator
 * @param othersShare     share of all CPUs (0 to 1) used by other processes; -1 when unknown
 * @param connects        connections the load opened (one per thread unless the server closed some)
 * @param ledgerSuccesses {@code auth.login.success} entries in the ledger, when the side has one
 */
public record Measurement(int round, boolean vigil, ClosedLoopLoad.Interval load, double serverCores,
                          double benchCores, double othersShare, long lifetimeOk, long connects,
                          OptionalLong ledgerSuccesses, String firstError) {

    public String side() {
        return vigil ? "Vigil on" : "vigil.enabled=false";
    }

    /** A percentile of the measured response times, in milliseconds. */
    public double millis(double percentile) {
        return load.latencyNanos().getValueAtPercentile(percentile) / 1e6;
    }

    public double maxMillis() {
        return load.latencyNanos().getMaxValue() / 1e6;
    }

    public double throughput() {
        return load.okPerSecond();
    }

    /**
     * The gateway's CPU time per 200 response, in microseconds: what a request costs the server whatever else runs
     * on the machine, so it stays comparable when other processes take CPU from one side more than the other.
     */
    public double cpuMicrosPerRequest() {
        return serverCores / throughput() * 1e6;
    }
}
