package io.vigil.kafka;

import io.vigil.event.Actor;
import io.vigil.event.AuditEvent;
import io.vigil.event.EventCatalog;
import io.vigil.event.EventIds;
import io.vigil.json.EventJson;
import io.vigil.kafka.internal.RecordLines;
import io.vigil.ledger.FileLedger;
import io.vigil.ledger.LedgerEntry;
import io.vigil.ledger.LedgerReader;
import io.vigil.ledger.LedgerVerifier;
import io.vigil.ledger.VerificationReport;
import kafka.server.BrokerServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** A real KRaft broker (with its controller) in this JVM, from the Kafka release's own test kit; and test helpers. */
public final class KafkaTestCluster implements AutoCloseable {
    private final KafkaClusterTestKit kit;

    private KafkaTestCluster(KafkaClusterTestKit kit) {
        this.kit = kit;
    }

    /** One combined broker and controller, set up for transactions on a single broker. */
    public static KafkaTestCluster start() throws Exception {
        KafkaClusterTestKit kit = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder()
                .setCombined(true).setNumBrokerNodes(1).setNumControllerNodes(1).build())
                .setConfigProp("offsets.topic.replication.factor", "1")
                .setConfigProp("offsets.topic.num.partitions", "1")
                .setConfigProp("transaction.state.log.replication.factor", "1")
                .setConfigProp("transaction.state.log.min.isr", "1")
                .setConfigProp("transaction.state.log.num.partitions", "1")
                .setConfigProp("group.initial.rebalance.delay.ms", "0")
                .build();
        kit.format();
        kit.startup();
        kit.waitForReadyBrokers();
        return new KafkaTestCluster(kit);
    }

    public String bootstrap() {
        return kit.bootstrapServers();
    }

    public void createTopic(String name, int partitions, Map<String, String> configs) throws Exception {
        try (Admin admin = kit.admin()) {
            admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1).configs(configs))).all()
                    .get(30, TimeUnit.SECONDS);
        }
    }

    /** The partition's end offset: one past its last record or transaction marker. */
    public long endOffset(String topic, int partition) throws Exception {
        try (Admin admin = kit.admin()) {
            TopicPartition tp = new TopicPartition(topic, partition);
            return admin.listOffsets(Map.of(tp, OffsetSpec.latest())).partitionResult(tp).get(30, TimeUnit.SECONDS)
                    .offset();
        }
    }

    /** Stops the broker (the controller too, when combined) and starts it again on the same port. */
    public void restartBroker() throws Exception {
        BrokerServer broker = kit.brokers().values().iterator().next();
        broker.shutdown();
        broker.awaitShutdown();
        broker.startup();
        kit.waitForReadyBrokers();
    }

    /** Every committed record of the topic, read to its end: until they hold {@code expected} events (lines). */
    public List<ConsumerRecord<byte[], byte[]>> readCommitted(String topic, int expected, Duration timeout) {
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.GROUP_ID_CONFIG, "reader-" + UUID.randomUUID(),
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName()))) {
            c.subscribe(List.of(topic));
            List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
            Instant end = Instant.now().plus(timeout);
            // Reads until the expected count and then one more quiet second, so that extra records would show.
            Instant quietUntil = null;
            int events = 0;
            while (Instant.now().isBefore(end)) {
                int before = out.size();
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(200))) {
                    out.add(r);
                    events += lineCount(r.value());
                }
                if (events >= expected) {
                    if (quietUntil == null || out.size() != before) {
                        quietUntil = Instant.now().plusSeconds(1);
                    } else if (Instant.now().isAfter(quietUntil)) {
                        break;
                    }
                }
            }
            return out;
        }
    }

    @Override
    public void close() throws Exception {
        kit.close();
    }

    // ---- helpers shared by the tests -----------------------------------------------------------------------------

    /** Event {@code n} of tenant {@code tenant}, numbered in {@code details.n}. */
    public static AuditEvent event(String tenant, long n) {
        long millis = 1_700_000_000_000L + n;
        return AuditEvent.builder(EventCatalog.AUTH_LOGIN_FAILURE).id(EventIds.next(millis))
                .timestamp(Instant.ofEpochMilli(millis)).actor(Actor.user("user-" + n % 7)).tenant(tenant)
                .detail("n", n).build();
    }

    public static String utf8(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    public static AuditEvent parse(byte[] value) {
        return EventJson.parse(utf8(value));
    }

    /** How many lines (events) a record value holds, as the Kafka sink packs them. */
    public static int lineCount(byte[] value) {
        return RecordLines.bounds(value).length / 2;
    }

    /** The events the records carry, in order. */
    public static List<AuditEvent> events(List<ConsumerRecord<byte[], byte[]>> records) {
        return records.stream().flatMap(r -> KafkaSinks.events(r.value()).stream()).toList();
    }

    /** Waits for the condition, failing after the timeout. */
    public static void await(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        Instant end = Instant.now().plus(timeout);
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(end)) {
                throw new AssertionError("timed out after " + timeout + " waiting for " + what);
            }
            Thread.sleep(50);
        }
    }

    /** Entries in all of the topic's file ledgers under {@code dir} now (read beside the running sequencer). */
    public static long fileEntries(Path dir, String topic) {
        long n = 0;
        try (Stream<Path> entries = Files.list(dir)) {
            for (Path p : entries.filter(Files::isDirectory).toList()) {
                if (p.getFileName().toString().startsWith(topic + "-")) {
                    try (LedgerReader r = FileLedger.openReader(p)) {
                        n += r.size();
                    }
                }
            }
        } catch (IOException e) {
            return -1; // a ledger being created: ask again
        }
        return n;
    }

    /**
     * The events of every partition's file ledger under {@code dir}, each ledger verified, by partition; the ledger's
     * own entries (a recovery after a crash) are left out.
     */
    public static Map<Integer, List<AuditEvent>> fileLedgers(Path dir, String topic) throws IOException {
        Map<Integer, List<AuditEvent>> out = new TreeMap<>();
        try (Stream<Path> entries = Files.list(dir)) {
            for (Path p : entries.filter(Files::isDirectory).toList()) {
                String name = p.getFileName().toString();
                if (!name.startsWith(topic + "-")) {
                    continue;
                }
                int partition = Integer.parseInt(name.substring(topic.length() + 1));
                VerificationReport report = LedgerVerifier.of(p).verify();
                assertThat(report.intact()).as("ledger %s verifies: %s", p, report).isTrue();
                List<AuditEvent> events = new ArrayList<>();
                try (LedgerReader r = FileLedger.openReader(p); Stream<LedgerEntry> all = r.entries(0, r.size())) {
                    all.map(LedgerEntry::event).filter(e -> e.tenant().isPresent()).forEach(events::add);
                }
                out.put(partition, events);
            }
        }
        return out;
    }
}
