package io.vigil.sink;

import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.regex.Pattern;

/**
 * Options of the Kafka sink. Each batch is sent in one Kafka transaction by an idempotent producer with
 * {@code acks=all}, so that it lands whole or not at all; consumers read with {@code isolation.level=read_committed}.
 *
 * @param bootstrap       the brokers, {@code host:port[,host:port…]}
 * @param topic           the topic events go to
 * @param keyBy           what keys a record, and so picks its partition (and, behind a sequencer, its ledger)
 * @param chain           the key under {@link KafkaKey#CHAIN}, and under {@link KafkaKey#TENANT} for events without a
 *                        tenant; also names the producer's transactional id, so it should be stable per instance
 * @param properties      further producer settings (TLS, SASL, …), passed to the Kafka client as they are; the ones
 *                        the sink's guarantees rest on ({@code acks}, {@code enable.idempotence}, serializers) cannot
 *                        be overridden
 * @param eventsPerRecord most events one record carries, one line each, all of one key, in order; empty for the
 *                        format's default: {@value #JSONL_EVENTS_PER_RECORD} for {@code jsonl} (what a sequencer
 *                        reads, where Kafka's cost is per record), 1 for the SIEM formats (what their connectors
 *                        expect); from 1 to {@value #MAX_EVENTS_PER_RECORD}
 */
public record KafkaSinkOptions(String bootstrap, String topic, KafkaKey keyBy, String chain,
                               Map<String, String> properties, OptionalInt eventsPerRecord) {
    /** The {@code jsonl} format's events a record by default. */
    public static final int JSONL_EVENTS_PER_RECORD = 64;
    /** The most events a record may carry. */
    public static final int MAX_EVENTS_PER_RECORD = 1_024;
    private static final Pattern TOPIC = Pattern.compile("[a-zA-Z0-9._-]{1,249}");

    public KafkaSinkOptions {
        Objects.requireNonNull(bootstrap, "bootstrap");
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(keyBy, "keyBy");
        Objects.requireNonNull(chain, "chain");
        properties = Map.copyOf(Objects.requireNonNull(properties, "properties"));
        Objects.requireNonNull(eventsPerRecord, "eventsPerRecord");
        if (eventsPerRecord.isPresent()
                && (eventsPerRecord.getAsInt() < 1 || eventsPerRecord.getAsInt() > MAX_EVENTS_PER_RECORD)) {
            throw new IllegalArgumentException("eventsPerRecord must be between 1 and " + MAX_EVENTS_PER_RECORD
                    + ", was " + eventsPerRecord.getAsInt());
        }
        if (bootstrap.isBlank()) {
            throw new IllegalArgumentException("bootstrap must name at least one broker (host:port)");
        }
        if (!isValidTopic(topic)) {
            throw new IllegalArgumentException("topic must be 1 to 249 of a-z, A-Z, 0-9, '.', '_' and '-', was '"
                    + topic + "'");
        }
        if (chain.isBlank()) {
            throw new IllegalArgumentException("chain must not be blank");
        }
    }

    /** Whether Kafka accepts {@code topic} as a topic name. */
    public static boolean isValidTopic(String topic) {
        return TOPIC.matcher(topic).matches() && !topic.equals(".") && !topic.equals("..");
    }

    /** Keyed by tenant, chain {@code chain}, no extra producer settings. */
    public static KafkaSinkOptions of(String bootstrap, String topic, String chain) {
        return new KafkaSinkOptions(bootstrap, topic, KafkaKey.TENANT, chain, Map.of(), OptionalInt.empty());
    }

    public KafkaSinkOptions withKeyBy(KafkaKey v) {
        return new KafkaSinkOptions(bootstrap, topic, v, chain, properties, eventsPerRecord);
    }

    public KafkaSinkOptions withProperties(Map<String, String> v) {
        return new KafkaSinkOptions(bootstrap, topic, keyBy, chain, v, eventsPerRecord);
    }

    public KafkaSinkOptions withEventsPerRecord(int v) {
        return new KafkaSinkOptions(bootstrap, topic, keyBy, chain, properties, OptionalInt.of(v));
    }

    /** The events a record carries for a sink writing {@code format}: the option, else the format's default. */
    public int eventsPerRecord(String format) {
        return eventsPerRecord.orElse(format.equals(EventFormats.JSONL) ? JSONL_EVENTS_PER_RECORD : 1);
    }
}
