package io.vigil.detect.internal;

import io.vigil.detect.Sighting;
import io.vigil.event.AuditEvent;
import io.vigil.event.EventIds;
import io.vigil.event.EventType;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;

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
                .id(id(trigger, detector, type))
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
     * Whether an event is a finding: it names the detector that made it and the events that caused it. Findings are
     * never shown to the detectors again, live or on replay: they describe events the detectors have already seen.
     */
    static boolean isFinding(AuditEvent event) {
        return event.details().get(DETECTOR) instanceof String
                && event.details().get(TRIGGERING_EVENT_IDS) instanceof List;
    }

    /**
     * A finding's id: a version 7 id at the trigger's millisecond whose other bits are drawn from the SHA-256 of the
     * trigger's id, the detector and the finding's type. Random ids would make the same events give findings that
     * differ in id, so a replay could not be matched with what live detection recorded, and a ledger written from a
     * seeded stream (as {@code vigil demo} writes) would not be reproducible. A detector makes at most one finding of
     * a type per event, so the id is unique.
     */
    static UUID id(AuditEvent trigger, String detector, EventType type) {
        MessageDigest sha256;
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", e);
        }
        byte[] digest = sha256.digest((trigger.id() + "|" + detector + "|" + type.name())
                .getBytes(StandardCharsets.UTF_8));
        return EventIds.next(trigger.timestamp().toEpochMilli(),
                new SplittableRandom(ByteBuffer.wrap(digest).getLong()));
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
