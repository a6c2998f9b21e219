package io.vigil.detect.internal;

import io.vigil.AuditLog;
import io.vigil.AuditReceipt;
import io.vigil.event.AuditEvent;
import io.vigil.internal.RateLimitedLog;
import io.vigil.internal.time.Ticker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * The findings' own bounded queue and the one thread that records them through the log.
 *
 * <p>The detectors run on the stage's detection thread, which the log's writer waits on when it is far behind. Were
 * that thread to record a finding itself it would wait on the log's queue, which only the writer drains: under
 * {@code OverflowPolicy.BLOCK} with both queues full neither would move until the block timeout dropped the finding.
 * Here the detection thread only offers the finding to this queue and goes on; the recorder thread waits for room in
 * the log's queue instead, while the writer empties it.
 *
 * <p>When the application gave an {@link AccountLocks}, the recorder also asks it about each finding after handing
 * the finding to the log, so the application's locker never runs on the writer or the detection thread either.
 */
public final class FindingRecorder {
    private static final Logger LOG = LoggerFactory.getLogger("io.vigil.detect.DetectionStage");
    private static final Duration LOG_INTERVAL = Duration.ofSeconds(1);

    private final BlockingQueue<AuditEvent> queue;
    private final int capacity;
    private final OwnEvents own;
    private final Optional<AccountLocks> locks;
    private final ThreadFactory threads;
    private final Ticker ticker;
    private final RateLimitedLog lostLog;
    private final RateLimitedLog lockErrorLog;
    private final LongAdder lost = new LongAdder();
    private final LongAdder lockErrors = new LongAdder();
    /** Findings accepted into the queue, and those dealt with: handed to the log (and to the locker), or lost. */
    private final Progress progress;
    private volatile AuditLog log;
    private volatile Thread thread;
    private volatile boolean closed;
    /** Whether the recorder is about to park or parked; only then does a new finding need to wake it. */
    private volatile boolean idle;

    /**
     * @param capacity findings the queue holds; one more is lost (counted and logged)
     * @param threads  makes the recorder thread when the recorder is started
     */
    public FindingRecorder(int capacity, OwnEvents own, Optional<AccountLocks> locks, ThreadFactory threads,
            Ticker ticker) {
        if (capacity < 1) {
            throw new IllegalArgumentException("findings queue capacity " + capacity + " must be positive");
        }
        this.capacity = capacity;
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.own = Objects.requireNonNull(own, "own");
        this.locks = Objects.requireNonNull(locks, "locks");
        this.threads = Objects.requireNonNull(threads, "threads");
        this.ticker = Objects.requireNonNull(ticker, "ticker");
        this.progress = new Progress(ticker);
        this.lostLog = new RateLimitedLog(LOG, LOG_INTERVAL, 1, ticker);
        this.lockErrorLog = new RateLimitedLog(LOG, LOG_INTERVAL, 1, ticker);
    }

    /** One daemon thread named for what it does, so a thread dump shows it. */
    public static ThreadFactory daemonThreads() {
        return r -> {
            Thread t = new Thread(r, "vigil-detect-recorder");
            t.setDaemon(true);
            return t;
        };
    }

    /**
     * Queues a finding without waiting; called on the detection thread. A finding that does not fit is lost: counted
     * and logged. Does not wake the recorder: call {@link #wake} once the batch's findings are queued.
     */
    public void offer(AuditEvent finding) {
        own.mark(finding.id());
        if (closed) {
            lose(finding, "the detection stage is closed");
            return;
        }
        if (!queue.offer(finding)) {
            lose(finding, "the findings queue is full (" + capacity + ")");
            return;
        }
        progress.added();
    }

    /**
     * Wakes the recorder for the findings offered since the last wake, when it sleeps. Once per batch rather than per
     * finding: waking a parked thread costs microseconds, and findings come in runs (a brute force makes two at once,
     * an attack many in a batch); a busy recorder finds them by itself.
     */
    public void wake() {
        Thread t = thread;
        if (t != null && idle) {
            LockSupport.unpark(t);
        }
    }

