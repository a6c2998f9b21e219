package io.vigil.bench;

import io.vigil.bench.gateway.GatewayProcess;
import io.vigil.bench.gateway.GatewayReport;
import io.vigil.bench.gateway.InterleavedRound;
import io.vigil.bench.gateway.LedgerLines;
import io.vigil.bench.gateway.Measurement;
import io.vigil.ledger.FileLayout;
import io.vigil.ledger.checkpoint.KeyFiles;
import io.vigil.ledger.checkpoint.SigningKey;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The gateway's cost of auditing, over loopback: {@code GET /api/me} with HTTP Basic as alice, with
 * {@code vigil.security.stateless-success=true} so every request records an {@code auth.login.success} in the ledger,
 * against the same app with {@code vigil.enabled=false}. Each round starts both sides as fresh child JVMs with the same
 * flags and loads them in turn, in short interleaved slices ({@link InterleavedRound}), from a closed-loop load in this
 * JVM: {@code --connections} keep-alive connections, each sending the next request when the previous response has
 * arrived; then an open-loop load at a fixed rate below that throughput ({@link io.vigil.bench.gateway.FixedRateLoad},
 * response times counted from when each request was due); then one connection alone. After the round both apps are stopped and the Vigil side's ledger is searched
 * for {@code auth.login.success} entries, counted against the 200 responses that app gave, so the comparison is known
 * to be of audited requests.
 *
 * <pre>
 * java -cp vigil-bench.jar io.vigil.bench.GatewayBench [--jar examples/gateway/target/gateway.jar] [--rounds 3]
 *      [--connections 16] [--warmup 90] [--duration 30] [--fixed-duration 30] [--rate-fraction 0.5 | --rate N]
 *      [--rate-connections 16] [--single-duration 15] [--slice 5] [--bcrypt-strength 4]
 *      [--heap 512m] [--startup-timeout 180] [--properties KEY=VALUE,…] [--dir DIR] [--keep-files]
 * </pre>
 * Durations are seconds per side and round; each phase is rounded up to whole slices. {@code --properties} passes
 * application properties to both sides, e.g. {@code vigil.ledger.fsync-interval=10ms}.
 */
public final class GatewayBench {
    private static final String LOGIN_SUCCESS = "auth.login.success";

    private GatewayBench() {
    }

