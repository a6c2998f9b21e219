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

    /** The findings {@code event} causes, in the order they should be recorded; usually none. */
    public List<AuditEvent> inspect(AuditEvent event) {
        List<AuditEvent> findings = new ArrayList<>(0);
        for (Detector d : detectors) {
            d.inspect(event, state, findings::add);
        }
        return findings;
    }

    public List<String> detectorNames() {
        return detectors.stream().map(Detector::name).toList();
    }
}
