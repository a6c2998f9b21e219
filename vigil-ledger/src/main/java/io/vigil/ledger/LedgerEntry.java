package io.vigil.ledger;

import io.vigil.event.AuditEvent;

import java.util.Objects;

/**
 * An entry as the ledger holds it.
 *
 * @param seq   its position
 * @param event the event
 * @param hash  hash(seq), hex
 * @param line  the stored line (ledger format v1, without its newline): the canonical event with seq, prevHash and
 *              hash
 */
public record LedgerEntry(long seq, AuditEvent event, String hash, String line) {
    public LedgerEntry {
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(hash, "hash");
        Objects.requireNonNull(line, "line");
    }
}
