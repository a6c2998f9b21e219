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

    private final KafkaSinkOptions options;
    private final EventFormat format;
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
            for (AuditEvent e : batch) {
                ProducerRecord<byte[], byte[]> r = new ProducerRecord<>(options.topic(), key(e), value(e));
                r.headers().add(FORMAT_HEADER, formatName);
                p.send(r);
            }
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

    private byte[] key(AuditEvent e) {
        String key = options.keyBy() == KafkaKey.TENANT ? e.tenant().orElse(options.chain()) : options.chain();
        return key.getBytes(StandardCharsets.UTF_8);
    }

    private byte[] value(AuditEvent e) {
        buffer.reset();
        format.append(e, Optional.empty(), buffer);
        return buffer.toByteArray();
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
