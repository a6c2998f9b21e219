package io.vigil.server.internal;

import io.vigil.event.AuditEvent;
import io.vigil.event.Category;
import io.vigil.event.Outcome;
import io.vigil.ledger.AuditQuery;
import io.vigil.ledger.LedgerEntry;
import io.vigil.ledger.LedgerReader;
import io.vigil.ledger.LedgerStore;
import io.vigil.ledger.StoredCheckpoint;
import io.vigil.ledger.VerificationReport;
import io.vigil.ledger.checkpoint.VerifierKey;
import io.vigil.server.internal.index.EventIndex;

import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.LongConsumer;

/**
 * One tenant's ledger, with its own chain and checkpoints signed by the server's key, wherever it is kept: a file
 * ledger with its query index ({@link FileTenantLedger}) or a schema of its own in PostgreSQL
 * ({@link PostgresTenantLedger}). The routes see only this, so every feature works on either store.
 */
public interface TenantLedger extends AutoCloseable {

    /** A page of entries a query selected, and whether more match after them. */
    record Selected(List<LedgerEntry> entries, boolean more) {
    }

    /** The receipts of a batch, one per event in order, and how many of its events were new to the ledger. */
    record Appended(List<Receipt> receipts, int written) {
    }

    /** A query this store cannot answer as asked; the message says why and what it can do instead. */
    final class UnsupportedQuery extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        public UnsupportedQuery(String message) {
            super(message);
        }
    }

    String tenant();

    /** The ledger's read API: entries, proofs, checkpoints. */
    LedgerReader reader();

    /** The receipt of an event already in the ledger. */
    Optional<Receipt> receipt(UUID id) throws IOException;

    /**
     * The entries that match every filter, at most {@code query.limit()}, oldest first or newest first.
     *
     * @throws UnsupportedQuery when this store cannot answer in the order asked
     */
    Selected select(AuditQuery query, Optional<Category> category, Optional<Outcome> outcome, boolean newestFirst)
            throws IOException;

    /**
     * Appends the events not yet in the ledger, redacted as any Vigil log redacts, and returns once they are durable:
     * a receipt per event, in order; an event whose id is already in the ledger (or earlier in the same batch) gets the
     * receipt it already has and is not written again.
     *
     * @throws IOException when they could not be made durable; none of them is then in the ledger
     */
    Appended append(List<AuditEvent> events) throws IOException;

    /**
     * Verifies the whole ledger against the server's key; appends wait meanwhile. {@code total} hears once, before
     * the reading starts, how much work there is; {@code done} hears now and then how much is done, from the
     * verifier's threads: bytes of entries for a file ledger, entries for PostgreSQL.
     */
    VerificationReport verify(VerifierKey key, LongConsumer total, LongConsumer done) throws IOException;

    /** Signs a checkpoint of the current size now, when entries were added since the last. */
    void checkpoint() throws IOException;

    /**
     * The rule both stores follow for {@link #checkpoint()}: the store signs whenever asked, but reads and the timer
     * ask often, and an unchanged ledger needs no new note.
     */
    static void checkpointIfGrown(LedgerStore store, LedgerReader reader) throws IOException {
        List<StoredCheckpoint> cps = reader.checkpoints();
        long signed = cps.isEmpty() ? 0 : cps.get(cps.size() - 1).size();
        if (store.size() > signed) {
            store.checkpoint();
        }
    }

    /** The first and last minute (minutes since the epoch, UTC) that hold events, when any does. */
    Optional<long[]> minutes() throws IOException;

    /**
     * Counts per category in buckets of {@code width} minutes from minute {@code first} (inclusive) to {@code end}
     * (exclusive); each row's {@code minute} is its bucket's first minute.
     */
    List<EventIndex.MinuteCount> timeline(long first, long end, long width) throws IOException;

    /** Events and failures per category over time, for the viewer's chart. */
    default Timeline timeline(Optional<Instant> since, Optional<Instant> until, int buckets) throws IOException {
        return Timeline.of(this, since, until, buckets);
    }

    @Override
    void close() throws IOException;
}
