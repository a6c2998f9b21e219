package io.vigil.logback.internal;

import io.vigil.AuditContext;
import io.vigil.event.AuditEvent;

import java.util.Objects;

/**
 * A logging event resolved into an audit event, with what recording it later needs.
 *
 * @param event    the audit event, complete but for id (and what the recorder stamps)
 * @param type     the event's type name
 * @param unmapped true when it is recorded under the fallback type {@code security.event.unmapped}
 * @param context  the correlation context current when it was logged, reopened if it is recorded on another thread
 */
public record MappedEvent(AuditEvent.Builder event, String type, boolean unmapped, AuditContext context) {

    public MappedEvent {
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(context, "context");
    }
}
