package io.vigil.kafka;

import io.vigil.kafka.internal.SequencerLoop;

import java.io.IOException;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Reads a topic written by Kafka sinks and appends each partition into a ledger of its own (see
 * {@link SequencerTarget}), in partition order, each event exactly once across crashes and rebalances. Sequencers
 * with one group id share the partitions as a consumer group.
 *
 * <p>How: the partition's next offset is stored with its ledger in the same durable step (PostgreSQL: the append's
 * transaction; files: an offset file written after each append, with a recovery that skips what a crash left
 * appended but not yet recorded), the consumer seeks to it when it is assigned the partition, and a sequencer that
 * lost a partition without noticing is fenced (PostgreSQL: an owner epoch checked in each append's transaction;
 * files: an exclusive lock held while it owns the partition). A record holds one or more events, one JSON line each;
 * lines that are no Vigil event are kept aside (a {@code .rejected.jsonl} file, or a table) and logged, never
 * appended and never dropped. An event whose id is among
 * a partition's last 10 000 is skipped: a sink whose commit timed out but landed sends its batch again.
 *
 * <p>File ledgers live in one directory that every sequencer of the group must share (one host, or a file system
 * with working POSIX locks): a partition that moved to a sequencer with another directory would start a second
 * ledger from offset 0. Sequencers on several hosts keep their ledgers in PostgreSQL.
 */
public final class Sequencer implements AutoCloseable {
    private static final AtomicInteger THREADS = new AtomicInteger();
    private final SequencerLoop loop;
    private final Thread thread;
    private final AtomicReference<RuntimeException> failure = new AtomicReference<>();

    private Sequencer(SequencerOptions options) {
        this.loop = new SequencerLoop(options);
        this.thread = new Thread(() -> {
            try {
                loop.run();
            } catch (RuntimeException e) {
                failure.set(e);
            }
        }, "vigil-sequencer-" + options.topic() + "-" + THREADS.incrementAndGet());
    }

    /** Starts a sequencer on a thread of its own; it joins the group and takes its partitions over. */
    public static Sequencer start(SequencerOptions options) {
        Sequencer s = new Sequencer(Objects.requireNonNull(options, "options"));
        s.thread.start();
        return s;
    }

    /** Whether it is still running (it stops on {@link #close()} or when it cannot go on). */
    public boolean isRunning() {
        return thread.isAlive();
    }

    /** The partitions whose ledgers it owns now (none before it has joined the group, nor after it stopped). */
    public Set<Integer> partitions() {
        return loop.ownedPartitions();
    }

    /**
     * Waits until it stops, at most {@code timeout}.
     *
     * @return false when it is still running
     * @throws IOException when it stopped on a failure, whose message says why
     */
    public boolean await(Duration timeout) throws IOException, InterruptedException {
        thread.join(Math.max(1, timeout.toMillis()));
        if (thread.isAlive()) {
            return false;
        }
        RuntimeException e = failure.get();
        if (e != null) {
            throw new IOException("sequencer stopped: " + e.getMessage(), e);
        }
        return true;
    }

    /**
     * Stops: the append in progress finishes, every owned ledger is closed with a final checkpoint and its offset
     * stored, and the consumer leaves the group.
     *
     * @throws IOException when it had stopped on a failure
     */
    @Override
    public void close() throws IOException {
        loop.stop();
        boolean interrupted = false;
        while (thread.isAlive()) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        RuntimeException e = failure.get();
        if (e != null) {
            throw new IOException("sequencer stopped: " + e.getMessage(), e);
        }
    }
}
