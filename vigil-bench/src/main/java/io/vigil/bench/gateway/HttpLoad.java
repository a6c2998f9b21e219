package io.vigil.bench.gateway;

/** A running HTTP load on a gateway, read in intervals and stopped by {@link #close()}. */
public interface HttpLoad extends AutoCloseable {
    /** The responses since the previous call (or the start), and starts the next interval. */
    LoadInterval interval();

    /** 200 responses since the start. */
    long totalOk();

    /** The first I/O error any connection met, or empty. */
    String firstError();

    /** Stops the load; every request sent has been answered (or has failed) when this returns. */
    @Override
    void close() throws InterruptedException;
}
