package io.vigil.detect;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * One event a detector remembers: its id (so a finding can name the events that caused it), its own timestamp (the
 * windows are measured in event time, so a replay finds what live detection found) and the source ip, when the event
 * had one.
 */
public record Sighting(UUID eventId, Instant timestamp, Optional<String> ip) {

    public Sighting {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(timestamp, "timestamp");
        Objects.requireNonNull(ip, "ip must be an Optional, not null");
    }
}
