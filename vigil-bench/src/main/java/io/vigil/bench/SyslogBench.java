package io.vigil.bench;

import io.vigil.AuditLog;
import io.vigil.OverflowPolicy;
import io.vigil.PipelineOptions;
import io.vigil.bench.child.CpuMeter;
import io.vigil.bench.workload.VigilEvents;
import io.vigil.bench.workload.Workload;
import io.vigil.event.AuditEvent;
import io.vigil.siem.Rsyslog;
import io.vigil.siem.SyslogSink;
import io.vigil.siem.SyslogSinks;
import io.vigil.sink.AuditSink;
import io.vigil.sink.EventFormats;
import io.vigil.sink.FileSinkOptions;
import io.vigil.sink.Sinks;
import io.vigil.sink.SyslogOptions;
import io.vigil.sink.SyslogTransport;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

/**
 * What sending to a SIEM over syslog costs against writing a file, in one JVM and one run. Each round, in turn:
 * <ul>
 *   <li><em>syslog-tls</em>: an {@code AuditLog} with the syslog sink, TLS with octet counting, to a real rsyslogd on
 *       loopback (started here, with a certificate made here) that writes each record to a file; timed from the first
 *       {@code record} to the last event counted in rsyslogd's file, and, separately, to the last receipt (the events
 *       durable in the sink's spool);</li>
 *   <li><em>file</em>, the peer: the same events through an {@code AuditLog} with the JSONL file sink, fsync per batch,
 *       timed to the last receipt (durable in the file).</li>
 * </ul>
 * The events are built before the clock. The other processes' share of the CPUs is reported, rsyslogd counted as
 * ours. Usage: {@code SyslogBench [--events N] [--rounds N] [--dir DIR]}.
 */
public final class SyslogBench {
    private static final List<String> SIDES = List.of("syslog-tls", "file");

    private SyslogBench() {
    }

    private record Run(String side, double acceptedPerSecond, double deliveredPerSecond, double others) {
    }

