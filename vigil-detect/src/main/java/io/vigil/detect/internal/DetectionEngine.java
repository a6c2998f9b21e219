package io.vigil.detect.internal;

import io.vigil.detect.DetectorState;
import io.vigil.event.AuditEvent;

import java.util.ArrayList;
import java.util.List;

/**
 * Runs every detector over one event at a time and collects their findings. Knows nothing of where events come from
 * or where findings go, so the live stage and a replay of stored events use the same engine and find the same things.
 */
public final class DetectionEngine {

    private final List<Detector> detectors;
    private final DetectorState state;

    public DetectionEngine(List<Detector> detectors, DetectorState state) {
        this.detectors = List.copyOf(detectors);
        this.state = state;
    }

    /**
     * The findings {@code event} causes, in the order they should be recorded; usually none, and none for an event
     * that is itself a finding ({@link #isFinding}), which the detectors do not see.
     *
     * @throws IllegalStateException when two findings of {@code event} have the same id: a detector made two findings
     *                               of one type from one event, which it must not
     */
    public List<AuditEvent> inspect(AuditEvent event) {
        if (isFinding(event)) {
            return List.of();
        }
        List<AuditEvent> findings = new ArrayList<>(0);
        EventView view = new EventView(event);
        for (Detector d : detectors) {
            d.inspect(view, state, findings::add);
        }
        if (findings.size() > 1 && findings.stream().map(AuditEvent::id).distinct().count() < findings.size()) {
            throw new IllegalStateException("two findings of one type by one detector from event " + event.id()
                    + " (" + findings.stream().map(AuditEvent::type).toList() + "); a detector makes at most one"
                    + " finding of each type per event");
        }
        return findings;
    }

    /**
     * Whether an event is a finding (it carries {@code details.detector} and {@code details.triggeringEventIds}); the
     * one rule by which both the live stage and a replay keep findings away from the detectors.
     */
    public static boolean isFinding(AuditEvent event) {
        return Findings.isFinding(event);
    }

    public List<String> detectorNames() {
        return detectors.stream().map(Detector::name).toList();
    }
}
