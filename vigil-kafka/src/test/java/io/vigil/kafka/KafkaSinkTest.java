package io.vigil.kafka;

import io.vigil.AuditLog;
import io.vigil.config.SinkConfig;
import io.vigil.event.AuditEvent;
import io.vigil.filter.EventFilter;
import io.vigil.kafka.internal.KafkaSink;
import io.vigil.sink.AuditSink;
import io.vigil.sink.EntryPosition;
import io.vigil.sink.EventFormat;
import io.vigil.sink.EventFormats;
import io.vigil.sink.KafkaKey;
import io.vigil.sink.KafkaSinkOptions;
import io.vigil.sink.SinkProvider;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.UUID;

import static io.vigil.kafka.KafkaTestCluster.event;
import static io.vigil.kafka.KafkaTestCluster.events;
import static io.vigil.kafka.KafkaTestCluster.lineCount;
import static io.vigil.kafka.KafkaTestCluster.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The Kafka sink against a real broker: a batch is one transaction, visible whole or not at all. */
class KafkaSinkTest {
    private static KafkaTestCluster kafka;

    @BeforeAll
    static void start() throws Exception {
        kafka = KafkaTestCluster.start();
    }

    @AfterAll
    static void stop() throws Exception {
        kafka.close();
    }

    private static String topic(int partitions, Map<String, String> configs) throws Exception {
        String t = "sink-" + UUID.randomUUID();
        kafka.createTopic(t, partitions, configs);
        return t;
    }

