package io.vigil.config;

import io.vigil.filter.EventFilter;
import io.vigil.sink.FileSinkOptions;

import java.util.Objects;

/** One sink as declared in configuration. Two equal declarations denote the same sink, which a reload keeps open. */
public sealed interface SinkConfig permits SinkConfig.File, SinkConfig.Stdout, SinkConfig.Custom {

    /** The sink's name, unique within a log. */
    String name();

    /** Which events this sink receives, after the log's own filter. */
    EventFilter filter();

    /** A JSONL file sink. */
    record File(String name, FileSinkOptions options, EventFilter filter) implements SinkConfig {
        public File {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(options, "options");
            Objects.requireNonNull(filter, "filter");
        }
    }

    /** Pure JSONL on standard output. */
    record Stdout(String name, EventFilter filter) implements SinkConfig {
        public Stdout {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(filter, "filter");
        }
    }

    /** A sink supplied in code, registered on the builder under this name. */
    record Custom(String name, EventFilter filter) implements SinkConfig {
        public Custom {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(filter, "filter");
        }
    }
}
