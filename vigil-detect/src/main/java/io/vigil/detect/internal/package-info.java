/**
 * Detection's implementation: the detectors, the engine that runs them over one event at a time, the detection thread
 * that runs it beside the log's writer, how a finding is built from the events that caused it, the Caffeine-backed
 * state, the reading and lookup of address block lists, and the queue and thread that record findings and account
 * locks through the log. Not exported.
 */
package io.vigil.detect.internal;
