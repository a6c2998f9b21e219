package io.vigil.bench.gateway;

/**
 * One side's fixed-rate phase in one round: the rate asked for, the responses with their times counted from when each
 * request was due, how many requests were sent and how many of those late, and the CPU used meanwhile.
 *
 * @param targetRate  requests a second the schedule asked for
 * @param serverCores CPU time of the gateway's JVM over the measured wall time
 * @param othersShare share of all CPUs used by other processes, or -1 when unknown
 */
public record FixedRateMeasurement(double targetRate, LoadInterval responses, FixedRateLoad.Schedule schedule,
                                   double serverCores, double othersShare) {
    /** No fixed-rate phase ran. */
    public static FixedRateMeasurement none() {
        return new FixedRateMeasurement(0, new SideTotals().total(), new FixedRateLoad.Schedule(0, 0), 0, -1);
    }

    public boolean ran() {
        return schedule.sent() > 0;
    }

    /** A percentile of the response times counted from when each request was due, in ms; NaN when none ran. */
    public double millis(double percentile) {
        return !ran() ? Double.NaN : responses.latencyNanos().getValueAtPercentile(percentile) / 1e6;
    }

    public double maxMillis() {
        return !ran() ? Double.NaN : responses.latencyNanos().getMaxValue() / 1e6;
    }

    /** Requests sent a second over the measured time. */
    public double sentPerSecond() {
        return schedule.sent() / (responses.nanos() / 1e9);
    }

    /** Requests sent on time (within {@link FixedRateLoad#LATE_NANOS} of when they were due) a second. */
    public double onTimePerSecond() {
        return (schedule.sent() - schedule.late()) / (responses.nanos() / 1e9);
    }

    /** The share of the requests sent that went out late. */
    public double lateShare() {
        return schedule.sent() == 0 ? 0 : (double) schedule.late() / schedule.sent();
    }
}
