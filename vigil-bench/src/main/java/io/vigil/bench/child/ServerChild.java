package io.vigil.bench.child;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.bench.workload.VigilEvents;
import io.vigil.bench.workload.Workload;
import io.vigil.event.AuditEvent;
import io.vigil.event.EventIds;
import io.vigil.json.EventJson;
import io.vigil.ledger.FileLedger;
import io.vigil.ledger.LedgerEntry;
import io.vigil.ledger.LedgerOptions;
import io.vigil.ledger.LedgerReader;
import io.vigil.ledger.LedgerStore;
import io.vigil.server.ServerOptions;
import io.vigil.server.VigilServer;
import io.vigil.sink.EntryPosition;
import org.HdrHistogram.Histogram;

import java.io.BufferedWriter;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

/**
 * One part of the server measurement in a fresh JVM, for {@link io.vigil.bench.ServerBench}. Modes:
 * <ul>
 *   <li>{@code serve DIR MAX_BODY_BYTES MAX_BATCH}: a {@link VigilServer} on a free loopback port; prints
 *       {@code LISTENING port=N}, serves until its standard input is closed, then stops (every ledger gets its final
 *       checkpoint) and prints a {@code RESULT} line;</li>
 *   <li>{@code client PORT KEY_FILE SERVER_PID WARMUP EVENTS BATCH THREADS SEED RECEIPTS}: the workload as NDJSON
 *       bodies of {@code BATCH} events, built before the clock starts, posted by {@code THREADS} threads through one
 *       {@link HttpClient} (HTTP/1.1, its one connection pool); {@code WARMUP} events untimed, then {@code EVENTS}
 *       timed; every receipt checked against the ids sent and written to {@code RECEIPTS};</li>
 *   <li>{@code ledger DIR WARMUP EVENTS BATCH SEED RECEIPTS}: the peer, the same events straight into a file ledger
 *       with the server's options, one writer appending batches of {@code BATCH};</li>
 *   <li>{@code check DIR RECEIPTS}: the ledger in {@code DIR} holds exactly the entries of the receipts, no more.</li>
 * </ul>
 * Receipts files hold one {@code seq id hash} line per acknowledged event.
 */
public final class ServerChild {
    /** The tenant every event names and the bench's API key writes for. */
    public static final String TENANT = "bench";
    /** The server's origin for the tenant ({@code vigil/<tenant>}), also given to the peer. */
    static final String ORIGIN = "vigil/" + TENANT;
    /** Generous for the workload's events (about 450 bytes each); a body over the limit fails the run with a 413. */
    public static final int BODY_BYTES_PER_EVENT = 1_024;

