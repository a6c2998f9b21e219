package io.vigil.json;

import io.vigil.event.AuditEvent;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * An event read from a line that may carry extra top-level members next to the event's own, such as a ledger
 * line's {@code seq}, {@code prevHash} and {@code hash}.
 *
 * @param event  the event
 * @param extras the extra members in document order; values are as {@link EventJson#parseLine} reads them
 *               (String, Boolean, Long, BigInteger, Double, List, Map), never null
 */
public record ParsedEvent(AuditEvent event, Map<String, Object> extras) {

    public ParsedEvent {
        Objects.requireNonNull(event, "event is required");
        extras = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(extras, "extras is required")));
    }
}
