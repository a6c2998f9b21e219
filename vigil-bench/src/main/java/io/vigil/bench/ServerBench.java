package io.vigil.bench;

import io.vigil.bench.child.ServerChild;
import io.vigil.bench.workload.Workload;
import io.vigil.server.ApiKeys;
import io.vigil.server.Scope;
import io.vigil.server.ServerOptions;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.ToDoubleFunction;

/**
 * What the server's HTTP ingest costs, measured in one run, every part in a fresh JVM:
 * <ol>
 *   <li><em>server</em>: a {@code VigilServer} in a child JVM, loaded over loopback from another child JVM:
 *       {@code --threads} client threads sharing one {@code java.net.http.HttpClient} (HTTP/1.1, one connection pool)
 *       post the workload as NDJSON batches of {@code --batch} events; each batch is answered 202 once its events are
 *       durable (fsync) in the tenant's file ledger. Events/s over the timed events, and each batch's time from
 *       sending to the whole answer read (p50, p99); target ≥ 50,000 events/s;</li>
 *   <li><em>ledger</em>, the peer: the same events straight into a {@code FileLedger} with the server's options for a
 *       tenant, one writer (a ledger has one) appending batches of the same size, the same durability;</li>
 *   <li>after each run, in another JVM, the ledger is checked to hold exactly the events acknowledged: one entry per
 *       receipt, at the receipt's seq, with its event id and hash, and no other entry.</li>
 * </ol>
 * The clients run in a JVM of their own, not in this one, so the server's and the clients' heaps, collectors and JIT
 * profiles stay apart, and the clients' CPU time is measured and shown: on a small machine they share the CPUs with
 * the server, as clients on the same host would. Their bodies are built before the clock starts, so what they spend
 * is HTTP, not JSON. Both sides first write {@code --warmup} events untimed, so that both are measured as a running
 * service rather than while the JIT compiler takes a CPU. {@code --rounds} rounds, the order of the sides turning.
 * Each run also reports the share of the CPUs other processes used meanwhile (the server counts as ours).
 * Usage: {@code ServerBench [--events N] [--warmup N] [--batch N] [--threads N] [--rounds N] [--dir DIR] [--seed S]
 * [--jfr DIR] [--keep-files]}; {@code --jfr} records each server JVM with Flight Recorder into {@code DIR}.
 */
public final class ServerBench {
    private static final long TIMEOUT_SECONDS = 1800;
    private static final List<String> SIDES = List.of("server", "ledger");
    private static final double TARGET = 50_000;

    private ServerBench() {
    }

    /** One run of one side. */
    private record Run(int round, String side, double eventsPerSecond, double p50Millis, double p99Millis,
                       double cpuMicrosPerEvent, double clientCpuMicrosPerEvent, long entries, String check,
                       double others) {
    }

    public static void main(String[] argv) throws Exception {
        Args args = new Args(argv, Set.of("events", "warmup", "batch", "threads", "rounds", "dir", "seed", "jfr",
                "keep-files"), Set.of("keep-files"));
        int events = (int) args.getLong("events", 300_000);
        int warmup = (int) args.getLong("warmup", 100_000);
        int batch = (int) args.getLong("batch", 1_000);
        int threads = (int) args.getLong("threads", 4);
        int rounds = (int) args.getLong("rounds", 3);
        long seed = args.getLong("seed", Workload.DEFAULT_SEED);
        Optional<Path> jfr = Optional.ofNullable(args.get("jfr", null)).map(Path::of);
        Path dir = Path.of(args.get("dir", Files.createTempDirectory("vigil-server-bench").toString()));
        Files.createDirectories(dir);
        if (jfr.isPresent()) {
            Files.createDirectories(jfr.get());
        }
        List<String> jvm = new ArrayList<>(ChildLauncher.defaultJvmArgs(65_536));
        System.out.printf(Locale.ROOT, "Server bench, %s: %d CPUs; Java %s; each part in a fresh JVM (%s); %,d events "
                        + "per run after %,d untimed, batches of %,d, %d client threads, %d rounds; files in %s%n",
                ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ISO_LOCAL_DATE),
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"),
                String.join(" ", jvm.subList(0, 3)), events, warmup, batch, threads, rounds, dir);

        List<Run> runs = new ArrayList<>();
        for (int r = 1; r <= rounds; r++) {
            // The order of the sides turns each round, so neither always runs first.
            List<String> order = new ArrayList<>(SIDES);
            Collections.rotate(order, -(r - 1));
            for (String side : order) {
                Path runDir = dir.resolve("round-" + r + "-" + side);
                Run run = side.equals("server")
                        ? server(jvm, runDir, r, warmup, events, batch, threads, seed, jfr)
                        : ledger(jvm, runDir, r, warmup, events, batch, seed);
                runs.add(run);
                System.out.printf(Locale.ROOT, "  round %d, %-6s: %,.0f events/s, batch p50 %.1f ms p99 %.1f ms, "
                                + "%.2f µs of CPU an event%s, %,d entries, check %s, other processes %.0f%% of the CPUs%n",
                        r, side, run.eventsPerSecond(), run.p50Millis(), run.p99Millis(), run.cpuMicrosPerEvent(),
                        side.equals("server") ? String.format(Locale.ROOT, " (clients %.2f µs more)",
                                run.clientCpuMicrosPerEvent()) : "", run.entries(), run.check(), 100 * run.others());
                if (!args.flag("keep-files")) {
                    BenchFiles.deleteTree(runDir);
                }
            }
        }

