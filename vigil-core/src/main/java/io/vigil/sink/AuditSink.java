package io.vigil.sink;

import io.vigil.event.AuditEvent;

import java.io.IOException;
import java.util.List;

/**
 * Where events end up. The pipeline calls a sink from one writer thread only, with batches in record order.
 *
 * <p>Contract: {@link #write} returns once the whole batch is accepted (for a durable sink: durable) or throws,
 * having written none of it, so that the pipeline's retry neither loses nor duplicates events. Events handed to a
 * sink have already been filtered and redacted.
 */
public interface AuditSink extends AutoCloseable {

    /**
     * Writes a batch.
     *
     * @return one position per event, in order, for sinks that assign positions (a ledger); otherwise an empty list
     * @throws IOException when the batch could not be written; nothing of it may remain
     */
    List<EntryPosition> write(List<AuditEvent> batch) throws IOException;

    /** Pushes buffered data to its destination. */
    default void flush() throws IOException {
    }

    /** Flushes and releases resources; called once, from the writer thread or on close. */
    @Override
    void close() throws IOException;
}
