package io.vigil.detect;

import io.vigil.detect.internal.DetectionEngine;
import io.vigil.event.AuditEvent;

import java.util.List;
import java.util.Objects;

/**
 * The detectors of a {@link DetectionStage.Builder} run over stored events, for a program that reads them itself (a
 * ledger, a file of events): {@link #inspect} takes one event and returns the findings it causes, built exactly as the
 * live stage builds them (same types, timestamps, actors, risk, flags, details and ids), because both run the same
 * engine over the events' own timestamps.
 *
 * <pre>{@code
 * DetectionReplay replay = DetectionStage.builder().bruteForce(BruteForceRule.DEFAULT).buildReplay();
 * try (Stream<LedgerEntry> entries = reader.entries(0, reader.size())) {
 *     entries.map(LedgerEntry::event).flatMap(e -> replay.inspect(e).stream()).forEach(findings::add);
 * }
 * }</pre>
 *
 * <p>Give the events in the order they were recorded (a ledger's order), from one thread at a time. Events that are
 * themselves findings ({@link #isFinding}), such as those a live stage wrote into the ledger being replayed, are not
 * shown to the detectors, as the live stage does not show its own findings to them.
 */
public final class DetectionReplay {
    private final DetectionEngine engine;

    DetectionReplay(DetectionEngine engine) {
        this.engine = engine;
    }

    /**
     * The findings {@code event} causes, in the order a live stage would record them; empty for most events, and for
     * an event that is itself a finding.
     */
    public List<AuditEvent> inspect(AuditEvent event) {
        return engine.inspect(Objects.requireNonNull(event, "event"));
    }

    /** The names of the detectors, as recorded in each finding's {@code details.detector}. */
    public List<String> detectors() {
        return engine.detectorNames();
    }

    /**
     * Whether an event is a finding: it names the detector that made it ({@code details.detector}) and the events
     * that caused it ({@code details.triggeringEventIds}).
     */
    public static boolean isFinding(AuditEvent event) {
        return DetectionEngine.isFinding(Objects.requireNonNull(event, "event"));
    }
}
