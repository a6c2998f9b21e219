package io.vigil.detect.internal;

import io.vigil.detect.Sighting;
import io.vigil.event.AuditEvent;
import io.vigil.event.EventIds;
import io.vigil.event.EventType;

import java.util.List;
import java.util.Map;

/** How every finding is built, so that all of them carry the same traceability. */
final class Findings {

    /** The detail naming the detector that made a finding. */
    static final String DETECTOR = "detector";
    /** The detail listing the ids of the events that caused a finding, oldest first. */
    static final String TRIGGERING_EVENT_IDS = "triggeringEventIds";

    private Findings() {
    }

    /**
     * A finding about {@code trigger}'s actor: stamped with the trigger's own timestamp (a replay of the same events
     * then yields the same findings at the same times), carrying its actor, tenant and service, a risk score capped at
     * 1.0, one anomaly flag, and in {@code details} the detector's name, the triggering event ids and the detector's
     * own details.
     */
    static AuditEvent finding(EventType type, AuditEvent trigger, String detector, List<Sighting> evidence,
            double risk, String flag, Map<String, Object> details) {
        AuditEvent.Builder b = AuditEvent.builder(type)
                .id(EventIds.next(trigger.timestamp().toEpochMilli()))
                .timestamp(trigger.timestamp())
                .riskScore(cap(risk))
                .anomalyFlag(flag)
                .details(details)
                .detail(DETECTOR, detector)
                .detail(TRIGGERING_EVENT_IDS, evidence.stream().map(s -> s.eventId().toString()).toList());
        trigger.actor().ifPresent(b::actor);
        trigger.tenant().ifPresent(b::tenant);
        trigger.service().ifPresent(b::service);
        return b.build();
    }

    /**
     * Risk scores mean "how sure, on a scale to 1.0"; the original summed weights past 1.0, which the event model
     * rejects and which made scores incomparable. Every score is clamped to [0, 1] here, in one place.
     */
    static double cap(double risk) {
        return Math.max(0.0, Math.min(1.0, risk));
    }

    /** Distinct source ips among the sightings. */
    static long distinctIps(List<Sighting> sightings) {
        return sightings.stream().flatMap(s -> s.ip().stream()).distinct().count();
    }
}
