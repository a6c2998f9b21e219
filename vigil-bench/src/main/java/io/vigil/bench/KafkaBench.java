package io.vigil.bench;

import io.vigil.bench.child.CpuMeter;
import io.vigil.bench.child.ThreadCpu;
import io.vigil.bench.workload.VigilEvents;
import io.vigil.bench.workload.Workload;
import io.vigil.event.AuditEvent;
import io.vigil.kafka.KafkaSinks;
import io.vigil.kafka.KafkaTestCluster;
import io.vigil.kafka.Sequencer;
import io.vigil.kafka.SequencerOptions;
import io.vigil.kafka.SequencerTarget;
import io.vigil.ledger.FileLedger;
import io.vigil.ledger.LedgerEntry;
import io.vigil.ledger.LedgerOptions;
import io.vigil.ledger.LedgerReader;
import io.vigil.ledger.LedgerStore;
import io.vigil.ledger.LedgerVerifier;
import io.vigil.sink.AuditSink;
import io.vigil.sink.EventFormats;
import io.vigil.sink.KafkaSinkOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Many hosts into tamper-evident ledgers through Kafka, against one ledger fed directly, in one JVM and one run:
 * <ul>
 *   <li><em>kafka</em>: a real KRaft broker in this JVM (Kafka's own test kit); the Kafka sink writes the events in
 *       batches of {@code --batch}, a transaction each, to a topic of {@code --partitions} partitions; a sequencer
 *       appends each partition into its file ledger. Timed from the first batch sent to the last event in a ledger;
 *       then every ledger is verified and the events counted, each exactly once;</li>
 *   <li><em>direct</em>, the peer: the same events appended in batches of the same size to one file ledger with the
 *       sequencer's ledger options, the same durability.</li>
 * </ul>
 * A round of each side runs untimed first; the sides' order turns each round. The broker and the sequencer run in
 * this JVM and count as ours in the other processes' share of the CPUs. Usage: {@code KafkaBench [--events N]
 * [--rounds N] [--batch N] [--partitions N] [--dir DIR]}.
 */
public final class KafkaBench {
    private static final List<String> SIDES = List.of("kafka", "catch-up", "direct");
    private static final double TARGET_RATIO = 0.5;

    private KafkaBench() {
    }

    /** A run; {@code sentPerSecond} is the Kafka sink's own rate, every batch committed to the topic. */
    private record Run(String side, double eventsPerSecond, double sentPerSecond, double cpuMicrosPerEvent,
                       String check, double others, long jitMillis, Map<String, Double> microsByPart) {
    }

    /** This JVM's threads by part of the path; the first group a thread's name matches takes it. */
    private static final List<ThreadCpu.Group> PARTS = List.of(
            new ThreadCpu.Group("sink", Pattern.compile("^(kafka-producer|java$)")),
            new ThreadCpu.Group("sequencer", Pattern.compile("^(vigil-sequencer|ForkJoinPool|kafka-coordinat)")),
            new ThreadCpu.Group("ledger", Pattern.compile("^vigil-")),
            new ThreadCpu.Group("broker", Pattern.compile("^(data-plane|kafka|quorum|raft|TxnMarker|AddPartitions"
                    + "|group-coord|ExpirationReap|executor|LogDir|share|transaction|feature|broker|controller)")),
            new ThreadCpu.Group("JIT", Pattern.compile("Compiler")),
            new ThreadCpu.Group("GC", Pattern.compile("^(GC |G1 |VM Thread|VM Periodic)")));

