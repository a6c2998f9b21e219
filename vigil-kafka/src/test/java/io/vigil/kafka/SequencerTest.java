package io.vigil.kafka;

import io.vigil.event.AuditEvent;
import io.vigil.json.EventJson;
import io.vigil.kafka.internal.KafkaSink;
import io.vigil.ledger.LedgerEntry;
import io.vigil.ledger.LedgerReader;
import io.vigil.ledger.VerificationReport;
import io.vigil.ledger.checkpoint.SigningKey;
import io.vigil.postgres.PostgresLedger;
import io.vigil.postgres.PostgresVerifier;
import io.vigil.postgres.testsupport.PostgresServer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.ds.PGSimpleDataSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.LongSupplier;
import java.util.stream.Stream;

import static io.vigil.kafka.KafkaTestCluster.await;
import static io.vigil.kafka.KafkaTestCluster.fileEntries;
import static io.vigil.kafka.KafkaTestCluster.fileLedgers;
import static org.assertj.core.api.Assertions.assertThat;

/** Producers, a topic of several partitions and sequencers: every event in exactly one ledger, once, in order. */
class SequencerTest {
    private static final SigningKey KEY = SigningKey.generate("sequencer.test.vigil.example");
    private static KafkaTestCluster kafka;

    @TempDir
    Path tmp;

    @BeforeAll
    static void start() throws Exception {
        kafka = KafkaTestCluster.start();
    }

    @AfterAll
    static void stop() throws Exception {
        kafka.close();
    }

    private static String topic(int partitions) throws Exception {
        String t = "audit-" + UUID.randomUUID().toString().substring(0, 8);
        kafka.createTopic(t, partitions, Map.of());
        return t;
    }

    private SequencerOptions options(String topic, SequencerTarget target) {
        return SequencerOptions.of(kafka.bootstrap(), topic, target).withSigningKey(KEY)
                .withProgressInterval(Duration.ofSeconds(2));
    }

    @Test
    void manyProducersIntoFileLedgersEveryEventOnceInOrder() throws Exception {
        String topic = topic(4);
        Path dir = tmp.resolve("ledgers");
        Producers producers = Producers.start(kafka.bootstrap(), topic, 6, 400, 25, 8, Duration.ZERO);
        try (Sequencer sequencer = Sequencer.start(options(topic, new SequencerTarget.Files(dir)))) {
            List<AuditEvent> sent = producers.await();
            await("every event in the ledgers", Duration.ofSeconds(60), () -> fileEntries(dir, topic) >= sent.size());
            assertThat(sequencer.isRunning()).isTrue();
        }
        List<AuditEvent> sent = producers.await();
        Map<Integer, List<AuditEvent>> ledgers = fileLedgers(dir, topic);
        assertThat(ledgers).hasSize(4);
        Producers.assertExactlyOnceInOrder(sent, ledgers);
        assertThat(Files.readString(dir.resolve(topic + "-0.offset"))).contains("next=");
    }

    @Test
    void restartedSequencerGoesOnFromItsStoredOffsets() throws Exception {
        String topic = topic(3);
        Path dir = tmp.resolve("ledgers");
        Producers first = Producers.start(kafka.bootstrap(), topic, 2, 200, 20, 5, Duration.ZERO);
        List<AuditEvent> sent = new ArrayList<>(first.await());
        try (Sequencer s = Sequencer.start(options(topic, new SequencerTarget.Files(dir)))) {
            await("the first events", Duration.ofSeconds(60), () -> fileEntries(dir, topic) >= sent.size());
        }
        Producers second = Producers.start(kafka.bootstrap(), topic, 2, 200, 20, 5, Duration.ZERO);
        sent.addAll(second.await());
        // another group id: the Kafka group's committed offsets play no part, the stored ones do
        try (Sequencer s = Sequencer.start(options(topic, new SequencerTarget.Files(dir)).withGroupId("other"))) {
            await("the second events", Duration.ofSeconds(60), () -> fileEntries(dir, topic) >= sent.size());
        }
        Producers.assertExactlyOnceInOrder(sent, fileLedgers(dir, topic));
    }

