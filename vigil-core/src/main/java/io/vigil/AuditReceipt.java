package io.vigil;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;

/**
 * What became of a recorded event, once every sink has accepted it (and every durable sink has made it durable).
 *
 * @param eventId the event's id
 * @param status  whether the event was written or filtered out before any sink saw it
 * @param seq     the position a ledger sink gave it, when one did
 * @param hash    the chain hash a ledger sink gave it, when one did
 */
public record AuditReceipt(UUID eventId, Status status, OptionalLong seq, Optional<String> hash) {

    /** Whether sinks received the event. */
    public enum Status {
        /** Every sink whose filter admitted the event accepted it. */
        WRITTEN,
        /** The log's filter (or every sink's filter) excluded the event; nothing was written, by configuration. */
        FILTERED
    }

    public AuditReceipt {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(seq, "seq");
        Objects.requireNonNull(hash, "hash");
    }

    static AuditReceipt written(UUID id) {
        return new AuditReceipt(id, Status.WRITTEN, OptionalLong.empty(), Optional.empty());
    }

    static AuditReceipt filtered(UUID id) {
        return new AuditReceipt(id, Status.FILTERED, OptionalLong.empty(), Optional.empty());
    }
}
