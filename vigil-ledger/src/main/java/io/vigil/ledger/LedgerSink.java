package io.vigil.ledger;

import io.vigil.event.AuditEvent;
import io.vigil.sink.AuditSink;
import io.vigil.sink.EntryPosition;

import java.io.IOException;
import java.util.List;
import java.util.Objects;

/**
 * Plugs a ledger into an {@link io.vigil.AuditLog}: each batch the pipeline hands over is appended, made durable
 * and committed before the batch's receipts complete, and the receipts carry each event's seq and hash.
 */
public final class LedgerSink implements AuditSink {
    private final LedgerStore store;

    public LedgerSink(LedgerStore store) {
        this.store = Objects.requireNonNull(store, "store");
    }

    @Override
    public List<EntryPosition> write(List<AuditEvent> batch) throws IOException {
        return store.append(batch);
    }

    @Override
    public void close() throws IOException {
        store.close();
    }

    /** The store this sink writes to. */
    public LedgerStore store() {
        return store;
    }
}
