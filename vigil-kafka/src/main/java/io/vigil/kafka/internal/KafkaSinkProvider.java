package io.vigil.kafka.internal;

import io.vigil.config.SinkConfig;
import io.vigil.kafka.KafkaSinks;
import io.vigil.sink.AuditSink;
import io.vigil.sink.EventFormat;
import io.vigil.sink.SinkProvider;

import java.time.Clock;

/** Opens the {@code kafka} sinks a configuration declares. */
public final class KafkaSinkProvider implements SinkProvider {

    @Override
    public String type() {
        return "kafka";
    }

    @Override
    public AuditSink open(SinkConfig sink, EventFormat format, Clock clock) {
        if (!(sink instanceof SinkConfig.Kafka kafka)) {
            throw new IllegalArgumentException("the kafka provider opens kafka sinks, not " + sink);
        }
        // The sink's name is part of the id, so that two Kafka sinks of one log (two topics) do not fence each other.
        return KafkaSink.open(kafka.options(), format, KafkaSinks.transactionalId(kafka.options()) + "-" + sink.name());
    }
}
