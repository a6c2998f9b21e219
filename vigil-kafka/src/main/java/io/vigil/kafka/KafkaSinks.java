package io.vigil.kafka;

import io.vigil.event.AuditEvent;
import io.vigil.json.EventJson;
import io.vigil.json.EventJsonException;
import io.vigil.kafka.internal.KafkaSink;
import io.vigil.kafka.internal.RecordLines;
import io.vigil.sink.AuditSink;
import io.vigil.sink.EventFormat;
import io.vigil.sink.KafkaSinkOptions;

import java.util.ArrayList;
import java.util.List;

/**
 * The Kafka sink. Each batch goes in one Kafka transaction (so the producer is idempotent, with {@code acks=all}):
 * a consumer reading with {@code isolation.level=read_committed} sees every batch whole or not at all. A record's key
 * is the event's tenant (or the chain, for an event without one) or the chain, per {@link KafkaSinkOptions#keyBy()};
 * its value is up to {@link KafkaSinkOptions#eventsPerRecord(String)} events of that key, one line of the format
 * each, UTF-8, with the format's name in the {@code vigil-format} header ({@link #events} reads one back). The
 * {@code jsonl} format (canonical JSON) is the one a sequencer reads back into ledgers.
 *
 * <p>The options' properties go to the producer as they are, except that {@code acks}, {@code enable.idempotence}
 * and the serializers cannot be changed (a contradicting value is refused). The transactional id is
 * {@code vigil-CHAIN} unless the properties give {@code transactional.id}; it must be stable across restarts and
 * unique among running instances: a new producer with the same id fences the old one.
 */
public final class KafkaSinks {
    private KafkaSinks() {
    }

    /**
     * A Kafka sink writing events in {@code format}. The producer connects on the first write; a failed write throws
     * {@link java.io.IOException} naming the topic, the brokers and the cause, having made nothing visible.
     *
     * @throws IllegalArgumentException when a property contradicts the sink's guarantees
     */
    public static AuditSink open(KafkaSinkOptions options, EventFormat format) {
        return KafkaSink.open(options, format, transactionalId(options));
    }

    /**
     * The events of a record value written in the {@code jsonl} format, in order.
     *
     * @throws EventJsonException when a line is no event; the message names the line
     */
    public static List<AuditEvent> events(byte[] value) {
        int[] bounds = RecordLines.bounds(value);
        List<AuditEvent> events = new ArrayList<>(bounds.length / 2);
        for (int i = 0; i < bounds.length; i += 2) {
            try {
                events.add(EventJson.parse(value, bounds[i], bounds[i + 1] - bounds[i]));
            } catch (EventJsonException e) {
                throw new EventJsonException("line " + (i / 2 + 1) + " of " + bounds.length / 2 + ": "
                        + e.getMessage(), e);
            }
        }
        return events;
    }

    /** The transactional id a sink with these options uses when the properties name none. */
    public static String transactionalId(KafkaSinkOptions options) {
        return "vigil-" + options.chain();
    }
}