    public static void main(String[] argv) throws Exception {
        Args args = new Args(argv, Set.of("jar", "rounds", "connections", "warmup", "duration", "single-duration",
                "slice", "bcrypt-strength", "fixed-duration", "rate", "rate-fraction", "rate-connections", "heap", "startup-timeout", "dir", "keep-files",
                "properties"),
                Set.of("keep-files"));
        Path jar = Path.of(args.get("jar", "examples/gateway/target/gateway.jar"));
        if (!Files.isRegularFile(jar)) {
            throw new IllegalArgumentException("no gateway jar at " + jar.toAbsolutePath()
                    + "; build it with ./mvnw -B -q -pl examples/gateway -am package -DskipTests, or pass --jar");
        }
        int rounds = (int) args.getLong("rounds", 3);
        int connections = (int) args.getLong("connections", 16);
        long slice = args.getLong("slice", 5);
        // 90 s of load per side before measuring: the JIT compiler of either app is still busy for about a minute of
        // load (measured here), and the Vigil side, having more code, compiles for longer.
        int warmupSlices = slices(args.getLong("warmup", 90), slice);
        int loadSlices = slices(args.getLong("duration", 30), slice);
        int singleSlices = slices(args.getLong("single-duration", 15), slice);
        int fixedSlices = slices(args.getLong("fixed-duration", 30), slice);
        // Half of what the server managed with 16 connections: a load it carries with room to spare, where a p99 is the
        // time of a request rather than of a queue.
        double rateFraction = Double.parseDouble(args.get("rate-fraction", "0.5"));
        double fixedRate = Double.parseDouble(args.get("rate", "0"));
        int rateConnections = (int) args.getLong("rate-connections", 16);
        // BCrypt cost 4, the lowest, on both sides by default: at the app's own 10 each request spends tens of
        // milliseconds hashing alice's password on a small machine, which would hide whatever else a request costs.
        int bcrypt = (int) args.getLong("bcrypt-strength", 4);
        String heap = args.get("heap", "512m");
        Duration startupTimeout = Duration.ofSeconds(args.getLong("startup-timeout", 180));
        boolean keepFiles = args.flag("keep-files");
        List<String> extraProperties = properties(args.get("properties", ""));
        Path dir = Path.of(args.get("dir", Files.createTempDirectory("vigil-gateway-bench").toString()));
        Files.createDirectories(dir);
        Path key = dir.resolve("bench.key");
        KeyFiles.write(SigningKey.generate("bench"), key, dir.resolve("bench.pub"));
        List<String> jvmArgs = List.of("-Xms" + heap, "-Xmx" + heap, "-XX:+AlwaysPreTouch");

        String basic = "Authorization: Basic " + Base64.getEncoder()
                .encodeToString("alice:alice-password".getBytes(StandardCharsets.UTF_8));
        InterleavedRound round = new InterleavedRound(new InterleavedRound.Plan(connections, Duration.ofSeconds(slice),
                Duration.ofMillis(500), warmupSlices, loadSlices,
                new InterleavedRound.FixedRate(fixedSlices, fixedRate, rateFraction, rateConnections), singleSlices,
                "/api/me", basic));

        System.out.printf(Locale.ROOT, "Gateway bench, %s: GET /api/me with HTTP Basic, stateless-success on; "
                        + "Vigil on vs vigil.enabled=false%n",
                ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ISO_LOCAL_DATE));
        System.out.printf(Locale.ROOT, "%d CPUs, shared by both gateways and the load generator; Java %s; %d rounds; "
                        + "per round both sides in fresh JVMs (%s), loaded in turn in %d s slices (A B B A …): "
                        + "warm-up %d s, %d connections %d s, fixed rate (%s, %d connections) %d s, 1 connection "
                        + "%d s, per side; BCrypt cost %d on both sides; files in %s%n",
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"), rounds,
                String.join(" ", jvmArgs), slice, warmupSlices * slice, connections, loadSlices * slice,
                fixedRate > 0 ? String.format(Locale.ROOT, "%,.0f requests/s", fixedRate)
                        : String.format(Locale.ROOT, "%.2f of vigil.enabled=false's %d-connection throughput",
                        rateFraction, connections),
                rateConnections, fixedSlices * slice, singleSlices * slice, bcrypt, dir);
        if (!extraProperties.isEmpty()) {
            System.out.printf(Locale.ROOT, "Application properties on both sides: %s%n",
                    String.join(" ", extraProperties));
        }

