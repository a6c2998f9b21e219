package io.vigil.postgres;

import io.vigil.event.AuditEvent;

import java.util.Objects;

/**
 * An entry as the ledger holds it.
 *
 * @param seq   its position
 * @param event the event
 * @param hash  hash(seq), hex
 * @param line  the canonical line (ledger format v1), what was hashed with {@code hash} spliced in
 */
public record StoredEntry(long seq, AuditEvent event, String hash, String line) {
    public StoredEntry {
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(hash, "hash");
        Objects.requireNonNull(line, "line");
    }
}
