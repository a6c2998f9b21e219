/** The time the pipeline measures and waits by, injected so that tests move it by hand instead of sleeping. */
package io.vigil.internal.time;
