package io.vigil.bench;

import io.vigil.bench.child.CpuMeter;
import io.vigil.bench.gateway.ClosedLoopLoad;
import io.vigil.bench.gateway.GatewayProcess;
import io.vigil.bench.gateway.GatewayReport;
import io.vigil.bench.gateway.KeepAliveConnection;
import io.vigil.bench.gateway.LedgerLines;
import io.vigil.bench.gateway.Measurement;
import io.vigil.ledger.checkpoint.KeyFiles;
import io.vigil.ledger.checkpoint.SigningKey;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The gateway's cost of auditing, over loopback: {@code GET /api/me} with HTTP Basic as alice, with
 * {@code vigil.security.stateless-success=true} so every request records an {@code auth.login.success} in the ledger,
 * against the same app with {@code vigil.enabled=false}. Each side of each round is a fresh child JVM with the same
 * flags, warmed up, then measured under a closed-loop load from this JVM ({@code --connections} keep-alive
 * connections, each sending the next request when the previous response has arrived). The sides alternate which runs
 * first from round to round. After a Vigil-on side the app is stopped and its ledger's {@code auth.login.success}
 * entries are counted against the 200 responses it gave, so the comparison is known to be of audited requests.
 *
 * <pre>
 * java -cp vigil-bench.jar io.vigil.bench.GatewayBench [--jar examples/gateway/target/gateway.jar] [--rounds 3]
 *      [--connections 16] [--warmup 20] [--duration 30] [--bcrypt-strength 4] [--heap 512m] [--dir DIR] [--keep-files]
 * </pre>
 */
public final class GatewayBench {
    private static final String LOGIN_SUCCESS = "auth.login.success";

    private GatewayBench() {
    }

    /** What every side of every round shares. */
    private record Settings(Path jar, Path dir, Path key, List<String> jvmArgs, int connections, int warmupSeconds,
                            int durationSeconds, int bcryptStrength, Duration startupTimeout, boolean keepFiles) {
    }

    public static void main(String[] argv) throws Exception {
        Args args = new Args(argv, Set.of("jar", "rounds", "connections", "warmup", "duration", "bcrypt-strength",
                "heap", "dir", "keep-files", "startup-timeout"), Set.of("keep-files"));
        Path jar = Path.of(args.get("jar", "examples/gateway/target/gateway.jar"));
        if (!Files.isRegularFile(jar)) {
            throw new IllegalArgumentException("no gateway jar at " + jar.toAbsolutePath()
                    + "; build it with ./mvnw -B -q -pl examples/gateway -am package -DskipTests, or pass --jar");
        }
        int rounds = (int) args.getLong("rounds", 3);
        // BCrypt cost 4, the lowest, on both sides by default: at the app's own 10 each request spends tens of
        // milliseconds hashing alice's password on a small machine, which would hide whatever else a request costs.
        String heap = args.get("heap", "512m");
        Path dir = Path.of(args.get("dir", Files.createTempDirectory("vigil-gateway-bench").toString()));
        Files.createDirectories(dir);
        Path key = dir.resolve("bench.key");
        KeyFiles.write(SigningKey.generate("bench"), key, dir.resolve("bench.pub"));
        Settings s = new Settings(jar, dir, key, List.of("-Xms" + heap, "-Xmx" + heap, "-XX:+AlwaysPreTouch"),
                (int) args.getLong("connections", 16), (int) args.getLong("warmup", 20),
                (int) args.getLong("duration", 30), (int) args.getLong("bcrypt-strength", 4),
                Duration.ofSeconds(args.getLong("startup-timeout", 180)), args.flag("keep-files"));

        System.out.printf(Locale.ROOT, "Gateway bench, %s: GET /api/me with HTTP Basic, stateless-success on; "
                        + "Vigil on vs vigil.enabled=false%n",
                ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ISO_LOCAL_DATE));
        System.out.printf(Locale.ROOT, "%d CPUs (the load generator runs on the same machine as the gateway); Java %s; "
                        + "%d rounds; each side: a fresh JVM (%s), warm-up %d s, measured %d s, %d keep-alive "
                        + "connections, closed loop; BCrypt cost %d on both sides; files in %s%n",
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"), rounds,
                String.join(" ", s.jvmArgs()), s.warmupSeconds(), s.durationSeconds(), s.connections(),
                s.bcryptStrength(), dir);