    public static void main(String[] argv) throws Exception {
        Args args = new Args(argv, Set.of("events", "rounds", "dir"), Set.of());
        int n = (int) args.getLong("events", 300_000);
        int rounds = (int) args.getLong("rounds", 3);
        Path dir = Path.of(args.get("dir", Files.createTempDirectory("vigil-syslog-bench").toString()));
        Workload workload = new Workload();
        List<AuditEvent> events = new ArrayList<>(n);
        long start = System.currentTimeMillis() - n;
        for (int i = 0; i < n; i++) {
            long ms = start + i;
            events.add(VigilEvents.at(workload.event(i), ms).build());
        }
        System.out.printf(Locale.ROOT, "Syslog bench: %,d events a run, %d rounds after one untimed of each side; %d CPUs;"
                        + " Java %s; rsyslogd on loopback over TLS%n", n, rounds,
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
        List<Run> runs = new ArrayList<>();
        for (int r = 0; r <= rounds; r++) {
            List<String> order = new ArrayList<>(SIDES);
            Collections.rotate(order, -r);
            for (String side : order) {
                Path runDir = Files.createDirectories(dir.resolve("round-" + r + "-" + side));
                Run run = side.equals("file") ? file(runDir, events) : syslog(runDir, events);
                if (r > 0) {
                    runs.add(run);
                    System.out.printf(Locale.ROOT, "  round %d, %-10s: accepted %,.0f events/s, delivered %,.0f"
                                    + " events/s, other processes %.0f%% of the CPUs%n", r, side,
                            run.acceptedPerSecond(), run.deliveredPerSecond(), 100 * run.others());
                }
                BenchFiles.deleteTree(runDir);
            }
        }
        double syslog = median(runs, "syslog-tls", Run::deliveredPerSecond);
        double spooled = median(runs, "syslog-tls", Run::acceptedPerSecond);
        double file = median(runs, "file", Run::deliveredPerSecond);
        System.out.println();
        System.out.println("| measure (median of " + rounds + " rounds) | events/s | vs the file sink |");
        System.out.println("|---|---:|---:|");
        System.out.printf(Locale.ROOT, "| syslog sink, TLS to rsyslogd on loopback, every event written by rsyslogd"
                + " | %,.0f | %.2f× |%n", syslog, syslog / file);
        System.out.printf(Locale.ROOT, "| syslog sink, accepted (durable in its spool, the receipts) | %,.0f | %.2f× |%n",
                spooled, spooled / file);
        System.out.printf(Locale.ROOT, "| JSONL file sink, fsync per batch (the peer) | %,.0f | 1.00× |%n", file);
        System.out.println("| other processes' share of the CPUs, per run | " + String.join(", ", runs.stream()
                .map(r -> String.format(Locale.ROOT, "%s %.0f%%", r.side(), 100 * r.others())).toList()) + " | |");
    }

    private static Run file(Path dir, List<AuditEvent> events) throws Exception {
        AuditSink sink = Sinks.jsonlFile(FileSinkOptions.defaults(dir.resolve("audit.jsonl")).withMaxFileBytes(0)
                .withRotateDaily(false));
        CpuMeter cpu = CpuMeter.start();
        long t0 = System.nanoTime();
        try (AuditLog log = log(sink)) {
            recordAll(log, events);
        }
        long took = System.nanoTime() - t0;
        double rate = events.size() / (took / 1e9);
        return new Run("file", rate, rate, cpu.othersShare(took));
    }

    private static Run syslog(Path dir, List<AuditEvent> events) throws Exception {
        try (Rsyslog receiver = new Rsyslog(dir.resolve("rsyslog"), SyslogTransport.TLS).start()) {
            SyslogOptions options = SyslogOptions.defaults("localhost", receiver.port(), dir.resolve("spool"))
                    .withTrustFile(receiver.certificate());
            SyslogSink sink = SyslogSinks.open(options, EventFormats.jsonl());
            long receiverCpu = receiver.cpuNanos();
            CpuMeter cpu = CpuMeter.start();
            long t0 = System.nanoTime();
            long accepted;
            try (AuditLog log = log(sink)) {
                recordAll(log, events);
                accepted = System.nanoTime() - t0;
                long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
                while (receiver.count() < events.size()) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("rsyslogd got " + receiver.count() + " of " + events.size()
                                + " events in 10 minutes; sink " + sink.stats());
                    }
                    Thread.sleep(5);
                }
            }
            long took = System.nanoTime() - t0;
            long count = receiver.count();
            if (count != events.size()) {
                throw new IllegalStateException("rsyslogd wrote " + count + " records for " + events.size()
                        + " events");
            }
            double others = cpu.othersShare(took, Math.max(0, receiver.cpuNanos() - receiverCpu));
            return new Run("syslog-tls", events.size() / (accepted / 1e9), events.size() / (took / 1e9), others);
        }
    }

    private static AuditLog log(AuditSink sink) {
        // BLOCK with a long timeout: a caller faster than the sink waits instead of dropping events.
        PipelineOptions pipeline = PipelineOptions.DEFAULT.withShutdownHook(false).withOverflow(OverflowPolicy.BLOCK)
                .withBlockTimeout(Duration.ofSeconds(60));
        return AuditLog.builder().selfAudit(false).pipeline(pipeline).sink("bench", sink).build();
    }

    /** Records every event and waits for every receipt: each event is then durable in the sink. */
    private static void recordAll(AuditLog log, List<AuditEvent> events) {
        List<CompletableFuture<?>> receipts = new ArrayList<>(events.size());
        for (AuditEvent e : events) {
            receipts.add(log.record(e));
        }
        CompletableFuture.allOf(receipts.toArray(CompletableFuture[]::new)).join();
    }

    private static double median(List<Run> runs, String side, ToDoubleFunction<Run> f) {
        return Medians.of(runs, r -> r.side().equals(side), f);
    }
}
