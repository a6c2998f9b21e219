package io.vigil.spring.internal.ledger;

import io.vigil.event.AuditEvent;
import io.vigil.sink.AuditSink;
import io.vigil.sink.EntryPosition;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Wraps the ledger's sink to see whether its writes succeed: the health indicator goes DOWN while the newest
 * attempt failed. The pipeline's own retry, logging and counting of failed events stay as they are.
 */
public final class WriteMonitor implements AuditSink {

    /** What the newest write attempts said. */
    public record State(Optional<Instant> lastSuccess, Optional<Instant> lastFailure, Optional<String> lastError,
                        long failedAttempts, boolean failing) {
    }

    private final AuditSink delegate;
    private final Clock clock;
    private final AtomicReference<State> state = new AtomicReference<>(
            new State(Optional.empty(), Optional.empty(), Optional.empty(), 0, false));
    private final AtomicLong failedAttempts = new AtomicLong();
    private final AtomicLong size;

    /** @param initialSize the store's size when it was opened */
    public WriteMonitor(AuditSink delegate, Clock clock, long initialSize) {
        this.delegate = delegate;
        this.clock = clock;
        this.size = new AtomicLong(initialSize);
    }

    @Override
    public List<EntryPosition> write(List<AuditEvent> batch) throws IOException {
        try {
            List<EntryPosition> out = delegate.write(batch);
            for (EntryPosition p : out) {
                // Spooled events have no position yet; they are counted when replayed into the store.
                if (p != null) {
                    size.accumulateAndGet(p.seq() + 1, Math::max);
                }
            }
            State s = state.get();
            state.set(new State(Optional.of(clock.instant()), s.lastFailure(), s.lastError(), s.failedAttempts(), false));
            return out;
        } catch (IOException | RuntimeException | Error e) {
            long n = failedAttempts.incrementAndGet();
            State s = state.get();
            // The message only: an exception's text from the store names files or sizes, never event content.
            state.set(new State(s.lastSuccess(), Optional.of(clock.instant()),
                    Optional.of(e.getClass().getSimpleName() + ": " + e.getMessage()), n, true));
            throw e;
        }
    }

    @Override
    public void flush() throws IOException {
        delegate.flush();
    }

    @Override
    public void close() throws IOException {
        delegate.close();
    }

    /**
     * Entries in the ledger as far as this process wrote them (the store's size at open, then the highest seq it
     * was given), readable from any thread without touching the store.
     */
    public long size() {
        return size.get();
    }

    public State state() {
        return state.get();
    }

    /** The sink this one watches. */
    public AuditSink delegate() {
        return delegate;
    }
}
