package io.vigil.config;

import io.vigil.PipelineOptions;
import io.vigil.filter.EventFilter;
import io.vigil.redact.RedactionPolicy;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;

/**
 * A whole log's configuration, as read from a file by {@link ConfigLoader} or assembled in code.
 *
 * @param enabled           false makes every {@code record} a no-op that reports the event as filtered
 * @param filter            the log's own filter, applied before any sink's
 * @param includeRequestIds false strips requestId, sessionId and traceId from every event
 * @param redaction         masking and limits
 * @param pipeline          queue, batching, overflow, retry, shutdown
 * @param sinks             where events go; at least one when enabled
 */
public record VigilConfig(boolean enabled, EventFilter filter, boolean includeRequestIds, RedactionPolicy redaction,
                          PipelineOptions pipeline, List<SinkConfig> sinks) {

    public VigilConfig {
        Objects.requireNonNull(filter, "filter");
        Objects.requireNonNull(redaction, "redaction");
        Objects.requireNonNull(pipeline, "pipeline");
        sinks = List.copyOf(sinks);
        HashSet<String> names = new HashSet<>();
        for (SinkConfig s : sinks) {
            if (!names.add(s.name())) {
                throw new IllegalArgumentException("sinks: the name '" + s.name() + "' is used twice; names must be unique");
            }
        }
    }
}
