package io.vigil.siem;

import io.vigil.event.AuditEvent;

import java.util.Optional;

/**
 * Turns one event into one line in a SIEM's schema: no line breaks inside, no trailing newline. The integrity, when
 * the event is in a ledger, travels along in each format's place for it.
 */
public interface SiemFormat {

    /** The format's name in configuration and on the command line: {@code ocsf}, {@code ecs}, {@code cef}. */
    String name();

    /** The event as one line of this format. */
    String format(AuditEvent event, Optional<Integrity> integrity);
}
