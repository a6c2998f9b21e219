package io.vigil.bench.gateway;

import java.util.OptionalLong;

/**
 * One side of one round: the load's measured slices summed ({@code load}, {@code connections} connections), the
 * one-connection slices ({@code single}) and the fixed-rate slices ({@code fixedRate}); the CPU the gateway, the load
 * generator and everything else used during the loaded slices; and (Vigil on) how many {@code auth.login.success} entries the ledger held after the app stopped
 * against how many 200 responses it gave in its whole life (warm-up included).
 *
 * @param serverCores     CPU time of the gateway's JVM over the measured wall time (1.0 = one core busy)
 * @param benchCores      the same for the bench JVM, which runs the load generator
 * @param othersShare     share of all CPUs (0 to 1) used by other processes (neither gateway nor the bench); -1 when
 *                        unknown
 * @param ledgerSuccesses {@code auth.login.success} entries in the ledger, when the side has one
 */
public record Measurement(int round, boolean vigil, LoadInterval load, LoadInterval single,
                          double serverCores, double benchCores, double othersShare, long lifetimeOk,
                          OptionalLong ledgerSuccesses, String firstError, FixedRateMeasurement fixedRate) {

    /** This measurement with the ledger's count of {@code auth.login.success} entries. */
    public Measurement withLedgerSuccesses(long entries) {
        return new Measurement(round, vigil, load, single, serverCores, benchCores, othersShare, lifetimeOk,
                OptionalLong.of(entries), firstError, fixedRate);
    }

    public String side() {
        return vigil ? "Vigil on" : "vigil.enabled=false";
    }

    /** A percentile of the loaded response times, in milliseconds. */
    public double millis(double percentile) {
        return load.latencyNanos().getValueAtPercentile(percentile) / 1e6;
    }

    public double maxMillis() {
        return load.latencyNanos().getMaxValue() / 1e6;
    }

    /** A percentile of the one-connection response times, in milliseconds; NaN when that phase did not run. */
    public double singleMillis(double percentile) {
        return single.ok() + single.nonOk() == 0 ? Double.NaN
                : single.latencyNanos().getValueAtPercentile(percentile) / 1e6;
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
