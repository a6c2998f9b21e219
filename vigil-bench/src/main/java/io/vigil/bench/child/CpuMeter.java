package io.vigil.bench.child;

import com.sun.management.OperatingSystemMXBean;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How much of the machine's CPU time other processes used while a row ran. Benchmarks here share small machines
 * with builds and tests; a run slowed by them is visible instead of silently skewing a comparison. Linux only (reads
 * {@code /proc/stat}); elsewhere the share is reported as -1.
 */
public final class CpuMeter {
    private static final Path PROC_STAT = Path.of("/proc/stat");
    /** The kernel's clock ticks per second for /proc/stat on every mainstream Linux build. */
    private static final double USER_HZ = 100.0;

    private final long busyTicks;
    private final long ownCpuNanos;

    private CpuMeter(long busyTicks, long ownCpuNanos) {
        this.busyTicks = busyTicks;
        this.ownCpuNanos = ownCpuNanos;
    }

    public static CpuMeter start() {
        return new CpuMeter(busyTicks(), ownCpuNanos());
    }

    /**
     * The share of all CPUs (0 to 1) that other processes kept busy since {@link #start}: machine-wide busy time
     * minus this JVM's own CPU time, over wall time times CPUs.
     */
    public double othersShare(long wallNanos) {
        return othersShare(wallNanos, 0);
    }

    /**
     * As {@link #othersShare(long)}, also counting {@code partnerCpuNanos} as ours: the CPU time another process of
     * the same measurement used meanwhile (a server this JVM loads), which is not the interference this reports.
     */
    public double othersShare(long wallNanos, long partnerCpuNanos) {
        long busy = busyTicks();
        long own = ownCpuNanos();
        if (busy < 0 || busyTicks < 0 || own < 0 || ownCpuNanos < 0 || partnerCpuNanos < 0) {
            return -1;
        }
        double machineBusy = (busy - busyTicks) / USER_HZ;
        double mine = (own - ownCpuNanos + partnerCpuNanos) / 1e9;
        double capacity = wallNanos / 1e9 * Runtime.getRuntime().availableProcessors();
        return Math.max(0, (machineBusy - mine) / capacity);
    }

    /** This JVM's own CPU time since {@link #start}, all its threads, in nanoseconds; -1 where it cannot be read. */
    public long ownCpuSince() {
        long own = ownCpuNanos();
        return own < 0 || ownCpuNanos < 0 ? -1 : own - ownCpuNanos;
    }

    /** user + nice + system + irq + softirq + steal ticks of the "cpu" line, or -1. */
    private static long busyTicks() {
        try {
            String first = Files.readAllLines(PROC_STAT).get(0);
            String[] f = first.trim().split("\\s+");
            long sum = 0;
            for (int i : new int[] {1, 2, 3, 6, 7, 8}) {
                sum += Long.parseLong(f[i]);
            }
            return sum;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private static long ownCpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return -1;
    }
}
