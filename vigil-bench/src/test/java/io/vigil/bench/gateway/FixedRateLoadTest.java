package io.vigil.bench.gateway;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The open-loop load against a real HTTP server on loopback: it keeps to its rate, and a server that stalls is charged
 * for every request that fell due during the stall, not only for the few that were in flight.
 */
class FixedRateLoadTest {
    private static final long STALL_MILLIS = 300;

    private HttpServer server;
    private final AtomicInteger requests = new AtomicInteger();
    private volatile int stallAt = -1;

    @BeforeAll
    static void noNagle() {
        // Read once, when the JDK's server first loads its configuration: without it the server's separate writes of
        // headers and body meet the client's delayed ACK, and each exchange takes about 40 ms.
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    @BeforeEach
    void startServer() throws Exception {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        // The default executor answers on one thread, so one slow answer holds up every connection, as a GC pause would.
        server.createContext("/", exchange -> {
            if (requests.incrementAndGet() == stallAt) {
                try {
                    Thread.sleep(STALL_MILLIS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            byte[] body = "{}".getBytes(StandardCharsets.US_ASCII);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    private FixedRateLoad load(double rate, int connections) {
        return new FixedRateLoad(rate, connections,
                () -> KeepAliveConnection.get(server.getAddress().getPort(), "/"));
    }

    @Test
    void sendsAtTheRateAskedFor() throws Exception {
        FixedRateLoad load = load(200, 4);
        Thread.sleep(2_000);
        LoadInterval interval = load.interval();
        FixedRateLoad.Schedule schedule = load.schedule();
        load.close();
        assertThat(schedule.sent() / (interval.nanos() / 1e9)).isBetween(180.0, 220.0);
        assertThat(interval.ok()).isBetween(schedule.sent() - 4, schedule.sent());
        assertThat(interval.nonOk()).isZero();
    }

    @Test
    void aStallIsChargedToEveryRequestDueDuringIt() throws Exception {
        stallAt = 100; // half a second in, at 200 requests/s
        FixedRateLoad load = load(200, 4);
        Thread.sleep(2_000);
        LoadInterval interval = load.interval();
        FixedRateLoad.Schedule schedule = load.schedule();
        load.close();
        // About 60 requests fell due during the stall; those due in its first 200 ms waited more than 100 ms from
        // their time. Counted from when each was sent instead, only the 4 in flight would have.
        long over100ms = interval.latencyNanos().getCountBetweenValues(100_000_000L, Long.MAX_VALUE / 2);
        assertThat(over100ms).isGreaterThanOrEqualTo(30);
        assertThat(interval.latencyNanos().getMaxValue()).isGreaterThanOrEqualTo(STALL_MILLIS * 1_000_000 * 9 / 10);
        assertThat(schedule.late()).isGreaterThanOrEqualTo(30);
        assertThat(interval.nonOk()).isZero();
    }
}
