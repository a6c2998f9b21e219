/**
 * Detection's implementation: the detectors, the engine that runs them over one event at a time, how a finding is
 * built from the events that caused it, the Caffeine-backed state, and the reading and lookup of address block lists.
 * Not exported.
 */
package io.vigil.detect.internal;
