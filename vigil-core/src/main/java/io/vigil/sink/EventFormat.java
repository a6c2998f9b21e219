package io.vigil.sink;

import io.vigil.event.AuditEvent;
import io.vigil.json.CanonicalBuffer;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * How a sink writes an event: one line, with no line break inside and no trailing newline. {@code jsonl} (the event's
 * canonical JSON) is built in; {@code vigil-siem} adds {@code ocsf}, {@code ecs} and {@code cef}. Implementations are
 * stateless and safe to share between threads; {@link EventFormats} finds them.
 */
public interface EventFormat {

    /** The format's name in configuration and on the command line, e.g. {@code jsonl} or {@code ocsf}. */
    String name();

    /**
     * The event as one line of this format. The position, when the event is in a ledger, travels along in the
     * format's place for it, so that a reader can go from the line to an inclusion proof.
     */
    String format(AuditEvent event, Optional<EntryPosition> position);

    /** Appends the line as UTF-8, without a newline. A format that can write bytes directly overrides this. */
    default void append(AuditEvent event, Optional<EntryPosition> position, CanonicalBuffer out) {
        byte[] line = format(event, position).getBytes(StandardCharsets.UTF_8);
        out.appendBytes(line, 0, line.length);
    }
}
