/**
 * Detection's implementation: the detectors, the engine that runs them over one event at a time, how a finding is
 * built from the events that caused it, and the Caffeine-backed state. Not exported.
 */
package io.vigil.detect.internal;
