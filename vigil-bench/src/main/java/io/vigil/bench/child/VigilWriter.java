package io.vigil.bench.child;

import io.vigil.AuditLog;
import io.vigil.AuditStats;
import io.vigil.OverflowPolicy;
import io.vigil.PipelineOptions;
import io.vigil.bench.workload.SampleEvent;
import io.vigil.bench.workload.VigilEvents;
import io.vigil.sink.FileSinkOptions;
import io.vigil.sink.FsyncPolicy;
import io.vigil.sink.Sinks;

import java.nio.file.Path;
import java.time.Duration;

/** Vigil with one JSONL file sink. */
final class VigilWriter implements StackWriter {
    /**
     * The in-memory queue length all three stacks get (Vigil's queue, Log4j2's ring buffer, Logback's AsyncAppender
     * queue); the parent passes it to every child. Defaults to Vigil's default capacity.
     */
    static final int QUEUE = Integer.getInteger("vigil.bench.queue", 65_536);

    private final FsyncPolicy fsync;
    private AuditLog audit;
    private AuditStats stats;

    VigilWriter(FsyncPolicy fsync) {
        this.fsync = fsync;
    }

    @Override
    public void open(Path file) throws Exception {
        // One file for the whole run (no size or daily rotation) so its line count is the whole answer.
        FileSinkOptions sink = FileSinkOptions.defaults(file).withFsync(fsync).withMaxFileBytes(0).withRotateDaily(false);
        // BLOCK with a long timeout: a producer faster than the disk waits instead of dropping, like the others.
        PipelineOptions pipeline = PipelineOptions.DEFAULT.withShutdownHook(false).withQueueCapacity(QUEUE)
                .withOverflow(OverflowPolicy.BLOCK).withBlockTimeout(Duration.ofSeconds(60));
        audit = AuditLog.builder().selfAudit(false).pipeline(pipeline).sink("file", Sinks.jsonlFile(sink)).build();
    }

    @Override
    public void write(SampleEvent event) {
        audit.record(VigilEvents.builder(event));
    }

    @Override
    public void finish() {
        if (!audit.flush(Duration.ofMinutes(10))) {
            throw new IllegalStateException("Vigil flush timed out");
        }
        audit.close();
        stats = audit.stats();
    }

    @Override
    public long reportedLost() {
        return stats.dropped() + stats.failed();
    }
}