        List<GatewayReport.Round> results = new ArrayList<>();
        for (int r = 1; r <= rounds; r++) {
            boolean onFirst = r % 2 == 1;
            Measurement first = measure(s, r, onFirst);
            Measurement second = measure(s, r, !onFirst);
            results.add(new GatewayReport.Round(r, onFirst ? first : second, onFirst ? second : first, onFirst));
        }
        new GatewayReport(System.out).print(results);
        if (!s.keepFiles()) {
            deleteTree(dir);
        }
    }

    private static Measurement measure(Settings s, int round, boolean vigil) throws Exception {
        String name = "round-" + round + (vigil ? "-on" : "-off");
        Path ledger = s.dir().resolve(name + "-ledger");
        List<String> app = new ArrayList<>(List.of(
                "--vigil.ledger.dir=" + ledger,
                "--vigil.ledger.signing-key-file=" + s.key(),
                "--vigil.security.stateless-success=true",
                "--gateway.bcrypt-strength=" + s.bcryptStrength(),
                // Tomcat closes a keep-alive connection after 100 requests by default; the load keeps its connections
                // so that what is measured is the request, not TCP set-up.
                "--server.tomcat.max-keep-alive-requests=-1"));
        if (!vigil) {
            app.add("--vigil.enabled=false");
        }
        String basic = "Authorization: Basic " + Base64.getEncoder()
                .encodeToString("alice:alice-password".getBytes(StandardCharsets.UTF_8));
        System.err.printf(Locale.ROOT, "round %d, %s: starting the gateway%n", round, vigil ? "Vigil on" : "vigil.enabled=false");
        Measurement m;
        try (GatewayProcess gateway = GatewayProcess.start(s.jar(), s.jvmArgs(), app, s.dir().resolve(name + ".log"))) {
            gateway.awaitHealthy(s.startupTimeout());
            ClosedLoopLoad.Interval measured;
            long serverCpu;
            long benchCpu;
            double others;
            long lifetimeOk;
            long connects;
            String firstError;
            try (ClosedLoopLoad load = new ClosedLoopLoad(s.connections(),
                    () -> KeepAliveConnection.get(gateway.port(), "/api/me", basic))) {
                Thread.sleep(s.warmupSeconds() * 1000L);
                load.interval(); // the warm-up, discarded
                CpuMeter cpu = CpuMeter.start();
                long server0 = gateway.cpuNanos();
                long bench0 = ownCpuNanos();
                Thread.sleep(s.durationSeconds() * 1000L);
                measured = load.interval();
                others = cpu.othersShare(measured.nanos());
                serverCpu = gateway.cpuNanos() - server0;
                benchCpu = ownCpuNanos() - bench0;
                load.close();
                lifetimeOk = load.totalOk();
                connects = load.connects();
                firstError = load.firstError();
            }
            int cpus = Runtime.getRuntime().availableProcessors();
            double wall = measured.nanos();
            // CpuMeter counts everything but this JVM; the gateway's share is taken out too, leaving other processes.
            double othersOnly = others < 0 ? -1 : Math.max(0, others - serverCpu / (wall * cpus));
            int exit = gateway.stop();
            OptionalLong entries = OptionalLong.empty();
            if (vigil) {
                entries = Files.isDirectory(ledger.resolve("segments"))
                        ? OptionalLong.of(LedgerLines.countType(ledger, LOGIN_SUCCESS)) : OptionalLong.of(0);
            }
            m = new Measurement(round, vigil, measured, serverCpu / wall, benchCpu / wall, othersOnly, lifetimeOk,
                    connects, entries, firstError);
            System.err.printf(Locale.ROOT, "round %d, %s: %,.0f requests/s, p50 %.2f ms, p99 %.2f ms, non-200 %d, "
                            + "gateway CPU %.2f, load generator CPU %.2f, others %.0f%%, %d connections opened%s%s; "
                            + "gateway exit %d%n",
                    round, m.side(), m.throughput(), m.millis(50), m.millis(99), measured.nonOk(), m.serverCores(),
                    m.benchCores(), 100 * othersOnly, connects,
                    entries.isPresent() ? String.format(Locale.ROOT, ", ledger %s %,d for %,d 200s", LOGIN_SUCCESS,
                            entries.getAsLong(), lifetimeOk) : "",
                    firstError.isEmpty() ? "" : "; first I/O error: " + firstError, exit);
        }
        if (!s.keepFiles()) {
            deleteTree(ledger);
        }
        return m;
    }

    private static long ownCpuNanos() {
        return ProcessHandle.current().info().totalCpuDuration().map(Duration::toNanos).orElse(-1L);
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) s.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(p);
            }
        }
    }
}