    private ServerChild() {
    }

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "serve" -> serve(Path.of(args[1]), Integer.parseInt(args[2]), Integer.parseInt(args[3]));
            case "client" -> client(Integer.parseInt(args[1]), Path.of(args[2]), Long.parseLong(args[3]),
                    Integer.parseInt(args[4]), Integer.parseInt(args[5]), Integer.parseInt(args[6]),
                    Integer.parseInt(args[7]), Long.parseLong(args[8]), Path.of(args[9]));
            case "ledger" -> ledger(Path.of(args[1]), Integer.parseInt(args[2]), Integer.parseInt(args[3]),
                    Integer.parseInt(args[4]), Long.parseLong(args[5]), Path.of(args[6]));
            case "check" -> check(Path.of(args[1]), Path.of(args[2]));
            default -> throw new IllegalArgumentException("unknown mode " + args[0]);
        }
    }

    private static void serve(Path dir, int maxBodyBytes, int maxBatch) throws IOException {
        // The default 100,000 events/s a key would answer 429 above that rate: a policy, not what the server can
        // take, so it is lifted; the limiter's own work stays on the path.
        ServerOptions options = ServerOptions.defaults(dir).withPort(0).withMaxBodyBytes(maxBodyBytes)
                .withMaxBatchEvents(maxBatch).withEventsPerSecond(Integer.MAX_VALUE);
        VigilServer server = VigilServer.start(options);
        System.out.println("LISTENING port=" + server.port());
        System.out.flush();
        // Serves until the harness closes our standard input (or dies, which closes it too).
        while (System.in.read() >= 0) {
            continue;
        }
        long start = System.nanoTime();
        server.close();
        System.out.printf(Locale.ROOT, "RESULT stopNanos=%d%n", System.nanoTime() - start);
    }

    /** The workload's events {@code [0, count)}, each with an id, a millisecond timestamp and the bench's tenant. */
    static List<AuditEvent> events(long seed, int count) {
        Workload workload = new Workload(seed);
        List<AuditEvent> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            long ms = System.currentTimeMillis();
            out.add(VigilEvents.builder(workload.event(i)).id(EventIds.next(ms)).timestamp(Instant.ofEpochMilli(ms))
                    .tenant(TENANT).build());
        }
        return out;
    }

    private static void client(int port, Path keyFile, long serverPid, int warmup, int events, int batch,
                               int threads, long seed, Path receiptsFile) throws Exception {
        String key = Files.readString(keyFile, StandardCharsets.UTF_8).trim();
        int total = warmup + events;
        List<AuditEvent> all = events(seed, total);
        UUID[] ids = new UUID[total];
        List<byte[]> bodies = new ArrayList<>();
        StringBuilder body = new StringBuilder(batch * 512);
        for (int i = 0; i < total; i++) {
            ids[i] = all.get(i).id();
            body.append(EventJson.toCanonicalString(all.get(i))).append('\n');
            // Batches never straddle the end of the warm-up, so the timed part is whole batches.
            if ((i + 1) % batch == 0 || i + 1 == warmup || i + 1 == total) {
                bodies.add(body.toString().getBytes(StandardCharsets.UTF_8));
                body.setLength(0);
            }
        }
        all = null;
        int warmupBatches = (warmup + batch - 1) / batch;
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();
        URI uri = URI.create("http://127.0.0.1:" + port + "/v1/events");
        byte[][] answers = new byte[bodies.size()][];
        Histogram warm = new Histogram(3);
        post(http, uri, key, bodies, 0, warmupBatches, threads, answers, warm);
        ProcessHandle server = ProcessHandle.of(serverPid).orElseThrow(() ->
                new IllegalStateException("no server process " + serverPid));
        Histogram latency = new Histogram(3);
        long serverCpu = cpuNanos(server);
        CpuMeter cpu = CpuMeter.start();
        long start = System.nanoTime();
        post(http, uri, key, bodies, warmupBatches, bodies.size(), threads, answers, latency);
        long nanos = System.nanoTime() - start;
        long ownCpu = cpu.ownCpuSince();
        long serverCpuUsed = cpuNanos(server) - serverCpu;
        double others = cpu.othersShare(nanos, serverCpuUsed);

        // Untimed: every answer holds one receipt per event sent, in order, naming the event's id.
        ObjectMapper json = new ObjectMapper();
        int event = 0;
        try (BufferedWriter out = Files.newBufferedWriter(receiptsFile, StandardCharsets.UTF_8)) {
            for (byte[] answer : answers) {
                for (JsonNode r : json.readTree(answer).path("receipts")) {
                    if (event >= total || !r.path("id").asText().equals(ids[event].toString())) {
                        throw new IllegalStateException("receipt " + event + " does not name the event sent: " + r);
                    }
                    out.write(r.path("seq").asLong() + " " + ids[event] + " " + r.path("hash").asText() + "\n");
                    event++;
                }
            }
        }
        if (event != total) {
            throw new IllegalStateException(total + " events sent, " + event + " receipts");
        }
        System.out.printf(Locale.ROOT, "RESULT nanos=%d events=%d acked=%d batches=%d p50=%d p99=%d max=%d "
                        + "cpuNanos=%d serverCpuNanos=%d bodyBytes=%d others=%.4f%n", nanos, events, event,
                bodies.size() - warmupBatches, latency.getValueAtPercentile(50), latency.getValueAtPercentile(99),
                latency.getMaxValue(), ownCpu, serverCpuUsed, bodies.stream().mapToLong(b -> b.length).max()
                        .orElse(0), others);
    }

    private static long cpuNanos(ProcessHandle p) {
        return p.info().totalCpuDuration().map(Duration::toNanos).orElse(-1L);
    }

    /**
     * Posts bodies {@code [from, to)} from {@code threads} threads, each taking the next body when its previous one
     * was answered; keeps the answers and each post's time, from sending to the whole answer read.
     */
    private static void post(HttpClient http, URI uri, String key, List<byte[]> bodies, int from, int to,
                             int threads, byte[][] answers, Histogram latency) throws Exception {
        AtomicInteger next = new AtomicInteger(from);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread w = new Thread(() -> {
                Histogram mine = new Histogram(3);
                try {
                    go.await();
                    for (int b = next.getAndIncrement(); b < to && failure.get() == null; b = next.getAndIncrement()) {
                        HttpRequest request = HttpRequest.newBuilder(uri)
                                .header("Authorization", "Bearer " + key)
                                .header("Content-Type", "application/x-ndjson")
                                .POST(HttpRequest.BodyPublishers.ofByteArray(bodies.get(b))).build();
                        long t0 = System.nanoTime();
                        HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
                        mine.recordValue(System.nanoTime() - t0);
                        if (response.statusCode() != 202) {
                            throw new IllegalStateException("batch " + b + " answered " + response.statusCode() + ": "
                                    + new String(response.body(), StandardCharsets.UTF_8));
                        }
                        answers[b] = response.body();
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                } finally {
                    synchronized (latency) {
                        latency.add(mine);
                    }
                }
            }, "client-" + t);
            w.start();
            workers.add(w);
        }
        go.countDown();
        for (Thread w : workers) {
            w.join();
        }
        if (failure.get() != null) {
            throw new IllegalStateException("a client thread failed", failure.get());
        }
    }

    /** The server's options for a tenant's ledger (TenantLedgers): checkpoints every 10,000 entries or 10 s. */
    static LedgerOptions peerOptions(long seed) {
        return LedgerOptions.defaults(ORIGIN).withSigningKey(LedgerChild.key(seed))
                .withCheckpoints(10_000, Duration.ofSeconds(10));
    }

    private static void ledger(Path dir, int warmup, int events, int batch, long seed, Path receiptsFile)
            throws Exception {
        int total = warmup + events;
        List<List<AuditEvent>> batches = new ArrayList<>();
        List<AuditEvent> all = events(seed, total);
        for (int from = 0; from < total; ) {
            int to = Math.min(from < warmup ? warmup : total, from + batch);
            batches.add(all.subList(from, to));
            from = to;
        }
        int warmupBatches = (warmup + batch - 1) / batch;
        List<EntryPosition> positions = new ArrayList<>(total);
        Histogram latency = new Histogram(3);
        long nanos;
        long ownCpu;
        double others;
        try (LedgerStore store = FileLedger.open(dir, peerOptions(seed))) {
            for (int b = 0; b < warmupBatches; b++) {
                positions.addAll(store.append(batches.get(b)));
            }
            CpuMeter cpu = CpuMeter.start();
            long start = System.nanoTime();
            for (int b = warmupBatches; b < batches.size(); b++) {
                long t0 = System.nanoTime();
                positions.addAll(store.append(batches.get(b)));
                latency.recordValue(System.nanoTime() - t0);
            }
            nanos = System.nanoTime() - start;
            ownCpu = cpu.ownCpuSince();
            others = cpu.othersShare(nanos);
        }
        try (BufferedWriter out = Files.newBufferedWriter(receiptsFile, StandardCharsets.UTF_8)) {
            for (int i = 0; i < total; i++) {
                out.write(positions.get(i).seq() + " " + all.get(i).id() + " " + positions.get(i).hash() + "\n");
            }
        }
        System.out.printf(Locale.ROOT, "RESULT nanos=%d events=%d acked=%d batches=%d p50=%d p99=%d max=%d "
                        + "cpuNanos=%d others=%.4f%n", nanos, events, positions.size(), batches.size() - warmupBatches,
                latency.getValueAtPercentile(50), latency.getValueAtPercentile(99), latency.getMaxValue(), ownCpu,
                others);
    }

    /**
     * The ledger holds exactly the acknowledged events: as many entries as receipts, each receipt's seq used once,
     * and the entry at that seq has the receipt's event id and hash.
     */
    private static void check(Path dir, Path receiptsFile) throws IOException {
        List<String> lines = Files.readAllLines(receiptsFile, StandardCharsets.UTF_8);
        String problem = "ok";
        long size;
        try (LedgerReader reader = FileLedger.openReader(dir)) {
            long first = reader.start();
            size = reader.size();
            String[] byPosition = new String[lines.size()];
            for (String line : lines) {
                long seq = Long.parseLong(line.substring(0, line.indexOf(' ')));
                int at = (int) (seq - first);
                if (at < 0 || at >= byPosition.length || byPosition[at] != null) {
                    problem = "seq-out-of-range-or-repeated:" + seq;
                    break;
                }
                byPosition[at] = line;
            }
            if (problem.equals("ok") && size - first != lines.size()) {
                problem = "entries-" + (size - first) + "-receipts-" + lines.size();
            }
            if (problem.equals("ok")) {
                try (Stream<LedgerEntry> entries = reader.entries(first, size)) {
                    Iterator<LedgerEntry> it = entries.iterator();
                    for (int i = 0; it.hasNext(); i++) {
                        LedgerEntry e = it.next();
                        String expected = e.seq() + " " + e.event().id() + " " + e.hash();
                        if (!expected.equals(byPosition[i])) {
                            problem = "entry-" + e.seq() + "-differs";
                            break;
                        }
                    }
                }
            }
            if (problem.equals("ok") && Arrays.stream(byPosition).anyMatch(s -> s == null)) {
                problem = "missing-entries";
            }
        }
        System.out.printf(Locale.ROOT, "RESULT entries=%d receipts=%d check=%s%n", size, lines.size(), problem);
    }
}
