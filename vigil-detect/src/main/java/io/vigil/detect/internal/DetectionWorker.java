package io.vigil.detect.internal;

import io.vigil.event.AuditEvent;
import io.vigil.internal.time.Ticker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.function.Consumer;

/**
 * The detection thread: takes the batches the log's writer hands the stage, in order, and inspects them, so that the
 * detectors run beside the ledger's writing instead of in its way.
 *
 * <p>Why a thread of its own: on the writer thread every microsecond of detection was a microsecond the ledger waited;
 * here the writer only queues a batch. The queue is bounded ({@code capacity} batches): when detection falls behind,
 * the writer waits for room, so no event goes undetected and memory stays bounded; the log's own queue and its
 * overflow policy then apply to callers, as for a slow sink.
 *
 * <p>The thread starts with the first batch. After {@link #close} batches are inspected on the caller's thread, so a
 * write after close is still seen once.
 */
public final class DetectionWorker {
    private static final Logger LOG = LoggerFactory.getLogger("io.vigil.detect.DetectionStage");
    /** Put after the last batch by {@link #close}; a list of its own, since its identity marks it. */
    private static final List<AuditEvent> STOP = Collections.unmodifiableList(new ArrayList<>());

    private final BlockingQueue<List<AuditEvent>> queue;
    private final Consumer<List<AuditEvent>> inspect;
    private final ThreadFactory threads;
    private final Progress progress;
    private Thread thread;
    private boolean closed;

    /**
     * @param capacity batches waiting at most
     * @param inspect  inspects one batch; must not throw (the stage counts and logs a failing detector itself)
     */
    public DetectionWorker(int capacity, Consumer<List<AuditEvent>> inspect, ThreadFactory threads, Ticker ticker) {
        if (capacity < 1) {
            throw new IllegalArgumentException("detection queue capacity " + capacity + " must be positive");
        }
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.inspect = Objects.requireNonNull(inspect, "inspect");
        this.threads = Objects.requireNonNull(threads, "threads");
        this.progress = new Progress(Objects.requireNonNull(ticker, "ticker"));
    }

    /** One daemon thread named for what it does, so a thread dump shows it. */
    public static ThreadFactory daemonThreads() {
        return r -> {
            Thread t = new Thread(r, "vigil-detect");
            t.setDaemon(true);
            return t;
        };
    }

    /**
     * Hands a batch to the detection thread, waiting for room when detection is behind; called by the log's writer.
     * The batch is copied: the writer may reuse its list.
     */
    public void submit(List<AuditEvent> batch) {
        if (batch.isEmpty()) {
            return;
        }
        List<AuditEvent> copy = List.copyOf(batch);
        // Under the lock, so that close() cannot put its stop marker between the check and this batch.
        synchronized (this) {
            if (closed) {
                inspect.accept(copy);
                return;
            }
            if (thread == null) {
                thread = threads.newThread(this::run);
                thread.start();
            }
            progress.added();
            boolean interrupted = false;
            while (true) {
                try {
                    queue.put(copy); // the thread takes without the lock, so room comes
                    break;
                } catch (InterruptedException e) {
                    // Keep the batch, and its place in the order: the thread is taking, so room comes soon.
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Waits until every batch submitted before this call has been inspected.
     *
     * @return false when the timeout passed first
     */
    public boolean awaitInspected(Duration timeout) {
        return progress.awaitAll(timeout);
    }

    /**
     * Lets the thread inspect what is queued, then stops it, waiting at most {@code timeout}.
     *
     * @return false when it did not finish in time (it is then interrupted; what it had not inspected is not seen)
     */
    public boolean close(Duration timeout) {
        Thread t;
        synchronized (this) {
            if (closed) {
                return true;
            }
            closed = true;
            t = thread;
        }
        if (t == null) {
            return true;
        }
        try {
            queue.put(STOP);
            t.join(Math.max(1, timeout.toMillis()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (t.isAlive()) {
            LOG.error("the detection thread did not finish within {} ms; {} queued batch(es) are not inspected",
                    timeout.toMillis(), queue.size());
            t.interrupt();
            return false;
        }
        return true;
    }

    private void run() {
        while (true) {
            List<AuditEvent> batch;
            try {
                batch = queue.take();
            } catch (InterruptedException e) {
                return;
            }
            if (batch == STOP) {
                return;
            }
            try {
                inspect.accept(batch);
            } catch (RuntimeException e) {
                // inspect catches a failing detector itself; anything else is reported and the thread lives on.
                LOG.error("detection failed on a batch of {} event(s); they are not inspected", batch.size(), e);
            } finally {
                progress.finished();
            }
        }
    }
}
