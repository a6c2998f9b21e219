package io.vigil.kafka.internal;

import io.vigil.event.AuditEvent;
import io.vigil.json.CanonicalBuffer;
import io.vigil.sink.AuditSink;
import io.vigil.sink.EntryPosition;
import io.vigil.sink.EventFormat;
import io.vigil.sink.KafkaKey;
import io.vigil.sink.KafkaSinkOptions;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * The Kafka sink: each batch is one Kafka transaction, so that a consumer reading {@code read_committed} sees a batch
 * whole or not at all, as the sink contract asks ("written none of it" on failure). A transactional producer is
 * idempotent with {@code acks=all} by construction. Its transactional id is stable per sink, so that a restarted
 * instance fences its previous self and aborts the transaction that one left open.
 *
 * <p>A record carries up to {@link KafkaSinkOptions#eventsPerRecord(String)} events of one key, one line each, in
 * order: Kafka's cost (producer, broker, consumer) is mostly per record, so packing the {@code jsonl} a sequencer
 * reads makes the path several times cheaper, while the SIEM formats stay one event a record for their connectors.
 *
 * <p>A failed batch is aborted and reported as an {@link IOException}; after an error the producer cannot recover
 * from (fenced, out of order, not authorized) it is closed and a new one made on the next write.
 */
public final class KafkaSink implements AuditSink {
    /** Header naming the value's format, so that a reader can tell canonical JSON from a SIEM format. */
    public static final String FORMAT_HEADER = "vigil-format";

    /** Settings the guarantees rest on: a user may repeat them, not change them. */
    private static final Map<String, String> FIXED = Map.of(
            ProducerConfig.ACKS_CONFIG, "all",
            ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true",
            ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName(),
            ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());

    /**
     * Defaults a user may change: shorter than Kafka's own, so that a batch sent while the brokers are away fails in
     * seconds and the pipeline's retry and failure metrics see it, instead of a writer blocked for two minutes.
     */
    private static final Map<String, String> DEFAULTS = Map.of(
            ProducerConfig.MAX_BLOCK_MS_CONFIG, "15000",
            ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000",
            ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "30000",
            ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, "60000",
            // A batch is committed (and so flushed) as soon as it is sent, so waiting a little to fill larger
            // requests costs no latency; 256 KiB requests carry a pipeline batch in a few round trips, where Kafka's
            // 16 KiB took dozens (about 2.5 times the events a second on loopback).
            ProducerConfig.LINGER_MS_CONFIG, "5",
            ProducerConfig.BATCH_SIZE_CONFIG, "262144");

    /**
     * A packed record is sent once it holds this many bytes, well under the 1 MiB Kafka takes in a record by
     * default ({@code max.request.size}, {@code message.max.bytes}); an event larger than that goes alone.
     */
    public static final int RECORD_BYTES = 128 * 1024;

    private final KafkaSinkOptions options;
    private final EventFormat format;
    private final int eventsPerRecord;
    private final Map<String, Object> config;
    private final Function<Map<String, Object>, Producer<byte[], byte[]>> factory;
    private final byte[] formatName;
    private final CanonicalBuffer buffer = new CanonicalBuffer(1024);
    private Producer<byte[], byte[]> producer;
    private boolean closed;

    KafkaSink(KafkaSinkOptions options, EventFormat format, String transactionalId,
              Function<Map<String, Object>, Producer<byte[], byte[]>> factory) {
        this.options = Objects.requireNonNull(options, "options");
        this.format = Objects.requireNonNull(format, "format");
        this.factory = factory;
        this.config = producerConfig(options, transactionalId);
        this.formatName = format.name().getBytes(StandardCharsets.UTF_8);
        this.eventsPerRecord = options.eventsPerRecord(format.name());
    }

    /**
     * A sink whose transactional id is {@code transactionalId} unless the options' properties name one (a deployment
     * whose ACLs grant a prefix, say).
     */
    public static KafkaSink open(KafkaSinkOptions options, EventFormat format, String transactionalId) {
        return new KafkaSink(options, format, transactionalId, KafkaProducer::new);
    }

    /**
     * The producer's settings: the user's properties, then the defaults where the user gave none, then the fixed
     * ones, which a user's conflicting value is refused against rather than silently overridden.
     *
     * @throws IllegalArgumentException when a property contradicts a guarantee
     */
    static Map<String, Object> producerConfig(KafkaSinkOptions options, String transactionalId) {
        Map<String, Object> c = new HashMap<>(DEFAULTS);
        c.putAll(options.properties());
        for (Map.Entry<String, String> fixed : FIXED.entrySet()) {
            String given = options.properties().get(fixed.getKey());
            if (given != null && !sameSetting(fixed.getKey(), given, fixed.getValue())) {
                throw new IllegalArgumentException("Kafka sink: " + fixed.getKey() + "=" + given + " is not allowed;"
                        + " the sink sends each batch in a transaction, which needs " + fixed.getKey() + "="
                        + fixed.getValue());
            }
            c.put(fixed.getKey(), fixed.getValue());
        }
        c.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, options.bootstrap());
        c.putIfAbsent(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        c.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, c.get(ProducerConfig.TRANSACTIONAL_ID_CONFIG));
        return Map.copyOf(c);
    }

    private static boolean sameSetting(String key, String given, String fixed) {
        String g = given.trim().toLowerCase(Locale.ROOT);
        return g.equals(fixed.toLowerCase(Locale.ROOT)) || key.equals(ProducerConfig.ACKS_CONFIG) && g.equals("-1");
    }

    /** The transactional id the producer uses. */
    public String transactionalId() {
        return String.valueOf(config.get(ProducerConfig.TRANSACTIONAL_ID_CONFIG));
    }

    @Override
    public List<EntryPosition> write(List<AuditEvent> batch) throws IOException {
        if (closed) {
            throw new IOException("Kafka sink to topic " + options.topic() + " is closed");
        }
        if (batch.isEmpty()) {
            return List.of();
        }
        Producer<byte[], byte[]> p = producer();
        try {
            p.beginTransaction();
            sendPacked(p, batch);
            // Flushes and waits for every send; it throws the error of any that failed, so no per-send check.
            p.commitTransaction();
            return List.of();
        } catch (ProducerFencedException | OutOfOrderSequenceException | AuthorizationException
                 | UnsupportedVersionException e) {
            // Fatal for this producer: a new one (whose initTransactions aborts what this one left) on the next write.
            discardProducer();
            if (e instanceof ProducerFencedException) {
                throw new IOException("Kafka sink: could not send " + batch.size() + " events to topic "
                        + options.topic() + " at " + options.bootstrap() + ": another producer started with"
                        + " transactional.id " + transactionalId() + " (two instances with one chain name?): " + e, e);
            }
            throw failure(batch.size(), e);
        } catch (KafkaException e) {
            try {
                p.abortTransaction();
            } catch (KafkaException again) {
                // e.g. a commit that timed out, which may only be retried: a new producer's initTransactions settles
                // the transaction instead (it aborts one still open).
                e.addSuppressed(again);
                discardProducer();
            }
            throw failure(batch.size(), e);
        }
    }

    private IOException failure(int events, KafkaException e) {
        return new IOException("Kafka sink: could not send " + events + " events to topic " + options.topic()
                + " at " + options.bootstrap() + ": " + e, e);
    }

    /** A key's events in the batch, gathered into one record's value. */
    private static final class Packed {
        final byte[] key;
        final CanonicalBuffer lines = new CanonicalBuffer(4096);
        int events;

        Packed(String key) {
            this.key = key.getBytes(StandardCharsets.UTF_8);
        }
    }

    /**
     * Each key's events in batch order, packed into records of up to {@link #eventsPerRecord} events and about
     * {@link #RECORD_BYTES}: a key's records go to one partition in the order sent, so its events keep their order.
     */
    private void sendPacked(Producer<byte[], byte[]> p, List<AuditEvent> batch) {
        Map<String, Packed> byKey = new HashMap<>();
        for (AuditEvent e : batch) {
            Packed packed = byKey.computeIfAbsent(key(e), Packed::new);
            buffer.reset();
            format.append(e, Optional.empty(), buffer);
            if (packed.events > 0 && packed.lines.length() + 1 + buffer.length() > RECORD_BYTES) {
                flush(p, packed);
            }
            if (packed.events > 0) {
                packed.lines.appendAscii('\n');
            }
            packed.lines.appendBytes(buffer.array(), 0, buffer.length());
            packed.events++;
            if (packed.events == eventsPerRecord) {
                flush(p, packed);
            }
        }
        for (Packed packed : byKey.values()) {
            if (packed.events > 0) {
                flush(p, packed);
            }
        }
    }

    private void flush(Producer<byte[], byte[]> p, Packed packed) {
        ProducerRecord<byte[], byte[]> r = new ProducerRecord<>(options.topic(), packed.key, packed.lines.toByteArray());
        r.headers().add(FORMAT_HEADER, formatName);
        p.send(r);
        packed.lines.reset();
        packed.events = 0;
    }

    private String key(AuditEvent e) {
        return options.keyBy() == KafkaKey.TENANT ? e.tenant().orElse(options.chain()) : options.chain();
    }

    private Producer<byte[], byte[]> producer() throws IOException {
        if (producer == null) {
            Producer<byte[], byte[]> p;
            try {
                p = factory.apply(config);
            } catch (KafkaException e) {
                throw new IOException("Kafka sink: cannot create a producer for topic " + options.topic() + " at "
                        + options.bootstrap() + ": " + e, e);
            }
            try {
                p.initTransactions();
            } catch (KafkaException e) {
                p.close(Duration.ZERO);
                throw new IOException("Kafka sink: cannot start transactions (transactional.id "
                        + transactionalId() + ") at " + options.bootstrap() + ": " + e, e);
            }
            producer = p;
        }
        return producer;
    }

    private void discardProducer() {
        if (producer != null) {
            try {
                producer.close(Duration.ZERO);
            } catch (KafkaException ignored) {
                // already broken; the next write makes a new one
            }
            producer = null;
        }
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        if (producer != null) {
            try {
                producer.close(Duration.ofSeconds(10));
            } catch (KafkaException e) {
                throw new IOException("Kafka sink: closing the producer for topic " + options.topic() + ": " + e, e);
            } finally {
                producer = null;
            }
        }
    }
}
