package io.vigil.cli;

import io.vigil.event.Actor;
import io.vigil.event.AuditEvent;

/** How the tables show an event's actor, address and target: {@code user:alice}, {@code invoice:inv-1234}. */
final class EventCells {
    private EventCells() {
    }

    static String actor(AuditEvent e) {
        return e.actor().map(a -> a.type().jsonName() + a.id().map(id -> ":" + id).orElse("")).orElse("");
    }

    static String ip(AuditEvent e) {
        return e.actor().flatMap(Actor::ip).orElse("");
    }

    static String target(AuditEvent e) {
        return e.target().map(t -> t.type() + t.id().map(id -> ":" + id).orElse("")).orElse("");
    }
}
