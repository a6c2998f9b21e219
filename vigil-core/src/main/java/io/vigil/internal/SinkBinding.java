package io.vigil.internal;

import io.vigil.config.SinkConfig;
import io.vigil.sink.AuditSink;

/** A sink as the writer thread uses it: its declaration (name, filter) and the open instance. */
public record SinkBinding(SinkConfig config, AuditSink sink) {
    public String name() {
        return config.name();
    }
}
