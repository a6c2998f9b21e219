package io.vigil.config;

import io.vigil.filter.EventFilter;
import io.vigil.sink.EventFormats;
import io.vigil.sink.FileSinkOptions;
import io.vigil.sink.KafkaSinkOptions;
import io.vigil.sink.SyslogOptions;

import java.util.Objects;

/** One sink as declared in configuration. Two equal declarations denote the same sink, which a reload keeps open. */
public sealed interface SinkConfig permits SinkConfig.File, SinkConfig.Stdout, SinkConfig.Syslog, SinkConfig.Kafka,
        SinkConfig.Custom {

    /** The sink's name, unique within a log. */
    String name();

    /** Which events this sink receives, after the log's own filter. */
    EventFilter filter();

    /** The name of the format its lines are in ({@code jsonl}, {@code ocsf}, {@code ecs}, {@code cef}). */
    default String format() {
        return EventFormats.JSONL;
    }

    /** A rotating file of one line per event. */
    record File(String name, FileSinkOptions options, String format, EventFilter filter) implements SinkConfig {
        public File {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(options, "options");
            Objects.requireNonNull(format, "format");
            Objects.requireNonNull(filter, "filter");
        }

        /** A JSONL file. */
        public File(String name, FileSinkOptions options, EventFilter filter) {
            this(name, options, EventFormats.JSONL, filter);
        }
    }

    /** One line per event on standard output, nothing else. */
    record Stdout(String name, String format, EventFilter filter) implements SinkConfig {
        public Stdout {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(format, "format");
            Objects.requireNonNull(filter, "filter");
        }

        /** Pure JSONL. */
        public Stdout(String name, EventFilter filter) {
            this(name, EventFormats.JSONL, filter);
        }
    }

    /** RFC 5424 messages to a syslog receiver, through a durable spool; opened by {@code vigil-siem}. */
    record Syslog(String name, SyslogOptions options, String format, EventFilter filter) implements SinkConfig {
        public Syslog {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(options, "options");
            Objects.requireNonNull(format, "format");
            Objects.requireNonNull(filter, "filter");
        }
    }

    /** Kafka records of one or more events of one key, a transaction per batch; opened by {@code vigil-kafka}. */
    record Kafka(String name, KafkaSinkOptions options, String format, EventFilter filter) implements SinkConfig {
        public Kafka {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(options, "options");
            Objects.requireNonNull(format, "format");
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
