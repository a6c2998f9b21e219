package io.vigil.detect;

/**
 * Counters of a {@link DetectionStage} since it was built.
 *
 * @param inspected     events the detectors looked at
 * @param findings      findings the detectors made and handed to the log
 * @param ownSkipped    events recognised as this stage's own findings and not shown to the detectors again
 * @param findingsLost  findings the log did not accept (queue full, log closing, not bound to a log)
 * @param errors        events on which a detector or the state failed; the event itself was written regardless
 */
public record DetectionStats(long inspected, long findings, long ownSkipped, long findingsLost, long errors) {
}
