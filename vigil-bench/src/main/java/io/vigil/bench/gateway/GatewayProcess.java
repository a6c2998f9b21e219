package io.vigil.bench.gateway;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The gateway app running in a child JVM, its output in a log file. Started on a free loopback port, ready once
 * {@code /actuator/health} answers 200, stopped with SIGTERM so Spring closes the audit log (and flushes the ledger)
 * the way it does in production.
 */
public final class GatewayProcess implements AutoCloseable {
    private final Process process;
    private final int port;
    private final Path log;

    private GatewayProcess(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /**
     * Starts {@code java <jvmArgs> -jar <jar> --server.port=<free port> <appArgs>}; returns without waiting for the
     * app to be ready ({@link #awaitHealthy}).
     */
    public static GatewayProcess start(Path jar, List<String> jvmArgs, List<String> appArgs, Path log) throws IOException {
        int port = freePort();
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmArgs);
        cmd.add("-jar");
        cmd.add(jar.toAbsolutePath().toString());
        cmd.add("--server.port=" + port);
        cmd.addAll(appArgs);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        return new GatewayProcess(p, port, log);
    }

    public int port() {
        return port;
    }

    public Path log() {
        return log;
    }

    /** Polls {@code /actuator/health} until it answers 200; fails if the app exits or the time runs out. */
    public void awaitHealthy(Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "no answer";
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("the gateway exited (" + process.exitValue() + ") before it was healthy; "
                        + "the end of its log:\n" + tail(40));
            }
            try (KeepAliveConnection c = KeepAliveConnection.get(port, "/actuator/health")) {
                int status = c.exchange();
                if (status == 200) {
                    return;
                }
                last = "status " + status;
            } catch (IOException e) {
                last = e.toString();
            }
            Thread.sleep(250);
        }
        throw new IOException("the gateway was not healthy within " + timeout.toSeconds() + " s (" + last
                + "); the end of its log:\n" + tail(40));
    }

    /**
     * CPU time (user + system, all threads) the child used so far, in nanoseconds, as the kernel counts it in
     * {@code /proc/<pid>/stat}; -1 where the platform does not tell.
     */
    public long cpuNanos() {
        return process.toHandle().info().totalCpuDuration().map(Duration::toNanos).orElse(-1L);
    }

    /** Stops the app (SIGTERM, then SIGKILL after 60 s) and returns its exit code. */
    public int stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor();
        }
        return process.exitValue();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            stop();
        }
    }

    /** The last {@code n} lines of the app's log. */
    public String tail(int n) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - n), lines.size()));
        } catch (IOException e) {
            return "(cannot read " + log + ": " + e + ")";
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