    @Test
    void recordsThatAreNoEventAreKeptAsideAndTheRestGoesOn() throws Exception {
        String topic = topic(1);
        Path dir = tmp.resolve("ledgers");
        List<AuditEvent> packedEvents = List.of(
                KafkaTestCluster.event("packed", 1).toBuilder().detail("p", 0).build(),
                KafkaTestCluster.event("packed", 2).toBuilder().detail("p", 0).build());
        try (KafkaProducer<byte[], byte[]> p = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrap(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName()))) {
            p.send(new ProducerRecord<>(topic, "k".getBytes(StandardCharsets.UTF_8),
                    "not an event".getBytes(StandardCharsets.UTF_8))).get();
            p.send(new ProducerRecord<>(topic, null, new byte[] {(byte) 0xff, 0x00})).get();
            // a valid event, but marked as a SIEM format's line: not for a ledger
            ProducerRecord<byte[], byte[]> ocsf = new ProducerRecord<>(topic, null,
                    EventJson.toCanonicalBytes(KafkaTestCluster.event("t", 1)));
            ocsf.headers().add(KafkaSink.FORMAT_HEADER, "ocsf".getBytes(StandardCharsets.UTF_8));
            p.send(ocsf).get();
            // a packed record whose middle line is no event: the lines around it are appended
            String packed = EventJson.toCanonicalString(packedEvents.get(0)) + "\n{\"v\":1}\n"
                    + EventJson.toCanonicalString(packedEvents.get(1)) + "\n";
            p.send(new ProducerRecord<>(topic, null, packed.getBytes(StandardCharsets.UTF_8))).get();
        }
        Producers producers = Producers.start(kafka.bootstrap(), topic, 1, 50, 10, 2, Duration.ZERO);
        List<AuditEvent> sent = new ArrayList<>(packedEvents);
        sent.addAll(producers.await());
        try (Sequencer s = Sequencer.start(options(topic, new SequencerTarget.Files(dir)))) {
            await("the events", Duration.ofSeconds(60), () -> fileEntries(dir, topic) >= sent.size());
        }
        Producers.assertExactlyOnceInOrder(sent, fileLedgers(dir, topic));
        List<String> rejected = Files.readAllLines(dir.resolve(topic + "-0.rejected.jsonl"));
        assertThat(rejected).hasSize(4);
        assertThat(rejected.get(0)).startsWith("{\"offset\":0,\"line\":0,");
        assertThat(rejected.get(1)).startsWith("{\"offset\":1,\"line\":0,");
        assertThat(rejected.get(2)).startsWith("{\"offset\":2,\"line\":0,").contains("written in format 'ocsf'");
        assertThat(rejected.get(3)).startsWith("{\"offset\":3,\"line\":1,\"key\":\"\",\"value\":\""
                + Base64.getEncoder().encodeToString("{\"v\":1}".getBytes(StandardCharsets.UTF_8)) + "\"")
                .contains("line 2 of 3: missing required field 'id'");
    }

    @Test
    void twoSequencersRebalanceEveryEventOnce() throws Exception {
        String topic = topic(4);
        Path dir = tmp.resolve("ledgers");
        List<AuditEvent> sent = rebalance(topic, new SequencerTarget.Files(dir), () -> fileEntries(dir, topic));
        Producers.assertExactlyOnceInOrder(sent, fileLedgers(dir, topic));
    }

    @Test
    void twoSequencersRebalanceIntoPostgresEveryEventOnce() throws Exception {
        PostgresServer pg = PostgresServer.shared();
        String db = pg.createDatabase("rebalance");
        String topic = topic(4);
        List<AuditEvent> sent = rebalance(topic, new SequencerTarget.Postgres(pg.jdbcUrl(db), Optional.of("postgres"),
                Optional.empty()), () -> postgresEntries(pg, db, topic, 4));
        Producers.assertExactlyOnceInOrder(sent, postgresLedgers(kafka, pg, db, topic, 4));
    }

    /**
     * A joins, B joins mid-stream and takes partitions over, B leaves mid-stream, A takes everything back; returns
     * what was sent.
     */
    private List<AuditEvent> rebalance(String topic, SequencerTarget target, LongSupplier entries) throws Exception {
        // they send until told to stop, so that everything below happens mid-stream
        Producers producers = Producers.start(kafka.bootstrap(), topic, 4, Integer.MAX_VALUE, 10, 8,
                Duration.ofMillis(20));
        SequencerOptions options = options(topic, target);
        Sequencer a = Sequencer.start(options);
        try {
            await("a owns every partition", Duration.ofSeconds(60), () -> a.partitions().size() == 4);
            await("a appends", Duration.ofSeconds(60), () -> entries.getAsLong() > 200);
            try (Sequencer b = Sequencer.start(options)) {
                await("b owns partitions", Duration.ofSeconds(60), () -> !b.partitions().isEmpty());
                assertThat(a.partitions()).doesNotContainAnyElementsOf(b.partitions());
                long before = entries.getAsLong();
                await("both append", Duration.ofSeconds(60), () -> entries.getAsLong() > before + 400);
                assertThat(producers.running()).as("b leaves mid-stream").isTrue();
            }
            await("a owns every partition again", Duration.ofSeconds(60), () -> a.partitions().size() == 4);
            long back = entries.getAsLong();
            await("a appends again", Duration.ofSeconds(60), () -> entries.getAsLong() > back + 200);
            List<AuditEvent> sent = producers.stopAndAwait();
            await("every event", Duration.ofSeconds(90), () -> entries.getAsLong() >= sent.size());
            assertThat(a.isRunning()).isTrue();
        } finally {
            a.close();
        }
        return producers.await();
    }

    @Test
    void manyProducersIntoPostgresLedgersEveryEventOnceInOrder() throws Exception {
        PostgresServer pg = PostgresServer.shared();
        String db = pg.createDatabase("sequencer");
        String topic = topic(3);
        SequencerTarget.Postgres target = new SequencerTarget.Postgres(pg.jdbcUrl(db), Optional.of("postgres"),
                Optional.empty());
        Producers producers = Producers.start(kafka.bootstrap(), topic, 4, 250, 25, 6, Duration.ZERO);
        List<AuditEvent> sent = producers.await();
        try (Sequencer s = Sequencer.start(options(topic, target))) {
            await("every event", Duration.ofSeconds(90), () -> postgresEntries(pg, db, topic, 3) >= sent.size());
        }
        Producers.assertExactlyOnceInOrder(sent, postgresLedgers(kafka, pg, db, topic, 3));
    }

    /** Each partition's PostgreSQL ledger, verified, with its stored offset past its entries. */
    static Map<Integer, List<AuditEvent>> postgresLedgers(KafkaTestCluster cluster, PostgresServer pg, String db,
                                                          String topic, int partitions) throws Exception {
        Map<Integer, List<AuditEvent>> ledgers = new TreeMap<>();
        for (int p = 0; p < partitions; p++) {
            PGSimpleDataSource ds = inSchema(pg, db, "vigil_kafka_" + topic.replace('-', '_') + "$", p);
            VerificationReport report = PostgresVerifier.of(ds).key(KEY.verifierKey()).verify();
            assertThat(report.intact()).as("partition %d: %s", p, report).isTrue();
            try (LedgerReader r = PostgresLedger.openReader(ds); Stream<LedgerEntry> all = r.entries(0, r.size())) {
                ledgers.put(p, all.map(LedgerEntry::event).toList());
            }
            try (Connection c = ds.getConnection(); Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT next_offset, owner_epoch FROM vigil_kafka_offset")) {
                assertThat(rs.next()).isTrue();
                // stored, and never past the partition's end (records of aborted transactions and the markers after
                // the last committed record may lie between)
                assertThat(rs.getLong(1)).as("the stored offset of partition %d", p)
                        .isPositive().isLessThanOrEqualTo(cluster.endOffset(topic, p));
            }
        }
        return ledgers;
    }

    /** The partition's schema: the topic has a '-', so its name carries a digest; found by prefix. */
    private static PGSimpleDataSource inSchema(PostgresServer pg, String db, String prefix, int partition)
            throws Exception {
        String schema;
        try (Connection c = pg.superuser(db); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT nspname FROM pg_namespace WHERE nspname LIKE 'vigil_kafka_%_"
                     + partition + "'")) {
            List<String> found = new ArrayList<>();
            while (rs.next()) {
                if (rs.getString(1).startsWith(prefix)) {
                    found.add(rs.getString(1));
                }
            }
            assertThat(found).hasSize(1);
            schema = found.get(0);
        }
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setURL(pg.jdbcUrl(db));
        ds.setUser("postgres");
        ds.setCurrentSchema(schema);
        return ds;
    }

    static long postgresEntries(PostgresServer pg, String db, String topic, int partitions) {
        long n = 0;
        try {
            for (int p = 0; p < partitions; p++) {
                try (Connection c = inSchema(pg, db, "vigil_kafka_" + topic.replace('-', '_') + "$", p)
                        .getConnection(); Statement st = c.createStatement();
                     ResultSet rs = st.executeQuery("SELECT count(*) FROM security_audit_chain")) {
                    rs.next();
                    n += rs.getLong(1);
                }
            }
        } catch (Exception | AssertionError e) {
            return -1; // not all there yet
        }
        return n;
    }
}
