package io.vigil.internal;

import io.vigil.AuditOverflowException;
import io.vigil.AuditReceipt;
import io.vigil.AuditSinkException;
import io.vigil.AuditStats;
import io.vigil.OverflowPolicy;
import io.vigil.PipelineOptions;
import io.vigil.config.SinkConfig;
import io.vigil.event.AuditEvent;
import io.vigil.filter.EventFilter;
import io.vigil.internal.time.Sleeper;
import io.vigil.internal.time.Ticker;
import io.vigil.sink.EntryPosition;
import org.jctools.queues.MpscArrayQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * The bounded multi-producer queue and the single writer thread that drains it in batches into the sinks.
 *
 * <p>Producers only offer to a lock-free JCTools queue (and wake the writer if it sleeps), so {@code record} costs
 * a few hundred nanoseconds. The writer redacts, routes each event to the sinks whose filter admits it, retries
 * failing sinks with backoff, and completes receipts. The sink list is read once per batch, so a reconfiguration
 * takes effect between batches: every event goes exactly once to each sink that is configured when its batch is
 * written.
 *
 * <p>Every wait is measured on an injected {@link Ticker} and spent through an injected {@link Sleeper}, so tests
 * drive deadlines, backoff and rate limits by hand.
 */
public final class Pipeline {
    private static final Logger LOG = LoggerFactory.getLogger("io.vigil.AuditLog");
    private static final AuditEvent[] NO_EVENTS = new AuditEvent[0];

    /** One queued thing: an event with its receipt and the settings it was recorded under, or a flush barrier. */
    private static final class Item {
        final AuditEvent event;
        final CompletableFuture<AuditReceipt> receipt;
        final Redactor redactor;
        final CompletableFuture<Void> barrier;

        Item(AuditEvent event, CompletableFuture<AuditReceipt> receipt, Redactor redactor, CompletableFuture<Void> barrier) {
            this.event = event;
            this.receipt = receipt;
            this.redactor = redactor;
            this.barrier = barrier;
        }
    }

    /** Longest an idle writer sleeps before looking at the queue again by itself. */
    static final long IDLE_PARK_NANOS = 1_000_000L;
    /** How often a producer under {@link OverflowPolicy#BLOCK} looks for room. */
    private static final long BLOCK_POLL_NANOS = 20_000L;
    /** How often {@code flush} tries again to queue its barrier into a full queue. */
    private static final long FLUSH_POLL_NANOS = 50_000L;
    /** Longest single real wait while a deadline on the ticker is pending, so a moved ticker is seen soon. */
    private static final long DEADLINE_SLICE_NANOS = 10_000_000L;

    private final PipelineOptions options;
    private final int wakeThreshold;
    private final MpscArrayQueue<Item> queue;
    private final Thread writer;
    private final Ticker ticker;
    private final Sleeper sleeper;
    private final RateLimitedLog dropLog;
    private final WriteFailureLog failureLog;
    private volatile List<SinkBinding> sinks;
    private volatile boolean parked;
    private volatile boolean stopRequested;
    private volatile boolean closed;

    /** Producers between their closed-check and their offer; close() waits for none to remain. */
    private final LongAdder inFlight = new LongAdder();
    private final LongAdder recorded = new LongAdder();
    private final LongAdder filtered = new LongAdder();
    private final LongAdder dropped = new LongAdder();
    private volatile long written;
    private volatile long failed;
    private volatile long sinkRetries;

    public Pipeline(PipelineOptions options, List<SinkBinding> sinks, String threadName, Ticker ticker, Sleeper sleeper) {
        this.options = options;
        this.ticker = ticker;
        this.sleeper = sleeper;
        this.dropLog = new RateLimitedLog(LOG, Duration.ofSeconds(1), 1, ticker);
        this.failureLog = new WriteFailureLog(LOG, ticker);
        this.queue = new MpscArrayQueue<>(options.queueCapacity());
        this.wakeThreshold = Math.max(1, Math.min(Math.min(options.batchSize(), options.queueCapacity() / 4), 256));
        this.sinks = List.copyOf(sinks);
        this.writer = new Thread(this::runWriter, threadName);
        this.writer.setDaemon(true);
        this.writer.start();
    }

    /** Counts an event the log's filter excluded. */
    public void countFiltered() {
        filtered.increment();
    }

