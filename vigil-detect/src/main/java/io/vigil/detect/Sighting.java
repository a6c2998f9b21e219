package io.vigil.detect;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * One event a detector remembers: its id (so a finding can name the events that caused it), its own timestamp (the
 * windows are measured in event time, so a replay finds what live detection found), the source ip, when the event
 * had one, and the value the detector tracks, when it tracks one (the account tried, the user agent, the network).
 */
public record Sighting(UUID eventId, Instant timestamp, Optional<String> ip, Optional<String> value) {

    public Sighting {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(timestamp, "timestamp");
        Objects.requireNonNull(ip, "ip must be an Optional, not null");
        Objects.requireNonNull(value, "value must be an Optional, not null");
    }

    /** A sighting that tracks no value: only when and from where. */
    public Sighting(UUID eventId, Instant timestamp, Optional<String> ip) {
        this(eventId, timestamp, ip, Optional.empty());
    }

    /** Whether this sighting tracks {@code v} as its value. */
    public boolean tracks(String v) {
        return value.filter(v::equals).isPresent();
    }
}
