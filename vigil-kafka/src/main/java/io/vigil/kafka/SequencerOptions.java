package io.vigil.kafka;

import io.vigil.ledger.checkpoint.SigningKey;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * How a sequencer runs.
 *
 * @param bootstrap          the brokers, {@code host:port[,host:port…]}
 * @param topic              the topic it reads (written by Kafka sinks in the {@code jsonl} format)
 * @param groupId            its consumer group; sequencers in one group share the partitions
 * @param target             where the ledgers are
 * @param signingKey         signs the ledgers' checkpoints; without one none are written
 * @param consumerProperties further consumer settings (TLS, SASL, …); the ones exactly-once rests on
 *                           ({@code enable.auto.commit}, {@code isolation.level}, deserializers, {@code group.id})
 *                           are the sequencer's
 * @param progressInterval   how often each partition's progress (records a second, lag) is logged
 * @param clock              time for the ledgers' checkpoints and the progress log
 */
public record SequencerOptions(String bootstrap, String topic, String groupId, SequencerTarget target,
                               Optional<SigningKey> signingKey, Map<String, String> consumerProperties,
                               Duration progressInterval, Clock clock) {

    public SequencerOptions {
        Objects.requireNonNull(bootstrap, "bootstrap");
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(groupId, "groupId");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(signingKey, "signingKey");
        consumerProperties = Map.copyOf(Objects.requireNonNull(consumerProperties, "consumerProperties"));
        Objects.requireNonNull(progressInterval, "progressInterval");
        Objects.requireNonNull(clock, "clock");
        if (bootstrap.isBlank()) {
            throw new IllegalArgumentException("bootstrap must name at least one broker (host:port)");
        }
        if (!topic.matches("[a-zA-Z0-9._-]{1,249}")) {
            throw new IllegalArgumentException("topic must be 1 to 249 of a-z, A-Z, 0-9, '.', '_' and '-', was '"
                    + topic + "'");
        }
        if (groupId.isBlank()) {
            throw new IllegalArgumentException("groupId must not be blank");
        }
        if (progressInterval.isNegative() || progressInterval.isZero()) {
            throw new IllegalArgumentException("progressInterval must be positive");
        }
    }

    /** Group {@code vigil-sequencer-TOPIC}, no signing key, no extra settings, progress every 30 s. */
    public static SequencerOptions of(String bootstrap, String topic, SequencerTarget target) {
        return new SequencerOptions(bootstrap, topic, "vigil-sequencer-" + topic, target, Optional.empty(), Map.of(),
                Duration.ofSeconds(30), Clock.systemUTC());
    }

    public SequencerOptions withGroupId(String v) {
        return new SequencerOptions(bootstrap, topic, v, target, signingKey, consumerProperties, progressInterval,
                clock);
    }

    public SequencerOptions withSigningKey(SigningKey v) {
        return new SequencerOptions(bootstrap, topic, groupId, target, Optional.of(v), consumerProperties,
                progressInterval, clock);
    }

    public SequencerOptions withConsumerProperties(Map<String, String> v) {
        return new SequencerOptions(bootstrap, topic, groupId, target, signingKey, v, progressInterval, clock);
    }

    public SequencerOptions withProgressInterval(Duration v) {
        return new SequencerOptions(bootstrap, topic, groupId, target, signingKey, consumerProperties, v, clock);
    }

    public SequencerOptions withClock(Clock v) {
        return new SequencerOptions(bootstrap, topic, groupId, target, signingKey, consumerProperties,
                progressInterval, v);
    }

    /** The ledger origin of partition {@code partition}: {@code vigil/kafka/TOPIC/PARTITION}. */
    public String origin(int partition) {
        return "vigil/kafka/" + topic + "/" + partition;
    }
}