    /**
     * Queues an event. Never blocks longer than the block timeout; throws only under {@link OverflowPolicy#FAIL}.
     */
    public CompletableFuture<AuditReceipt> submit(AuditEvent event, Redactor redactor) {
        CompletableFuture<AuditReceipt> receipt = new CompletableFuture<>();
        Item item = new Item(event, receipt, redactor, null);
        inFlight.increment();
        try {
            return offer(item);
        } finally {
            inFlight.decrement();
        }
    }

    private CompletableFuture<AuditReceipt> offer(Item item) {
        AuditEvent event = item.event;
        CompletableFuture<AuditReceipt> receipt = item.receipt;
        if (closed) {
            return reject(item, "the audit log is closed");
        }
        if (queue.offer(item)) {
            recorded.increment();
            nudgeWriter();
            return receipt;
        }
        switch (options.overflow()) {
            case FAIL:
                dropped.increment();
                throw new AuditOverflowException("audit queue full (" + options.queueCapacity()
                        + " events); event " + event.id() + " of type " + event.type() + " was not recorded");
            case BLOCK:
                long deadline = ticker.read() + options.blockTimeout().toNanos();
                do {
                    wakeWriter();
                    sleeper.park(BLOCK_POLL_NANOS);
                    if (queue.offer(item)) {
                        recorded.increment();
                        wakeWriter();
                        return receipt;
                    }
                } while (ticker.read() - deadline < 0 && !closed);
                return reject(item, "audit queue full for " + options.blockTimeout().toMillis() + " ms");
            case DROP:
            default:
                return reject(item, "audit queue full");
        }
    }

    private CompletableFuture<AuditReceipt> reject(Item item, String why) {
        return reject(item, why, true);
    }

    private CompletableFuture<AuditReceipt> reject(Item item, String why, boolean callerThread) {
        dropped.increment();
        AuditEvent e = item.event;
        if (callerThread && closed && options.overflow() == OverflowPolicy.FAIL) {
            throw new AuditOverflowException(why + "; event " + e.id() + " was not recorded");
        }
        dropLog.warn("{} audit event(s) dropped: {} (policy {}); for example id={}", why, options.overflow().configName(),
                WriteFailureLog.correlation(e));
        item.receipt.completeExceptionally(new AuditOverflowException(why + "; event " + e.id() + " was dropped"));
        return item.receipt;
    }

    /**
     * After an ordinary offer: wakes a parked writer only once a batch's worth is waiting. Unparking a thread costs
     * microseconds on some machines, far more than the rest of {@code record}; an idle writer wakes by itself
     * within {@link #IDLE_PARK_NANOS}, so a lone event waits at most that long.
     */
    private void nudgeWriter() {
        if (parked && queue.size() >= wakeThreshold) {
            LockSupport.unpark(writer);
        }
    }

    private void wakeWriter() {
        if (parked) {
            LockSupport.unpark(writer);
        }
    }

    /** Replaces the sinks from the next batch on; the writer closes the ones no longer listed. */
    public void replaceSinks(List<SinkBinding> next) {
        this.sinks = List.copyOf(next);
        wakeWriter();
    }

    public List<SinkBinding> sinks() {
        return sinks;
    }