        List<GatewayReport.Round> results = new ArrayList<>();
        for (int r = 1; r <= rounds; r++) {
            boolean onFirst = r % 2 == 1;
            Path ledger = dir.resolve("round-" + r + "-ledger");
            // The off side gets a ledger directory of its own, which must stay absent: vigil.enabled=false writes nothing.
            Path offLedger = dir.resolve("round-" + r + "-off-ledger");
            List<String> onArgs = appArgs(ledger, key, bcrypt, true, extraProperties);
            List<String> offArgs = appArgs(offLedger, key, bcrypt, false, extraProperties);
            System.err.printf(Locale.ROOT, "round %d: starting both gateways%n", r);
            Measurement on;
            Measurement off;
            try (GatewayProcess first = GatewayProcess.start(jar, jvmArgs, onFirst ? onArgs : offArgs,
                    dir.resolve("round-" + r + (onFirst ? "-on" : "-off") + ".log"))) {
                first.awaitHealthy(startupTimeout);
                try (GatewayProcess second = GatewayProcess.start(jar, jvmArgs, onFirst ? offArgs : onArgs,
                        dir.resolve("round-" + r + (onFirst ? "-off" : "-on") + ".log"))) {
                    second.awaitHealthy(startupTimeout);
                    List<Measurement> m = round.run(r, onFirst ? first : second, onFirst ? second : first, onFirst);
                    on = m.get(0);
                    off = m.get(1);
                    second.stop();
                }
                first.stop(); // SIGTERM: Spring closes the audit log, which drains its queue into the ledger
            }
            long entries = Files.isDirectory(FileLayout.of(ledger).segments()) ? LedgerLines.countType(ledger, LOGIN_SUCCESS) : 0;
            on = on.withLedgerSuccesses(entries);
            if (Files.exists(offLedger)) {
                System.err.printf(Locale.ROOT, "round %d: vigil.enabled=false created %s%n", r, offLedger);
            }
            for (Measurement m : List.of(on, off)) {
                System.err.printf(Locale.ROOT, "round %d, %s: %,.0f requests/s, p50 %.2f ms, p99 %.2f ms; one "
                                + "connection p50 %.2f ms, p99 %.2f ms; non-200 %d; gateway CPU %.2f (%,.0f µs a "
                                + "request), load generator CPU %.2f, others %.0f%%; fixed rate %,.0f/s: sent %,.0f/s, "
                                + "late %.1f%%, p50 %.2f ms, p99 %.2f ms, p99.9 %.2f ms%s%s%n",
                        r, m.side(), m.throughput(), m.millis(50), m.millis(99), m.singleMillis(50), m.singleMillis(99),
                        m.load().nonOk() + m.single().nonOk() + m.fixedRate().responses().nonOk(), m.serverCores(),
                        m.cpuMicrosPerRequest(),
                        m.benchCores(), 100 * m.othersShare(), m.fixedRate().targetRate(),
                        m.fixedRate().sentPerSecond(), 100 * m.fixedRate().lateShare(), m.fixedRate().millis(50),
                        m.fixedRate().millis(99), m.fixedRate().millis(99.9),
                        m.vigil() ? String.format(Locale.ROOT, "; ledger %s %,d for %,d 200s", LOGIN_SUCCESS,
                                entries, m.lifetimeOk()) : "",
                        m.firstError().isEmpty() ? "" : "; first I/O error: " + m.firstError());
            }
            results.add(new GatewayReport.Round(r, on, off, onFirst));
            if (!keepFiles) {
                BenchFiles.deleteTree(ledger);
                BenchFiles.deleteTree(offLedger);
            }
        }
        new GatewayReport(System.out, connections).print(results);
        if (!keepFiles) {
            BenchFiles.deleteTree(dir);
        }
    }

    private static List<String> properties(String list) {
        List<String> out = new ArrayList<>();
        for (String p : list.split(",")) {
            if (p.isBlank()) {
                continue;
            }
            if (!p.contains("=") || p.startsWith("=")) {
                throw new IllegalArgumentException("--properties takes KEY=VALUE pairs separated by commas, got " + p);
            }
            out.add("--" + p.strip());
        }
        return out;
    }

    private static List<String> appArgs(Path ledger, Path key, int bcrypt, boolean vigil, List<String> extra) {
        List<String> a = new ArrayList<>(List.of(
                "--vigil.ledger.dir=" + ledger,
                "--vigil.ledger.signing-key-file=" + key,
                "--vigil.security.stateless-success=true",
                "--gateway.bcrypt-strength=" + bcrypt,
                // Tomcat closes a keep-alive connection after 100 requests by default; the load keeps its
                // connections so that what is measured is the request, not TCP set-up.
                "--server.tomcat.max-keep-alive-requests=-1"));
        a.addAll(extra);
        if (!vigil) {
            a.add("--vigil.enabled=false");
        }
        return a;
    }

    private static int slices(long seconds, long slice) {
        if (slice <= 0) {
            throw new IllegalArgumentException("--slice must be at least 1 second");
        }
        return (int) ((seconds + slice - 1) / slice);
    }
}
