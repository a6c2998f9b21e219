package io.vigil.kafka;

import io.vigil.event.AuditEvent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.vigil.kafka.KafkaTestCluster.await;
import static io.vigil.kafka.KafkaTestCluster.fileEntries;
import static io.vigil.kafka.KafkaTestCluster.fileLedgers;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The broker stops and starts again while producers send and a sequencer appends: the sinks' failed batches are sent
 * again, the sequencer reconnects, and every event ends up in the ledgers once.
 */
class BrokerRestartTest {
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

    @Test
    void brokerRestartedMidStreamEveryEventOnce() throws Exception {
        String topic = "restart-audit";
        kafka.createTopic(topic, 3, Map.of());
        Path dir = tmp.resolve("ledgers");
        // they send until told to stop, so that the restart happens mid-stream
        Producers producers = Producers.start(kafka.bootstrap(), topic, 3, Integer.MAX_VALUE, 10, 6,
                Duration.ofMillis(20));
        try (Sequencer sequencer = Sequencer.start(SequencerOptions.of(kafka.bootstrap(), topic,
                new SequencerTarget.Files(dir)).withProgressInterval(Duration.ofSeconds(2)))) {
            await("appends before the restart", Duration.ofSeconds(60), () -> fileEntries(dir, topic) > 500);
            kafka.restartBroker();
            assertThat(producers.running()).as("restarted mid-stream").isTrue();
            long restartedAt = fileEntries(dir, topic);
            await("appends after the restart", Duration.ofSeconds(90),
                    () -> fileEntries(dir, topic) > restartedAt + 500);
            List<AuditEvent> sent = producers.stopAndAwait();
            await("every event", Duration.ofSeconds(120), () -> fileEntries(dir, topic) >= sent.size());
            assertThat(sequencer.isRunning()).isTrue();
        }
        Producers.assertExactlyOnceInOrder(producers.await(), fileLedgers(dir, topic));
    }
}