        double server = median(runs, "server", Run::eventsPerSecond);
        double ledger = median(runs, "ledger", Run::eventsPerSecond);
        boolean allChecked = runs.stream().allMatch(r -> r.check().equals("ok"));
        System.out.println();
        System.out.println("| measure | value | target | met |");
        System.out.println("|---|---:|---|---|");
        row(String.format(Locale.ROOT, "HTTP ingest over loopback: %d client threads, NDJSON batches of %,d, 202 once "
                + "durable (median of %d)", threads, batch, rounds), String.format(Locale.ROOT,
                "%,.0f events/s (%.2f× the ledger alone)", server, server / ledger),
                String.format(Locale.ROOT, "≥ %,.0f events/s", TARGET), met(server >= TARGET));
        row(String.format(Locale.ROOT, "the same events straight into a FileLedger: one writer, batches of %,d, "
                + "durable (median of %d)", batch, rounds), String.format(Locale.ROOT, "%,.0f events/s", ledger), "",
                "");
        row(String.format(Locale.ROOT, "a batch of %,d over HTTP, client-side, sending to answer read (median of the "
                + "runs' percentiles)", batch), String.format(Locale.ROOT, "p50 %.1f ms, p99 %.1f ms",
                median(runs, "server", Run::p50Millis), median(runs, "server", Run::p99Millis)), "", "");
        row(String.format(Locale.ROOT, "a batch of %,d appended straight into the ledger", batch),
                String.format(Locale.ROOT, "p50 %.1f ms, p99 %.1f ms", median(runs, "ledger", Run::p50Millis),
                        median(runs, "ledger", Run::p99Millis)), "", "");
        row("CPU time an event, all threads (median)", String.format(Locale.ROOT, "server %.2f µs + clients %.2f µs; "
                        + "ledger alone %.2f µs", median(runs, "server", Run::cpuMicrosPerEvent),
                median(runs, "server", Run::clientCpuMicrosPerEvent), median(runs, "ledger", Run::cpuMicrosPerEvent)),
                "", "");
        boolean sameSize = runs.stream().allMatch(r -> r.entries() == warmup + events);
        row("the ledger holds exactly the events acknowledged, warm-up included: an entry per receipt, at its seq, "
                + "with its id and hash, and no other", allChecked && sameSize ? String.format(Locale.ROOT,
                "all %d runs: %,d entries each", runs.size(), warmup + events) : String.join(", ", runs.stream()
                .map(r -> String.format(Locale.ROOT, "%s %,d entries %s", r.side(), r.entries(), r.check())).toList()),
                "every run", met(allChecked && sameSize));
        row("other processes' share of the CPUs, per run, in order", String.join(", ", runs.stream()
                .map(r -> String.format(Locale.ROOT, "%s %.0f%%", r.side(), 100 * r.others())).toList()), "", "");
        if (!args.flag("keep-files")) {
            BenchFiles.deleteTree(dir);
        }
        if (!allChecked || !sameSize) {
            System.exit(1);
        }
    }

    private static Run server(List<String> jvm, Path runDir, int round, int warmup, int events, int batch,
                              int threads, long seed, Optional<Path> jfr) throws Exception {
        String secret = ApiKeys.open(runDir).create(ServerChild.TENANT, Set.of(Scope.INGEST, Scope.READ),
                Optional.of("bench")).secret();
        Path keyFile = runDir.resolve("bench.key"); // in the server's directory, which is 0700
        Files.writeString(keyFile, secret + "\n", StandardCharsets.UTF_8);
        List<String> serverJvm = new ArrayList<>(jvm);
        jfr.ifPresent(d -> serverJvm.add("-XX:StartFlightRecording=filename="
                + d.resolve("server-round-" + round + ".jfr").toAbsolutePath() + ",settings=profile"));
        // The 1 MiB default holds 1,000 of the workload's events; larger batches get a larger limit.
        int maxBody = Math.max(ServerOptions.DEFAULT_MAX_BODY_BYTES, batch * ServerChild.BODY_BYTES_PER_EVENT);
        int maxBatch = Math.max(ServerOptions.DEFAULT_MAX_BATCH_EVENTS, batch);
        Path receipts = runDir.resolve("receipts.txt");
        Map<String, String> kv;
        try (ServerProcess process = ServerProcess.start(serverJvm, runDir, maxBody, maxBatch)) {
            kv = ChildLauncher.result(ServerChild.class, jvm, List.of("client", String.valueOf(process.port),
                    keyFile.toString(), String.valueOf(process.process.pid()), String.valueOf(warmup),
                    String.valueOf(events), String.valueOf(batch), String.valueOf(threads), String.valueOf(seed),
                    receipts.toString()), TIMEOUT_SECONDS);
            process.stop();
        }
        Map<String, String> check = ChildLauncher.result(ServerChild.class, jvm, List.of("check",
                runDir.resolve("tenants").resolve(ServerChild.TENANT).toString(), receipts.toString()),
                TIMEOUT_SECONDS);
        return run(round, "server", events, kv, Long.parseLong(kv.get("serverCpuNanos")),
                Long.parseLong(kv.get("cpuNanos")), check);
    }

    private static Run ledger(List<String> jvm, Path runDir, int round, int warmup, int events, int batch, long seed)
            throws Exception {
        Files.createDirectories(runDir);
        Path receipts = runDir.resolve("receipts.txt");
        Path ledgerDir = runDir.resolve("ledger");
        Map<String, String> kv = ChildLauncher.result(ServerChild.class, jvm, List.of("ledger", ledgerDir.toString(),
                String.valueOf(warmup), String.valueOf(events), String.valueOf(batch), String.valueOf(seed),
                receipts.toString()), TIMEOUT_SECONDS);
        Map<String, String> check = ChildLauncher.result(ServerChild.class, jvm, List.of("check", ledgerDir.toString(),
                receipts.toString()), TIMEOUT_SECONDS);
        return run(round, "ledger", events, kv, Long.parseLong(kv.get("cpuNanos")), 0, check);
    }

    private static Run run(int round, String side, int events, Map<String, String> kv, long cpuNanos,
                           long clientCpuNanos, Map<String, String> check) {
        return new Run(round, side, events / (Long.parseLong(kv.get("nanos")) / 1e9),
                Long.parseLong(kv.get("p50")) / 1e6, Long.parseLong(kv.get("p99")) / 1e6, cpuNanos / 1e3 / events,
                clientCpuNanos / 1e3 / events, Long.parseLong(check.get("entries")), check.get("check"),
                Double.parseDouble(kv.get("others")));
    }

    private static double median(List<Run> runs, String side, ToDoubleFunction<Run> measure) {
        double[] values = runs.stream().filter(r -> r.side().equals(side)).mapToDouble(measure).sorted().toArray();
        int n = values.length;
        return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
    }

    private static void row(String what, String value, String target, String met) {
        System.out.println("| " + what + " | " + value + " | " + target + " | " + met + " |");
    }

    private static String met(boolean ok) {
        return ok ? "yes" : "NO";
    }

    /** The server's child JVM: started until it listens, stopped by closing its standard input. */
    private static final class ServerProcess implements AutoCloseable {
        private static final String LISTENING = "LISTENING port=";
        private final Process process;
        private final Thread reader;
        private final List<String> output;
        private final int port;

        private ServerProcess(Process process, Thread reader, List<String> output, int port) {
            this.process = process;
            this.reader = reader;
            this.output = output;
            this.port = port;
        }

        static ServerProcess start(List<String> jvm, Path dir, int maxBody, int maxBatch) throws Exception {
            List<String> cmd = new ArrayList<>();
            cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            cmd.addAll(jvm);
            cmd.add("-cp");
            cmd.add(System.getProperty("java.class.path"));
            cmd.add(ServerChild.class.getName());
            cmd.addAll(List.of("serve", dir.toString(), String.valueOf(maxBody), String.valueOf(maxBatch)));
            Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            List<String> output = Collections.synchronizedList(new ArrayList<>());
            CompletableFuture<Integer> port = new CompletableFuture<>();
            // Read on another thread, so that a server that never listens is caught by the timeout below.
            Thread reader = new Thread(() -> {
                try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(),
                        StandardCharsets.UTF_8))) {
                    for (String line = out.readLine(); line != null; line = out.readLine()) {
                        output.add(line);
                        if (line.startsWith(LISTENING)) {
                            port.complete(Integer.parseInt(line.substring(LISTENING.length()).trim()));
                        }
                    }
                } catch (IOException ignored) {
                    // the process was killed; what was read so far is reported
                }
                port.completeExceptionally(new IOException("the server exited before it listened: " + output));
            }, "server-stdout");
            reader.setDaemon(true);
            reader.start();
            try {
                return new ServerProcess(p, reader, output, port.get(120, TimeUnit.SECONDS));
            } catch (TimeoutException e) {
                p.destroyForcibly();
                throw new IOException("the server did not listen within 120 s: " + output, e);
            }
        }

        /** Closes its standard input and waits for it to stop; it must stop cleanly. */
        void stop() throws Exception {
            process.getOutputStream().close();
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException("the server did not stop within 120 s");
            }
            reader.join();
            if (process.exitValue() != 0 || output.stream().noneMatch(l -> l.startsWith("RESULT "))) {
                throw new IOException("the server stopped with exit " + process.exitValue() + ": " + output);
            }
        }

        @Override
        public void close() {
            if (process.isAlive()) {
                process.destroyForcibly();
            }
        }
    }
}
