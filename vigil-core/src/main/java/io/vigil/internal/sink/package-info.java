/** Implementations of the built-in sinks; create them through {@link io.vigil.sink.Sinks}. */
package io.vigil.internal.sink;
