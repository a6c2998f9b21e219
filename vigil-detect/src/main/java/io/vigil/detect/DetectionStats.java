package io.vigil.detect;

/**
 * Counters of a {@link DetectionStage} since it was built.
 *
 * @param inspected     events the detectors looked at
 * @param findings      findings the detectors made and handed to the findings queue
 * @param ownSkipped    events recognised as this stage's own (findings, account locks) and not shown to the detectors
 * @param findingsLost  findings and account locks not recorded: the findings queue was full, or the log did not
 *                      accept or write them (its queue full, closing, a sink failing), or the stage closed first
 * @param errors        events on which a detector or the state failed; the event itself was written regardless
 * @param lockErrors    times the {@link AccountLocker} threw; nothing was recorded as locked then
 */
public record DetectionStats(long inspected, long findings, long ownSkipped, long findingsLost, long errors,
                             long lockErrors) {
}
