package io.vigil;

import java.time.Duration;
import java.util.Objects;

/**
 * The shape of the pipeline between callers and sinks. Fixed when the log is built.
 *
 * @param queueCapacity   events the queue holds (rounded up to a power of two)
 * @param batchSize       most events handed to the sinks at once
 * @param overflow        what {@code record} does when the queue is full
 * @param blockTimeout    how long {@link OverflowPolicy#BLOCK} waits for room
 * @param shutdownTimeout how long {@code close} (and the shutdown hook) waits for the queue to drain
 * @param retry           how failing sink writes are retried
 * @param shutdownHook    whether a JVM shutdown hook drains the log
 */
public record PipelineOptions(int queueCapacity, int batchSize, OverflowPolicy overflow, Duration blockTimeout,
                              Duration shutdownTimeout, RetryPolicy retry, boolean shutdownHook) {

    /** Longest wait any option may ask for; longer ones are mistakes (and overflow nanosecond arithmetic). */
    public static final Duration MAX_WAIT = Duration.ofHours(1);

    /** 65 536 events, batches of 1 024, block up to 100 ms, 10 s to drain, default retry, with a shutdown hook. */
    public static final PipelineOptions DEFAULT = new PipelineOptions(65_536, 1_024, OverflowPolicy.BLOCK,
            Duration.ofMillis(100), Duration.ofSeconds(10), RetryPolicy.DEFAULT, true);

    public PipelineOptions {
        if (queueCapacity < 2 || queueCapacity > (1 << 26)) {
            throw new IllegalArgumentException("pipeline.queueCapacity must be between 2 and 67108864, was " + queueCapacity);
        }
        if (batchSize < 1 || batchSize > 65_536) {
            throw new IllegalArgumentException("pipeline.batchSize must be between 1 and 65536, was " + batchSize);
        }
        Objects.requireNonNull(overflow, "overflow");
        Objects.requireNonNull(blockTimeout, "blockTimeout");
        Objects.requireNonNull(shutdownTimeout, "shutdownTimeout");
        Objects.requireNonNull(retry, "retry");
        if (blockTimeout.isNegative() || shutdownTimeout.isNegative()) {
            throw new IllegalArgumentException("pipeline timeouts must not be negative");
        }
        if (blockTimeout.compareTo(MAX_WAIT) > 0 || shutdownTimeout.compareTo(MAX_WAIT) > 0) {
            throw new IllegalArgumentException("pipeline.blockTimeout and pipeline.shutdownTimeout must be at most "
                    + MAX_WAIT.toHours() + "h, were " + blockTimeout + " and " + shutdownTimeout);
        }
    }

    public PipelineOptions withQueueCapacity(int v) {
        return new PipelineOptions(v, batchSize, overflow, blockTimeout, shutdownTimeout, retry, shutdownHook);
    }

    public PipelineOptions withBatchSize(int v) {
        return new PipelineOptions(queueCapacity, v, overflow, blockTimeout, shutdownTimeout, retry, shutdownHook);
    }

    public PipelineOptions withOverflow(OverflowPolicy v) {
        return new PipelineOptions(queueCapacity, batchSize, v, blockTimeout, shutdownTimeout, retry, shutdownHook);
    }

    public PipelineOptions withBlockTimeout(Duration v) {
        return new PipelineOptions(queueCapacity, batchSize, overflow, v, shutdownTimeout, retry, shutdownHook);
    }

    public PipelineOptions withShutdownTimeout(Duration v) {
        return new PipelineOptions(queueCapacity, batchSize, overflow, blockTimeout, v, retry, shutdownHook);
    }

    public PipelineOptions withRetry(RetryPolicy v) {
        return new PipelineOptions(queueCapacity, batchSize, overflow, blockTimeout, shutdownTimeout, v, shutdownHook);
    }

    public PipelineOptions withShutdownHook(boolean v) {
        return new PipelineOptions(queueCapacity, batchSize, overflow, blockTimeout, shutdownTimeout, retry, v);
    }
}
