package io.vigil.sink;

import io.vigil.config.SinkConfig;

import java.io.IOException;
import java.time.Clock;

/**
 * Opens the sinks of one configured type that live outside the core ({@code syslog} in {@code vigil-siem},
 * {@code kafka} in {@code vigil-kafka}). Found with {@link java.util.ServiceLoader} when a configuration declares
 * such a sink.
 */
public interface SinkProvider {

    /** The {@code sinks[].type} it opens, e.g. {@code syslog}. */
    String type();

    /**
     * Opens the declared sink, writing events in {@code format}.
     *
     * @throws IOException              when it cannot be opened (a spool directory that cannot be created, say)
     * @throws IllegalArgumentException when {@code sink} is not of this provider's type
     */
    AuditSink open(SinkConfig sink, EventFormat format, Clock clock) throws IOException;
}
