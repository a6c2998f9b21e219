package io.vigil.bench.gateway;

import org.HdrHistogram.Histogram;

import java.util.Map;

/**
 * What a load saw over one stretch of time: the response times in nanoseconds, the 200 responses, the other statuses
 * by code, the I/O errors, and the wall time it covered.
 */
public record LoadInterval(Histogram latencyNanos, long ok, Map<Integer, Long> otherStatuses, long ioErrors,
                           long nanos) {
    public long nonOk() {
        return ioErrors + otherStatuses.values().stream().mapToLong(Long::longValue).sum();
    }

    public double okPerSecond() {
        return ok / (nanos / 1e9);
    }
}
