package io.vigil;

import io.vigil.event.AuditEvent;

import java.util.concurrent.CompletableFuture;

/**
 * Something that records events; {@link AuditLog} is the implementation, the category helpers are written against
 * this so they can be tested and reused on their own.
 */
@FunctionalInterface
public interface EventRecorder {

    /**
     * Records an event: fills in id and timestamp when unset, applies the current {@link AuditContext}, then hands
     * the event to the pipeline. Returns at once.
     *
     * @return a receipt that completes when every sink accepted the event, or exceptionally when one could not
     * @throws io.vigil.event.EventValidationException when the event is invalid
     */
    CompletableFuture<AuditReceipt> record(AuditEvent.Builder event);
}
