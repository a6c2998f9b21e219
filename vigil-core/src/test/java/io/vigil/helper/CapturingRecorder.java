package io.vigil.helper;

import io.vigil.AuditReceipt;
import io.vigil.EventRecorder;
import io.vigil.event.AuditEvent;
import io.vigil.event.EventType;
import io.vigil.event.Outcome;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/** An {@link EventRecorder} that stamps id and time as the AuditLog would, builds the event and keeps it. */
final class CapturingRecorder implements EventRecorder {
    static final Instant NOW = Instant.parse("2026-01-29T12:00:00.123Z");

    final List<AuditEvent> events = new ArrayList<>();

    @Override
    public CompletableFuture<AuditReceipt> record(AuditEvent.Builder builder) {
        if (builder.id().isEmpty()) {
            builder.id(UUID.randomUUID());
        }
        if (builder.timestamp().isEmpty()) {
            builder.timestamp(NOW);
        }
        AuditEvent event = builder.build();
        events.add(event);
        return CompletableFuture.completedFuture(
                new AuditReceipt(event.id(), AuditReceipt.Status.WRITTEN, OptionalLong.empty(), Optional.empty()));
    }

    /** The one event recorded so far. */
    AuditEvent only() {
        assertThat(events).hasSize(1);
        return events.get(0);
    }

    /** The last event recorded. */
    AuditEvent last() {
        assertThat(events).isNotEmpty();
        return events.get(events.size() - 1);
    }

    /** Checks that {@code e} is of {@code type} with the type's action and severity and the given outcome. */
    static AuditEvent assertType(AuditEvent e, EventType type, Outcome outcome) {
        assertThat(e.type()).isEqualTo(type.name());
        assertThat(e.category()).isEqualTo(type.category());
        assertThat(e.action()).isEqualTo(type.action());
        assertThat(e.outcome()).isEqualTo(outcome);
        assertThat(e.severity()).isEqualTo(type.severity());
        return e;
    }

    /** As {@link #assertType(AuditEvent, EventType, Outcome)} with the type's default outcome. */
    static AuditEvent assertType(AuditEvent e, EventType type) {
        return assertType(e, type, type.outcome());
    }
}
