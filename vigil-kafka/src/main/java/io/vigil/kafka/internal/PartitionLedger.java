package io.vigil.kafka.internal;

import io.vigil.event.AuditEvent;

import java.io.IOException;
import java.util.List;
import java.util.UUID;

/**
 * One partition's ledger as the sequencer owns it: the ledger and the partition's next offset, stored together so
 * that one durable step moves both.
 */
interface PartitionLedger extends AutoCloseable {

    /** The offset of the first record not yet in the ledger: where the consumer seeks on assignment. */
    long nextOffset();

    /**
     * Whether the event is already in the ledger although its record lies at or after {@link #nextOffset()}: a crash
     * between the ledger's append and the offset's store (files only; PostgreSQL stores both in one transaction).
     */
    boolean alreadyAppended(UUID id);

    /**
     * Appends the events, keeps the rejected records and stores {@code nextOffset}, as one durable step.
     *
     * @throws FencedException when another sequencer owns the partition now; nothing was written
     * @throws IOException     when it could not be made durable; the stored offset is unchanged
     */
    void append(List<AuditEvent> events, List<Rejected> rejected, long nextOffset) throws IOException;

    /** The event ids of the last {@code count} entries (fewer when the ledger is shorter), oldest first. */
    List<UUID> lastIds(int count) throws IOException;

    /** Entries in the ledger. */
    long size() throws IOException;

    /** Closes the ledger (with a final checkpoint) and gives up ownership. */
    @Override
    void close() throws IOException;
}