    @Test
    void aBatchLandsWholeKeyedByTenantOrChain() throws Exception {
        String topic = topic(3, Map.of());
        List<AuditEvent> batch = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            batch.add(event("tenant-" + i % 3, i));
        }
        AuditEvent untenanted = event("x", 99).toBuilder().tenant(null).build();
        batch.add(untenanted);
        try (AuditSink sink = KafkaSinks.open(KafkaSinkOptions.of(kafka.bootstrap(), topic, "chain-a"),
                EventFormats.jsonl())) {
            assertThat(sink.write(batch)).isEmpty();
        }
        List<ConsumerRecord<byte[], byte[]>> read = kafka.readCommitted(topic, batch.size(), Duration.ofSeconds(30));
        // jsonl packs a key's events into one record, one line each: four keys, four records
        assertThat(read).hasSize(4);
        for (ConsumerRecord<byte[], byte[]> r : read) {
            for (AuditEvent e : events(List.of(r))) {
                assertThat(utf8(r.key())).isEqualTo(e.tenant().orElse("chain-a"));
            }
            assertThat(utf8(r.headers().lastHeader(KafkaSink.FORMAT_HEADER).value())).isEqualTo("jsonl");
        }
        // one key, one partition, in order
        for (int t = 0; t < 3; t++) {
            String tenant = "tenant-" + t;
            List<ConsumerRecord<byte[], byte[]>> ofTenant = read.stream()
                    .filter(r -> utf8(r.key()).equals(tenant)).toList();
            assertThat(ofTenant.stream().map(ConsumerRecord::partition).distinct()).hasSize(1);
            assertThat(events(ofTenant).stream().map(e -> e.details().get("n")).toList())
                    .isSortedAccordingTo((a, b) -> Long.compare(((Number) a).longValue(), ((Number) b).longValue()));
        }
        assertThat(events(read).stream().map(AuditEvent::id).toList())
                .containsExactlyInAnyOrderElementsOf(batch.stream().map(AuditEvent::id).toList());
    }

    @Test
    void recordsHoldAtMostEventsPerRecordAndAboutRecordBytes() throws Exception {
        String topic = topic(1, Map.of());
        List<AuditEvent> batch = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            batch.add(event("t", i));
        }
        // an event bigger than a packed record's bytes goes alone, between the records before and after it
        String third = "x".repeat(KafkaSink.RECORD_BYTES / 3 + 1);
        batch.add(5, event("t", 100).toBuilder().detail("a", third).detail("b", third).detail("c", third).build());
        try (AuditSink sink = KafkaSinks.open(KafkaSinkOptions.of(kafka.bootstrap(), topic, "chain-p")
                .withEventsPerRecord(4), EventFormats.jsonl())) {
            sink.write(batch);
        }
        List<ConsumerRecord<byte[], byte[]>> read = kafka.readCommitted(topic, batch.size(), Duration.ofSeconds(30));
        assertThat(read.stream().map(r -> lineCount(r.value())).toList()).containsExactly(4, 1, 1, 4, 1);
        assertThat(events(read)).containsExactlyElementsOf(batch);
    }

    @Test
    void otherFormatsSendAnEventARecordUnlessToldOtherwise() throws Exception {
        EventFormat upper = new EventFormat() {
            @Override
            public String name() {
                return "upper";
            }

            @Override
            public String format(AuditEvent event, Optional<EntryPosition> position) {
                return event.id().toString().toUpperCase(Locale.ROOT);
            }
        };
        List<AuditEvent> batch = List.of(event("t", 1), event("t", 2), event("t", 3));
        String single = topic(1, Map.of());
        try (AuditSink sink = KafkaSinks.open(KafkaSinkOptions.of(kafka.bootstrap(), single, "chain-u"), upper)) {
            sink.write(batch);
        }
        assertThat(kafka.readCommitted(single, 3, Duration.ofSeconds(30)).stream().map(r -> utf8(r.value())))
                .containsExactlyElementsOf(batch.stream().map(e -> e.id().toString().toUpperCase(Locale.ROOT))
                        .toList());
        String packed = topic(1, Map.of());
        try (AuditSink sink = KafkaSinks.open(KafkaSinkOptions.of(kafka.bootstrap(), packed, "chain-v")
                .withEventsPerRecord(2), upper)) {
            sink.write(batch);
        }
        assertThat(kafka.readCommitted(packed, 3, Duration.ofSeconds(30)).stream().map(r -> lineCount(r.value())))
                .containsExactly(2, 1);
    }

    @Test
    void anAuditLogWritesThroughTheSink() throws Exception {
        String topic = topic(2, Map.of());
        List<AuditEvent> recorded = new ArrayList<>();
        try (AuditLog audit = AuditLog.builder().selfAudit(false).sink("kafka", KafkaSinks.open(
                KafkaSinkOptions.of(kafka.bootstrap(), topic, "chain-log"), EventFormats.jsonl())).build()) {
            for (int i = 0; i < 50; i++) {
                AuditEvent e = event("tenant-" + i % 2, i);
                recorded.add(e);
                audit.record(e);
            }
            assertThat(audit.flush(Duration.ofSeconds(30))).isTrue();
        }
        List<ConsumerRecord<byte[], byte[]>> read = kafka.readCommitted(topic, recorded.size(), Duration.ofSeconds(30));
        assertThat(events(read).stream().map(AuditEvent::id).toList())
                .containsExactlyInAnyOrderElementsOf(recorded.stream().map(AuditEvent::id).toList());
    }

    @Test
    void keyedByChainEverythingGoesToOnePartition() throws Exception {
        String topic = topic(4, Map.of());
        List<AuditEvent> batch = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            batch.add(event("tenant-" + i % 5, i));
        }
        try (AuditSink sink = KafkaSinks.open(KafkaSinkOptions.of(kafka.bootstrap(), topic, "chain-b")
                .withKeyBy(KafkaKey.CHAIN), EventFormats.jsonl())) {
            sink.write(batch.subList(0, 10));
            sink.write(batch.subList(10, 20));
        }
        List<ConsumerRecord<byte[], byte[]>> read = kafka.readCommitted(topic, batch.size(), Duration.ofSeconds(30));
        assertThat(read).hasSize(2); // a record a batch: one key
        assertThat(read.stream().map(r -> utf8(r.key())).distinct()).containsExactly("chain-b");
        assertThat(read.stream().map(ConsumerRecord::partition).distinct()).hasSize(1);
        assertThat(events(read).stream().map(AuditEvent::id).toList())
                .containsExactlyElementsOf(batch.stream().map(AuditEvent::id).toList());
    }

    @Test
    void aBatchTheBrokerRefusesThrowsAndLeavesNothingVisible() throws Exception {
        // The topic takes records of at most 2 KiB: one big event in the middle fails the whole batch (an event a
        // record, so that the others alone would fit).
        String topic = topic(1, Map.of("max.message.bytes", "2048"));
        List<AuditEvent> batch = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            batch.add(event("t", i));
        }
        batch.add(5, event("t", 100).toBuilder().detail("big", "x".repeat(10_000)).build());
        try (AuditSink sink = KafkaSinks.open(KafkaSinkOptions.of(kafka.bootstrap(), topic, "chain-c")
                .withEventsPerRecord(1), EventFormats.jsonl())) {
            assertThatThrownBy(() -> sink.write(batch)).isInstanceOf(IOException.class)
                    .hasMessageContaining(topic).hasMessageContaining(kafka.bootstrap());
            // the sink goes on: the next batch lands, and it is the only one visible
            List<AuditEvent> next = List.of(event("t", 200), event("t", 201));
            sink.write(next);
            List<ConsumerRecord<byte[], byte[]>> read = kafka.readCommitted(topic, 2, Duration.ofSeconds(30));
            assertThat(events(read).stream().map(AuditEvent::id).toList())
                    .containsExactlyElementsOf(next.stream().map(AuditEvent::id).toList());
        }
    }

    @Test
    void aSinkWithoutBrokersFailsWithinItsTimeout() {
        KafkaSinkOptions options = KafkaSinkOptions.of("127.0.0.1:1", "nowhere", "chain-d")
                .withProperties(Map.of("max.block.ms", "1000"));
        try (AuditSink sink = KafkaSinks.open(options, EventFormats.jsonl())) {
            assertThatThrownBy(() -> sink.write(List.of(event("t", 1)))).isInstanceOf(IOException.class)
                    .hasMessageContaining("127.0.0.1:1");
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void propertiesThatContradictTheGuaranteesAreRefused() {
        assertThatThrownBy(() -> KafkaSinks.open(KafkaSinkOptions.of("localhost:9092", "t", "c")
                .withProperties(Map.of("acks", "1")), EventFormats.jsonl()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("acks=1");
        assertThatThrownBy(() -> KafkaSinks.open(KafkaSinkOptions.of("localhost:9092", "t", "c")
                .withProperties(Map.of("enable.idempotence", "false")), EventFormats.jsonl()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theProviderIsFoundByTypeAndNamesTheTransactionBySink() throws Exception {
        SinkProvider provider = ServiceLoader.load(SinkProvider.class).stream().map(ServiceLoader.Provider::get)
                .filter(p -> p.type().equals("kafka")).findFirst().orElseThrow();
        SinkConfig.Kafka config = new SinkConfig.Kafka("to-kafka", KafkaSinkOptions.of(kafka.bootstrap(),
                topic(1, Map.of()), "chain-e"), "jsonl", EventFilter.ALL);
        try (AuditSink sink = provider.open(config, EventFormats.jsonl(), Clock.systemUTC())) {
            assertThat(((KafkaSink) sink).transactionalId()).isEqualTo("vigil-chain-e-to-kafka");
            sink.write(List.of(event("t", 1)));
        }
        assertThat(kafka.readCommitted(config.options().topic(), 1, Duration.ofSeconds(30))).hasSize(1);
    }
}
