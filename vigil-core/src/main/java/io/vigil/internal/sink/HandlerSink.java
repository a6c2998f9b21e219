package io.vigil.internal.sink;

import io.vigil.event.AuditEvent;
import io.vigil.sink.AuditSink;
import io.vigil.sink.EntryPosition;

import java.io.IOException;
import java.util.List;
import java.util.function.Consumer;

/**
 * Hands each event to application code. When the handler throws part-way through a batch, the pipeline retries
 * the same batch; this sink resumes after the last event the handler accepted, so none is handed over twice.
 */
public final class HandlerSink implements AuditSink {
    private final Consumer<AuditEvent> handler;
    private List<AuditEvent> pending;
    private int delivered;

    public HandlerSink(Consumer<AuditEvent> handler) {
        this.handler = handler;
    }

    @Override
    public List<EntryPosition> write(List<AuditEvent> batch) throws IOException {
        if (batch != pending) {
            pending = batch;
            delivered = 0;
        }
        try {
            while (delivered < batch.size()) {
                handler.accept(batch.get(delivered));
                delivered++;
            }
        } catch (RuntimeException e) {
            throw new IOException("audit handler failed on event " + batch.get(delivered).id() + ": " + e, e);
        }
        pending = null;
        return List.of();
    }

    @Override
    public void close() {
        // nothing held
    }
}
