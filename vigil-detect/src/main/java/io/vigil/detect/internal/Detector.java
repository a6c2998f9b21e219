package io.vigil.detect.internal;

import io.vigil.detect.DetectorState;
import io.vigil.event.AuditEvent;

import java.util.function.Consumer;

/** One detection rule: looks at one event at a time, keeps what it needs in the state, reports findings. */
public interface Detector {

    /** A short stable name, recorded in each finding's {@code details.detector}. */
    String name();

    /**
     * Looks at one event, through a view shared with the other detectors. Called once per event, in record order, from one thread at a time.
     *
     * @param findings receives each finding as a built event, in the order it should be recorded; at most one of each
     *                 type per event, since a finding's id is derived from its trigger, detector and type
     */
    void inspect(EventView event, DetectorState state, Consumer<AuditEvent> findings);
}