    /**
     * Waits until everything queued before this call has been written and the sinks flushed.
     *
     * @return false when the timeout passed first
     */
    public boolean flush(Duration timeout) {
        CompletableFuture<Void> barrier = new CompletableFuture<>();
        Item item = new Item(null, null, null, barrier);
        long deadline = ticker.read() + timeout.toNanos();
        while (!queue.offer(item)) {
            if (!writer.isAlive() || ticker.read() - deadline > 0) {
                return false;
            }
            wakeWriter();
            sleeper.park(FLUSH_POLL_NANOS);
        }
        wakeWriter();
        try {
            while (true) {
                long left = deadline - ticker.read();
                try {
                    barrier.get(Math.max(0, Math.min(left, DEADLINE_SLICE_NANOS)), TimeUnit.NANOSECONDS);
                    return true;
                } catch (TimeoutException e) {
                    if (left <= 0) {
                        return false;
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException e) {
            return false; // barriers are only ever completed normally; kept for the checked signature
        }
    }

    /** Stops accepting events, drains the queue within the timeout, closes the sinks. */
    public boolean close(Duration timeout) {
        closed = true;
        // Every producer that saw the log open has its event in the queue once none is in flight (the increment
        // precedes the closed-check, so a producer either sees closed or is counted here).
        long waitUntil = ticker.read() + timeout.toNanos();
        while (inFlight.sum() != 0 && ticker.read() - waitUntil < 0) {
            Thread.onSpinWait();
            Thread.yield();
        }
        stopRequested = true;
        LockSupport.unpark(writer);
        try {
            long left = waitUntil - ticker.read();
            do {
                writer.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(Math.min(left, DEADLINE_SLICE_NANOS))));
            } while (writer.isAlive() && (left = waitUntil - ticker.read()) > 0);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (writer.isAlive()) {
            LOG.error("audit log did not drain within {} ms; {} queued event(s) may not be written", timeout.toMillis(),
                    queue.size());
            writer.interrupt();
            return false;
        }
        // A producer that passed the closed check just before close() may have offered after the writer's last
        // drain; with the writer gone this thread may consume, and such events must not vanish unanswered.
        Item late;
        while ((late = queue.poll()) != null) {
            if (late.barrier != null) {
                late.barrier.complete(null);
            } else {
                recorded.decrement();
                reject(late, "the audit log closed while the event was being recorded", false);
            }
        }
        return true;
    }

    public boolean isClosed() {
        return closed;
    }

    public AuditStats stats() {
        return new AuditStats(recorded.sum(), filtered.sum(), dropped.sum(), written, failed, sinkRetries,
                queue.size(), queue.capacity());
    }

    // ---- writer thread ---------------------------------------------------------------------------------------

    private void runWriter() {
        ArrayList<Item> batch = new ArrayList<>(options.batchSize());
        List<SinkBinding> current = sinks;
        int idle = 0;
        while (true) {
            List<SinkBinding> latest = sinks;
            if (latest != current) {
                closeRemoved(current, latest);
                current = latest;
            }
            int n = queue.drain(batch::add, options.batchSize());
            if (n > 0) {
                idle = 0;
                try {
                    process(batch, current);
                } catch (Throwable t) {
                    // Whatever a sink or handler threw, the writer must live on: fail this batch visibly and go on.
                    failBatch(batch, t);
                }
                batch.clear();
                continue;
            }
            if (stopRequested && queue.isEmpty()) {
                break;
            }
            if (++idle < 64) {
                Thread.onSpinWait();
            } else if (idle < 128) {
                Thread.yield();
            } else {
                parked = true;
                if (queue.isEmpty() && !stopRequested) {
                    sleeper.park(IDLE_PARK_NANOS);
                }
                parked = false;
            }
        }
        List<SinkBinding> latest = sinks;
        closeRemoved(current, latest);
        for (SinkBinding b : latest) {
            closeQuietly(b);
        }
    }

    private void failBatch(List<Item> batch, Throwable t) {
        List<AuditEvent> lost = new ArrayList<>();
        for (Item it : batch) {
            if (it.barrier == null && !it.receipt.isDone()) {
                lost.add(it.event);
            }
        }
        failed += lost.size();
        if (!lost.isEmpty()) {
            failureLog.writerFailed(lost, t);
        }
        for (Item it : batch) {
            if (it.barrier != null) {
                it.barrier.complete(null);
            } else if (!it.receipt.isDone()) {
                it.receipt.completeExceptionally(new AuditSinkException("the audit writer failed on event "
                        + it.event.id(), t));
            }
        }
    }

    private void closeRemoved(List<SinkBinding> before, List<SinkBinding> after) {
        IdentityHashMap<Object, Boolean> keep = new IdentityHashMap<>();
        for (SinkBinding b : after) {
            keep.put(b.sink(), Boolean.TRUE);
        }
        for (SinkBinding b : before) {
            // Sinks the application supplied stay open: a later reconfiguration may declare them again, and the
            // log closes them when it closes.
            if (!keep.containsKey(b.sink()) && !(b.config() instanceof SinkConfig.Custom)) {
                closeQuietly(b);
            }
        }
    }

    private static void closeQuietly(SinkBinding b) {
        try {
            b.sink().close();
        } catch (Exception e) {
            LOG.error("audit sink '{}' failed to close cleanly: {}", b.name(), e.toString(), e);
        }
    }

    private void process(List<Item> batch, List<SinkBinding> targets) {
        int n = batch.size();
        AuditEvent[] events = NO_EVENTS;
        Throwable[] failures = null;
        EntryPosition[] positions = null;
        boolean[] taken = null;
        List<CompletableFuture<Void>> barriers = null;
        int eventCount = 0;
        for (Item it : batch) {
            if (it.barrier == null) {
                eventCount++;
            }
        }
        if (eventCount > 0) {
            events = new AuditEvent[n];
            taken = new boolean[n];
            List<AuditEvent> unredacted = null;
            Throwable redactionFailure = null;
            for (int i = 0; i < n; i++) {
                Item it = batch.get(i);
                if (it.barrier != null) {
                    continue;
                }
                try {
                    events[i] = it.redactor.apply(it.event);
                } catch (RuntimeException ex) {
                    failures = failures == null ? new Throwable[n] : failures;
                    failures[i] = ex;
                    unredacted = unredacted == null ? new ArrayList<>() : unredacted;
                    unredacted.add(it.event);
                    redactionFailure = redactionFailure == null ? ex : redactionFailure;
                }
            }
            if (unredacted != null) {
                failureLog.redactionFailed(unredacted, redactionFailure);
            }
            for (SinkBinding binding : targets) {
                EventFilter filter = binding.config().filter();
                boolean all = filter.equals(EventFilter.ALL);
                ArrayList<AuditEvent> sub = new ArrayList<>(eventCount);
                int[] index = new int[eventCount];
                for (int i = 0; i < n; i++) {
                    AuditEvent e = events[i];
                    if (e != null && (all || filter.test(e))) { // events that failed redaction are null
                        index[sub.size()] = i;
                        sub.add(e);
                    }
                }
                if (sub.isEmpty()) {
                    continue;
                }
                try {
                    List<EntryPosition> result = writeWithRetry(binding, sub);
                    for (int k = 0; k < sub.size(); k++) {
                        taken[index[k]] = true;
                    }
                    if (!result.isEmpty()) {
                        if (result.size() != sub.size()) {
                            // The events were written; only the positions are unusable. Saying "not written" would
                            // invite a retry that duplicates them.
                            LOG.error("audit sink '{}' returned {} positions for {} written events; receipts carry none",
                                    binding.name(), result.size(), sub.size());
                        } else if (positions == null) {
                            positions = new EntryPosition[n];
                            for (int k = 0; k < sub.size(); k++) {
                                positions[index[k]] = result.get(k);
                            }
                        }
                    }
                } catch (Exception ex) {
                    failures = failures == null ? new Throwable[n] : failures;
                    for (int k = 0; k < sub.size(); k++) {
                        int i = index[k];
                        if (failures[i] == null) {
                            failures[i] = new AuditSinkException("sink '" + binding.name() + "' could not write event "
                                    + sub.get(k).id() + ": " + ex, ex);
                        }
                    }
                    failureLog.sinkFailed(binding.name(), options.retry().maxAttempts(), sub, ex);
                }
            }
        }
        long ok = 0;
        long bad = 0;
        for (int i = 0; i < n; i++) {
            if (batch.get(i).barrier == null) {
                if (failures != null && failures[i] != null) {
                    bad++;
                } else {
                    ok++;
                }
            }
        }
        // Counters first, so whoever a receipt wakes sees stats that already include its event.
        written += ok;
        failed += bad;
        for (int i = 0; i < n; i++) {
            Item it = batch.get(i);
            if (it.barrier != null) {
                barriers = barriers == null ? new ArrayList<>(2) : barriers;
                barriers.add(it.barrier);
                continue;
            }
            if (failures != null && failures[i] != null) {
                it.receipt.completeExceptionally(failures[i]);
            } else {
                EntryPosition p = positions == null ? null : positions[i];
                it.receipt.complete(new AuditReceipt(it.event.id(),
                        taken[i] ? AuditReceipt.Status.WRITTEN : AuditReceipt.Status.FILTERED,
                        p == null ? OptionalLong.empty() : OptionalLong.of(p.seq()),
                        p == null ? Optional.empty() : Optional.of(p.hash())));
            }
        }
        if (barriers != null) {
            for (SinkBinding b : targets) {
                try {
                    b.sink().flush();
                } catch (Exception ex) {
                    LOG.error("audit sink '{}' failed to flush: {}", b.name(), ex.toString(), ex);
                }
            }
            for (CompletableFuture<Void> f : barriers) {
                f.complete(null);
            }
        }
    }

    private List<EntryPosition> writeWithRetry(SinkBinding binding, List<AuditEvent> sub) throws Exception {
        int max = options.retry().maxAttempts();
        for (int attempt = 1; ; attempt++) {
            try {
                return binding.sink().write(sub);
            } catch (Exception ex) {
                if (attempt >= max || Thread.currentThread().isInterrupted()) {
                    throw ex;
                }
                sinkRetries++;
                Duration wait = options.retry().backoffAfter(attempt);
                failureLog.retrying(binding.name(), sub.size(), attempt, max, sub.get(0), wait, ex);
                try {
                    sleeper.sleep(wait.toNanos());
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw ex;
                }
            }
        }
    }
}