    /** Starts recording into {@code auditLog}, beginning with the findings queued so far. Once only. */
    public synchronized void start(AuditLog auditLog) {
        if (thread != null) {
            throw new IllegalStateException("the finding recorder is already started");
        }
        log = Objects.requireNonNull(auditLog, "auditLog");
        Thread t = threads.newThread(this::run);
        thread = t;
        t.start();
    }

    /**
     * Waits until every finding queued before this call has been handed to the log (or counted lost), and the locker
     * asked about it.
     *
     * @return false when the timeout passed first, or the recorder was never started
     */
    public boolean awaitRecorded(Duration timeout) {
        if (thread == null) {
            return false;
        }
        return progress.awaitAll(timeout);
    }

    /**
     * Stops accepting findings and waits at most {@code timeout} for the recorder to hand the queued ones to the log.
     * Findings still queued after that are counted lost.
     *
     * @return false when the recorder did not finish in time
     */
    public boolean close(Duration timeout) {
        closed = true;
        Thread t = thread;
        if (t == null) {
            drainLost("the detection stage closed before it was bound to a log");
            return true;
        }
        if (t == Thread.currentThread()) {
            return false; // closed from the locker; the loop ends by itself once the queue is empty
        }
        LockSupport.unpark(t);
        try {
            t.join(Math.max(1, timeout.toMillis()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (t.isAlive()) {
            LOG.error("the detection recorder did not finish within {} ms; {} queued finding(s) are lost",
                    timeout.toMillis(), queue.size());
            t.interrupt();
            drainLost("the detection stage closed before they were recorded");
            return false;
        }
        return true;
    }

    /** Findings and account locks that were not recorded. */
    public long lost() {
        return lost.sum();
    }

    /** Times the account locker threw. */
    public long lockErrors() {
        return lockErrors.sum();
    }

    private void run() {
        AuditLog target = log;
        while (true) {
            AuditEvent finding = queue.poll();
            if (finding == null) {
                if (closed) {
                    return;
                }
                idle = true;
                // Looked at again after announcing idleness: an offer that missed the flag is seen here instead.
                if (queue.isEmpty() && !closed) {
                    LockSupport.park(this); // offer and close unpark; a spurious return just polls again
                }
                idle = false;
                continue;
            }
            try {
                if (record(target, finding)) {
                    locks.ifPresent(l -> lock(target, l, finding));
                }
            } catch (RuntimeException e) {
                // Nothing above should throw; if something does, the finding is reported and the thread lives on.
                lose(finding, e.toString());
            } finally {
                progress.finished();
            }
        }
    }

    /** Hands an event to the log; false when the log refused it at once (it is then counted lost). */
    private boolean record(AuditLog target, AuditEvent event) {
        CompletableFuture<AuditReceipt> receipt;
        try {
            receipt = target.record(event);
        } catch (RuntimeException e) {
            lose(event, e.toString()); // the log's overflow policy is FAIL and its queue is full, or it is closing
            return false;
        }
        // Runs at once for a refused event, otherwise on the writer thread when a sink could not write it.
        receipt.whenComplete((r, failure) -> {
            if (failure != null) {
                lose(event, failure.toString());
            }
        });
        return !receipt.isCompletedExceptionally();
    }

    private void lock(AuditLog target, AccountLocks l, AuditEvent finding) {
        Optional<AuditEvent> locked;
        try {
            locked = l.lockFor(finding);
        } catch (RuntimeException e) {
            lockErrors.increment();
            lockErrorLog.warn("{} account locker failure(s); for example on finding {} {}: {}", finding.type(),
                    finding.id(), e.toString(), e);
            return;
        }
        locked.ifPresent(event -> {
            own.mark(event.id());
            record(target, event);
        });
    }

    private void drainLost(String why) {
        AuditEvent f;
        while ((f = queue.poll()) != null) {
            lose(f, why);
        }
    }

    private void lose(AuditEvent event, String why) {
        lost.increment();
        own.forget(event.id());
        lostLog.warn("{} detection event(s) not recorded; for example {} {}: {}", event.type(), event.id(), why);
    }
}
