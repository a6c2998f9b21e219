package io.vigil.bench.gateway;

import org.HdrHistogram.Histogram;

import java.util.Map;
import java.util.TreeMap;

/**
 * The sum of one side's measured slices in one phase: responses, their times, and the CPU the gateway, the load
 * generator and other processes used while those slices ran.
 */
final class SideTotals {
    private final Histogram latency = new Histogram(3);
    private final Map<Integer, Long> otherStatuses = new TreeMap<>();
    private long ok;
    private long ioErrors;
    private long nanos;
    private long serverCpuNanos;
    private long benchCpuNanos;
    private double othersCpuNanos;
    private boolean othersKnown = true;
    private long sent;
    private long late;

    SideTotals() {
        latency.setAutoResize(true);
    }

    /** Adds one slice; {@code othersShare} is the share of all {@code cpus} other processes used, or -1. */
    void add(LoadInterval slice, long serverCpu, long benchCpu, double othersShare, int cpus) {
        latency.add(slice.latencyNanos());
        slice.otherStatuses().forEach((status, n) -> otherStatuses.merge(status, n, Long::sum));
        ok += slice.ok();
        ioErrors += slice.ioErrors();
        nanos += slice.nanos();
        serverCpuNanos += serverCpu;
        benchCpuNanos += benchCpu;
        if (othersShare < 0) {
            othersKnown = false;
        } else {
            othersCpuNanos += othersShare * cpus * slice.nanos();
        }
    }

    /** Adds what a fixed-rate load sent in one slice. */
    void add(FixedRateLoad.Schedule schedule) {
        sent += schedule.sent();
        late += schedule.late();
    }

    /** Requests sent over the measured slices of a fixed-rate load, and how many of them late. */
    FixedRateLoad.Schedule schedule() {
        return new FixedRateLoad.Schedule(sent, late);
    }

    LoadInterval total() {
        return new LoadInterval(latency.copy(), ok, Map.copyOf(otherStatuses), ioErrors, nanos);
    }

    /** The gateway's CPU time over the measured wall time, in cores. */
    double serverCores() {
        return nanos == 0 ? 0 : (double) serverCpuNanos / nanos;
    }

    double benchCores() {
        return nanos == 0 ? 0 : (double) benchCpuNanos / nanos;
    }

    /** The share of all {@code cpus} that other processes used over the measured slices, or -1 if unknown. */
    double othersShare(int cpus) {
        return !othersKnown || nanos == 0 ? -1 : othersCpuNanos / ((double) nanos * cpus);
    }
}
