/**
 * Detection's API: {@link io.vigil.detect.DetectionStage}, which runs detectors over an audit log's events and records
 * their findings through that log, {@link io.vigil.detect.DetectionReplay}, which runs them over stored events,
 * {@link io.vigil.detect.DetectionConfig}, which reads their configuration from a file, the rules that configure each
 * detector, {@link io.vigil.detect.GeoResolver} for users who can locate addresses,
 * {@link io.vigil.detect.AccountLocker}, the application's hook for locking an account under attack, and
 * {@link io.vigil.detect.DetectorState}, the interface behind which detectors keep what they have seen.
 */
package io.vigil.detect;
