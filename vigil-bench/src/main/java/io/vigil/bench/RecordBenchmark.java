package io.vigil.bench;

import io.vigil.AuditLog;
import io.vigil.AuditReceipt;
import io.vigil.AuditStats;
import io.vigil.OverflowPolicy;
import io.vigil.PipelineOptions;
import io.vigil.bench.workload.VigilEvents;
import io.vigil.bench.workload.Workload;
import io.vigil.event.AuditEvent;
import io.vigil.sink.FileSinkOptions;
import io.vigil.sink.FsyncPolicy;
import io.vigil.sink.Sinks;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.ThreadParams;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The caller's cost of recording one event: building the {@link AuditEvent.Builder} and {@code AuditLog.record},
 * with the writer thread writing JSONL (fsync none) behind it.
 *
 * <p>Called back to back, any producer outruns the single writer, and a full queue would turn this into a
 * measurement of the overflow path. So each iteration is short (200 ms), the queue (2^21 events) is large enough to
 * take a whole iteration, and the iteration teardown (not timed) waits for the writer to drain. The policy is DROP so
 * a full queue could not hide as blocking; drops are counted and printed at the end of the trial and should be 0.
 * The heap is pre-touched: on this project's VMs a page's first touch costs tens of microseconds and showed up as a
 * p90 of 12 µs for building an event that otherwise takes 0.3 µs.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 25, time = 200, timeUnit = TimeUnit.MILLISECONDS)
@Measurement(iterations = 10, time = 200, timeUnit = TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g", "-XX:+AlwaysPreTouch"})
@State(Scope.Benchmark)
public class RecordBenchmark {
    private static final int QUEUE = 1 << 21;

    private final Workload workload = new Workload();
    private Path dir;
    private AuditLog audit;
    private long recorded;
    private long dropped;
    private long written;

    /** Each benchmark thread walks its own stride of the workload, so threads record different events. */
    @State(Scope.Thread)
    public static class Cursor {
        long next;
        int stride;

        @Setup
        public void setup(ThreadParams params) {
            next = params.getThreadIndex();
            stride = params.getThreadCount();
        }

        long take() {
            long i = next;
            next += stride;
            return i;
        }
    }

    @Setup(Level.Trial)
    public void createDir() throws IOException {
        dir = Files.createTempDirectory("vigil-jmh");
    }

    @Setup(Level.Iteration)
    public void open() throws IOException {
        Path file = dir.resolve("audit.jsonl");
        Files.deleteIfExists(file); // a fresh file per iteration keeps the disk use of a run small
        FileSinkOptions sink = FileSinkOptions.defaults(file).withFsync(FsyncPolicy.NONE).withMaxFileBytes(0)
                .withRotateDaily(false);
        PipelineOptions pipeline = PipelineOptions.DEFAULT.withShutdownHook(false).withQueueCapacity(QUEUE)
                .withOverflow(OverflowPolicy.DROP);
        audit = AuditLog.builder().selfAudit(false).pipeline(pipeline).sink("file", Sinks.jsonlFile(sink)).build();
    }

    @TearDown(Level.Iteration)
    public void drain() throws IOException {
        audit.flush(Duration.ofMinutes(2));
        audit.close();
        AuditStats s = audit.stats();
        recorded += s.recorded();
        dropped += s.dropped();
        written += s.written();
        Files.deleteIfExists(dir.resolve("audit.jsonl"));
    }

    @TearDown(Level.Trial)
    public void report() throws IOException {
        // Printed by the forked JVM; JMH relays it into the run's output.
        System.out.printf("%n[RecordBenchmark] recorded=%d written=%d dropped=%d%n", recorded, written, dropped);
        Files.deleteIfExists(dir);
    }

    /** Build and record, one caller thread. */
    @Benchmark
    @Threads(1)
    public CompletableFuture<AuditReceipt> record1Thread(Cursor c) {
        return audit.record(VigilEvents.builder(workload.event(c.take())));
    }

    /** Build and record, eight caller threads at once (on this machine's cores, with the writer among them). */
    @Benchmark
    @Threads(8)
    public CompletableFuture<AuditReceipt> record8Threads(Cursor c) {
        return audit.record(VigilEvents.builder(workload.event(c.take())));
    }

    /** Only building the event (workload values, actor, target, details): the part of the cost before record. */
    @Benchmark
    @Threads(1)
    public AuditEvent.Builder buildOnly(Cursor c) {
        return VigilEvents.builder(workload.event(c.take()));
    }
}