    public static void main(String[] argv) throws Exception {
        Args args = new Args(argv, Set.of("events", "rounds", "warmup", "batch", "partitions", "dir"), Set.of());
        int n = (int) args.getLong("events", 300_000);
        int rounds = (int) args.getLong("rounds", 3);
        int warmup = (int) args.getLong("warmup", 2);
        int batch = (int) args.getLong("batch", 1_024);
        int partitions = (int) args.getLong("partitions", 1);
        Path dir = Path.of(args.get("dir", Files.createTempDirectory("vigil-kafka-bench").toString()));
        Workload workload = new Workload();
        List<AuditEvent> events = new ArrayList<>(n);
        long start = System.currentTimeMillis() - n;
        for (int i = 0; i < n; i++) {
            // One tenant per partition, so that the records spread over the partitions by their key.
            long ms = start + i;
            events.add(VigilEvents.at(workload.event(i), ms).tenant("tenant-" + (i % partitions)).build());
        }
        System.out.printf(Locale.ROOT, "Kafka bench: %,d events a run in batches of %,d, %d partition(s), %d rounds after"
                        + " %d untimed; %d CPUs; Java %s; one KRaft broker in this JVM%n", n, batch, partitions,
                rounds, warmup, Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
        List<Run> runs = new ArrayList<>();
        double[] parts;
        try (KafkaTestCluster cluster = KafkaTestCluster.start()) {
            for (int r = 1 - warmup; r <= rounds; r++) {
                List<String> order = new ArrayList<>(SIDES);
                Collections.rotate(order, -r);
                for (String side : order) {
                    Path runDir = Files.createDirectories(dir.resolve("round-" + (r + warmup) + "-" + side));
                    Run run = switch (side) {
                        case "kafka" -> kafka(cluster, runDir, "bench-" + (r + warmup), partitions, events, batch,
                                false);
                        case "catch-up" -> kafka(cluster, runDir, "full-" + (r + warmup), partitions, events, batch,
                                true);
                        default -> direct(runDir, events, batch);
                    };
                    if (r > 0) {
                        runs.add(run);
                        System.out.printf(Locale.ROOT, "  round %d, %-8s: %,.0f events/s (sent at %,.0f), %.1f µs of"
                                + " CPU an event, JIT compiling %,d ms meanwhile, check %s, other processes %.0f%% of"
                                + " the CPUs%n", r, side, run.eventsPerSecond(), run.sentPerSecond(),
                                run.cpuMicrosPerEvent(), run.jitMillis(), run.check(), 100 * run.others());
                        if (!run.microsByPart().isEmpty()) {
                            System.out.println("      CPU µs an event by thread: " + byPart(run.microsByPart()));
                        }
                    }
                    BenchFiles.deleteTree(runDir);
                }
            }
            parts = parts(cluster, events, batch);
        }
        double kafka = median(runs, "kafka", Run::eventsPerSecond);
        double direct = median(runs, "direct", Run::eventsPerSecond);
        boolean checked = runs.stream().allMatch(r -> r.check().equals("ok"));
        System.out.println();
        System.out.println("| measure (median of " + rounds + " rounds) | value | target | met |");
        System.out.println("|---|---:|---|---|");
        System.out.printf(Locale.ROOT, "| Kafka sink → topic (%d partition%s) → vigil sequence → file ledger%s, first"
                        + " batch sent to last event appended | %,.0f events/s (%.2f× direct) | ≥ %.1f× direct | %s |%n",
                partitions, partitions == 1 ? "" : "s", partitions == 1 ? "" : "s", kafka, kafka / direct,
                TARGET_RATIO, kafka / direct >= TARGET_RATIO ? "yes" : "no");
        double catchUp = median(runs, "catch-up", Run::eventsPerSecond);
        System.out.printf(Locale.ROOT, "| the sequencer alone, appending a topic the sink filled before (producers and"
                + " brokers elsewhere) | %,.0f events/s (%.2f× direct) | | |%n", catchUp, catchUp / direct);
        System.out.printf(Locale.ROOT, "| the Kafka sink alone, every batch committed to the topic (pipelined runs) |"
                + " %,.0f events/s | | |%n", median(runs, "kafka", Run::sentPerSecond));
        System.out.printf(Locale.ROOT, "| the same events straight into one file ledger, batches of %,d (the peer) |"
                + " %,.0f events/s | | |%n", batch, direct);
        System.out.printf(Locale.ROOT, "| every event in exactly one ledger, once, every ledger verified | %s | every"
                + " run | %s |%n", checked ? "all " + runs.size() + " runs" : String.join(", ", runs.stream()
                .map(r -> r.side() + " " + r.check()).toList()), checked ? "yes" : "no");
        System.out.printf(Locale.ROOT, "| CPU time an event, every thread of this JVM (broker, sink, sequencer, ledger)"
                        + " | kafka %.1f µs, catch-up %.1f µs, direct %.1f µs | | |%n",
                median(runs, "kafka", Run::cpuMicrosPerEvent), median(runs, "catch-up", Run::cpuMicrosPerEvent),
                median(runs, "direct", Run::cpuMicrosPerEvent));
        for (String side : List.of("kafka", "catch-up")) {
            Map<String, Double> medians = new LinkedHashMap<>();
            for (String part : runs.stream().filter(r -> r.side().equals(side)).findFirst().orElseThrow()
                    .microsByPart().keySet()) {
                medians.put(part, median(runs, side, r -> r.microsByPart().getOrDefault(part, 0.0)));
            }
            System.out.printf(Locale.ROOT, "| CPU µs an event by thread, %s (median) | %s | | |%n", side,
                    byPart(medians));
        }
        // What 0.5x would take: every CPU busy, CPUs / (half the peer's rate); against it, what the broker, the sink
        // and the ledger (the peer's own cost) take before the sequencer reads or parses anything.
        int cpus = Runtime.getRuntime().availableProcessors();
        double budget = cpus * 1e6 / (TARGET_RATIO * direct);
        double fixed = median(runs, "kafka", r -> r.microsByPart().getOrDefault("broker", 0.0))
                + median(runs, "kafka", r -> r.microsByPart().getOrDefault("sink", 0.0))
                + median(runs, "direct", Run::cpuMicrosPerEvent);
        System.out.printf(Locale.ROOT, "| CPU an event that %.1f× direct allows on %d CPUs, all busy | %.1f µs; the"
                + " broker, the sink and the ledger (as fed directly) already take %.1f µs of it | | |%n",
                TARGET_RATIO, cpus, budget, fixed);
        System.out.printf(Locale.ROOT, "| where an event's CPU goes, each part alone (after the rounds): the sink and the"
                        + " broker writing it %.1f µs, a plain read_committed consumer and the broker reading it %.1f µs,"
                        + " parsing it back into an event %.1f µs, the ledger appending it (direct) %.1f µs | | | |%n",
                parts[0], parts[1], parts[2], median(runs, "direct", Run::cpuMicrosPerEvent));
        System.out.println("| other processes' share of the CPUs, per run | " + String.join(", ", runs.stream()
                .map(r -> String.format(Locale.ROOT, "%s %.0f%%", r.side(), 100 * r.others())).toList()) + " | | |");
    }

    /**
     * The sink sending while the sequencer appends; or, {@code catchUp}, the sink filling the topic first (untimed)
     * and then the sequencer alone appending it, as when producers and brokers are on other machines.
     */
    private static Run kafka(KafkaTestCluster cluster, Path dir, String topic, int partitions, List<AuditEvent> events,
                             int batch, boolean catchUp) throws Exception {
        cluster.createTopic(topic, partitions, Map.of());
        Path ledgers = Files.createDirectories(dir.resolve("ledgers"));
        AuditSink sink = KafkaSinks.open(KafkaSinkOptions.of(cluster.bootstrap(), topic, "bench-" + topic),
                EventFormats.jsonl());
        long filled = System.nanoTime();
        if (catchUp) {
            send(sink, events, batch);
            filled = System.nanoTime() - filled;
        }
        CpuMeter cpu = CpuMeter.start();
        ThreadCpu threads = ThreadCpu.start(PARTS);
        long jit = jitMillis();
        long t0 = System.nanoTime();
        long took;
        long sent;
        Map<String, Double> cpuByThread;
        try (Sequencer sequencer = Sequencer.start(SequencerOptions.of(cluster.bootstrap(), topic,
                new SequencerTarget.Files(ledgers)))) {
            if (!catchUp) {
                send(sink, events, batch);
            }
            sent = catchUp ? filled : System.nanoTime() - t0;
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
            while (KafkaTestCluster.fileEntries(ledgers, topic) < events.size()) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the ledgers hold " + KafkaTestCluster.fileEntries(ledgers, topic)
                            + " of " + events.size() + " events after 10 minutes");
                }
                Thread.sleep(20);
            }
            took = System.nanoTime() - t0;
            // before the sequencer's threads end: an ended thread's time can no longer be read
            cpuByThread = threads.since();
        } finally {
            sink.close();
        }
        double others = cpu.othersShare(took);
        double cpuPerEvent = cpu.ownCpuSince() / 1e3 / events.size();
        jit = jitMillis() - jit;
        Map<String, Double> byPart = new LinkedHashMap<>();
        cpuByThread.forEach((part, seconds) -> byPart.put(part, seconds * 1e6 / events.size()));
        return new Run(catchUp ? "catch-up" : "kafka", events.size() / (took / 1e9), events.size() / (sent / 1e9),
                cpuPerEvent, check(ledgers, topic, events), others, jit, byPart);
    }

    /**
     * The CPU time an event of each part of the Kafka path alone, this JVM's threads: the sink writing the events
     * (the broker's work included), a plain consumer reading them (no parsing), and parsing each record's value.
     */
    private static double[] parts(KafkaTestCluster cluster, List<AuditEvent> events, int batch) throws Exception {
        String topic = "parts";
        cluster.createTopic(topic, 1, Map.of());
        CpuMeter write = CpuMeter.start();
        try (AuditSink sink = KafkaSinks.open(KafkaSinkOptions.of(cluster.bootstrap(), topic, "parts"),
                EventFormats.jsonl())) {
            send(sink, events, batch);
        }
        double writeMicros = write.ownCpuSince() / 1e3 / events.size();
        List<byte[]> values = new ArrayList<>(events.size());
        CpuMeter read = CpuMeter.start();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrap(),
                ConsumerConfig.GROUP_ID_CONFIG, "parts",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "10000",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName()))) {
            TopicPartition tp = new TopicPartition(topic, 0);
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            long end = consumer.endOffsets(List.of(tp)).get(tp);
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
            while (consumer.position(tp) < end && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> values.add(r.value()));
            }
        }
        double readMicros = read.ownCpuSince() / 1e3 / events.size();
        long checksum = 0;
        int parsed = 0;
        CpuMeter parse = CpuMeter.start();
        for (byte[] v : values) {
            for (AuditEvent e : KafkaSinks.events(v)) {
                checksum += e.type().length();
                parsed++;
            }
        }
        double parseMicros = parse.ownCpuSince() / 1e3 / Math.max(1, parsed);
        if (parsed != events.size() || checksum == 0) {
            throw new IllegalStateException("read " + parsed + " of " + events.size() + " events");
        }
        return new double[] {writeMicros, readMicros, parseMicros};
    }

    private static void send(AuditSink sink, List<AuditEvent> events, int batch) throws Exception {
        for (int i = 0; i < events.size(); i += batch) {
            sink.write(events.subList(i, Math.min(events.size(), i + batch)));
        }
    }

    private static Run direct(Path dir, List<AuditEvent> events, int batch) throws Exception {
        CpuMeter cpu = CpuMeter.start();
        long jit = jitMillis();
        long t0 = System.nanoTime();
        try (LedgerStore store = FileLedger.open(dir.resolve("ledger"), LedgerOptions.defaults("bench/direct"))) {
            for (int i = 0; i < events.size(); i += batch) {
                store.append(events.subList(i, Math.min(events.size(), i + batch)));
            }
        }
        long took = System.nanoTime() - t0;
        double rate = events.size() / (took / 1e9);
        return new Run("direct", rate, rate, cpu.ownCpuSince() / 1e3 / events.size(), "ok", cpu.othersShare(took),
                jitMillis() - jit, Map.of());
    }

    /**
     * The JIT's compiling time so far, all compiler threads. The broker's code is large and compiles for minutes;
     * a run during which it still does shares the CPUs with it, which a broker in a long-running process would not.
     */
    private static long jitMillis() {
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        return jit != null && jit.isCompilationTimeMonitoringSupported() ? jit.getTotalCompilationTime() : -1;
    }

    /** Every ledger verifies, and together they hold each event exactly once. */
    private static String check(Path ledgers, String topic, List<AuditEvent> events) throws Exception {
        Set<UUID> seen = new HashSet<>();
        long entries = 0;
        try (Stream<Path> dirs = Files.list(ledgers)) {
            for (Path p : dirs.filter(Files::isDirectory).toList()) {
                if (!LedgerVerifier.of(p).verify().intact()) {
                    return "ledger " + p.getFileName() + " does not verify";
                }
                try (LedgerReader r = FileLedger.openReader(p); Stream<LedgerEntry> all = r.entries(0, r.size())) {
                    for (LedgerEntry e : (Iterable<LedgerEntry>) all::iterator) {
                        if (e.event().tenant().isPresent()) {
                            entries++;
                            seen.add(e.event().id());
                        }
                    }
                }
            }
        }
        Set<UUID> sent = new HashSet<>();
        events.forEach(e -> sent.add(e.id()));
        if (entries != events.size() || !seen.equals(sent)) {
            return entries + " entries, " + seen.size() + " distinct, for " + events.size() + " events";
        }
        return "ok";
    }

    private static String byPart(Map<String, Double> micros) {
        return String.join(", ", micros.entrySet().stream()
                .map(e -> String.format(Locale.ROOT, "%s %.1f", e.getKey(), e.getValue())).toList());
    }

    private static double median(List<Run> runs, String side, ToDoubleFunction<Run> f) {
        return Medians.of(runs, r -> r.side().equals(side), f);
    }
}
