/** The sink SPI and the built-in sinks (JSONL file, stdout, handler), created through {@link io.vigil.sink.Sinks}. */
package io.vigil.sink;
