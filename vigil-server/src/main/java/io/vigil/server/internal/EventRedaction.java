package io.vigil.server.internal;

import io.vigil.event.AuditEvent;
import io.vigil.internal.Redactor;
import io.vigil.redact.RedactionPolicy;

/** What every tenant's events go through before they are written: the redaction any Vigil log applies. */
final class EventRedaction {
    /** A redactor per request thread: a redactor keeps state between events and is not shared. */
    private static final ThreadLocal<Redactor> REDACTOR = ThreadLocal.withInitial(
            () -> new Redactor(RedactionPolicy.DEFAULT, true));

    private EventRedaction() {
    }

    static AuditEvent apply(AuditEvent event) {
        return REDACTOR.get().apply(event);
    }
}
