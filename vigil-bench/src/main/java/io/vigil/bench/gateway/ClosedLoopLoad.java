package io.vigil.bench.gateway;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * A closed-loop load: each of N threads owns one keep-alive connection and sends its request as soon as the previous
 * response has arrived, recording each response time (request written to response read) in nanoseconds.
 */
public final class ClosedLoopLoad implements HttpLoad {
    private final ResponseCounts counts = new ResponseCounts();
    private final List<Worker> workers = new ArrayList<>();
    private volatile boolean stopping;

    /** Starts {@code connections} threads, each with its own connection from {@code connection}. */
    public ClosedLoopLoad(int connections, Supplier<KeepAliveConnection> connection) {
        for (int i = 0; i < connections; i++) {
            workers.add(new Worker(connection.get(), i));
        }
        workers.forEach(Thread::start);
    }

    @Override
    public LoadInterval interval() {
        return counts.interval();
    }

    @Override
    public long totalOk() {
        return counts.totalOk();
    }

    @Override
    public String firstError() {
        return counts.firstError();
    }

    /** Stops the threads; each finishes the exchange it is in, so every request sent has been answered. */
    @Override
    public void close() throws InterruptedException {
        stopping = true;
        for (Worker w : workers) {
            w.join();
        }
    }

    private final class Worker extends Thread {
        private final KeepAliveConnection connection;

        Worker(KeepAliveConnection connection, int index) {
            super("load-" + index);
            setDaemon(true);
            this.connection = connection;
        }

        @Override
        public void run() {
            try (connection) {
                while (!stopping) {
                    long t0 = System.nanoTime();
                    try {
                        int status = connection.exchange();
                        counts.response(status, System.nanoTime() - t0);
                    } catch (IOException e) {
                        counts.ioError(e);
                        connection.close();
                        pause(); // a server that refuses connections must not turn this loop into a spin
                    }
                }
            }
        }

        private void pause() {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                stopping = true;
            }
        }
    }
}
