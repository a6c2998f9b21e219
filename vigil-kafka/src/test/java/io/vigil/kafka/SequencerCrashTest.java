package io.vigil.kafka;

import io.vigil.event.AuditEvent;
import io.vigil.postgres.testsupport.PostgresServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import static io.vigil.kafka.KafkaTestCluster.await;
import static io.vigil.kafka.KafkaTestCluster.fileEntries;
import static io.vigil.kafka.KafkaTestCluster.fileLedgers;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sequencer in a child JVM, killed with SIGKILL mid-stream (no shutdown hook, no close, a torn ledger tail or an
 * offset file behind its ledger; for PostgreSQL a transaction cut off) and started again, twice: every event ends up
 * in the ledgers exactly once.
 */
class SequencerCrashTest {
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

    private Process child(String target, String topic, int run) throws Exception {
        return new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx256m",
                "-cp", System.getProperty("java.class.path"),
                SequencerChild.class.getName(), kafka.bootstrap(), topic, target)
                .redirectErrorStream(true).redirectOutput(tmp.resolve("child-" + run + ".log").toFile()).start();
    }

    @Test
    void killedMidStreamAndRestartedEveryEventOnce() throws Exception {
        String topic = "crash-audit";
        Path dir = tmp.resolve("ledgers");
        List<AuditEvent> sent = killTwiceThenFinish(topic, dir.toString(), () -> fileEntries(dir, topic));
        Producers.assertExactlyOnceInOrder(sent, fileLedgers(dir, topic));
    }

    @Test
    void killedMidStreamAndRestartedIntoPostgresEveryEventOnce() throws Exception {
        PostgresServer pg = PostgresServer.shared();
        String db = pg.createDatabase("crash");
        String topic = "crash-pg-audit";
        List<AuditEvent> sent = killTwiceThenFinish(topic, pg.jdbcUrl(db), () -> SequencerTest.postgresEntries(pg, db,
                topic, 3));
        Producers.assertExactlyOnceInOrder(sent, SequencerTest.postgresLedgers(kafka, pg, db, topic, 3));
    }

    /** Producers send while the sequencer is killed twice and started again; returns what was sent. */
    private List<AuditEvent> killTwiceThenFinish(String topic, String target, LongSupplier entries) throws Exception {
        kafka.createTopic(topic, 3, Map.of());
        // they send until told to stop, so that every kill happens mid-stream
        Producers producers = Producers.start(kafka.bootstrap(), topic, 3, Integer.MAX_VALUE, 10, 6,
                Duration.ofMillis(30));
        long killedAt = 0;
        for (int run = 0; run < 2; run++) {
            Process p = child(target, topic, run);
            long from = killedAt;
            try {
                await("run " + run + " appends", Duration.ofSeconds(90), () -> entries.getAsLong() > from + 500);
            } finally {
                p.destroyForcibly(); // SIGKILL: mid-append, mid offset write, whatever it was doing
                assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
            }
            killedAt = entries.getAsLong();
            assertThat(producers.running()).as("killed mid-stream").isTrue();
        }
        Process last = child(target, topic, 2);
        long restartedAt = killedAt;
        await("run 2 appends", Duration.ofSeconds(90), () -> entries.getAsLong() > restartedAt + 300);
        List<AuditEvent> sent = producers.stopAndAwait();
        try {
            await("every event", Duration.ofSeconds(120), () -> entries.getAsLong() >= sent.size());
        } finally {
            last.destroy(); // SIGTERM: the shutdown hook closes the sequencer cleanly
            assertThat(last.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        for (int i = 0; i < 3; i++) {
            int run = i;
            // what each run found on taking over (entries past the stored offset, a torn tail cut), for the record
            Files.readAllLines(tmp.resolve("child-" + run + ".log")).stream()
                    .filter(l -> l.contains("taken over") || l.contains("past the stored offset")
                            || l.contains("recover"))
                    .forEach(l -> System.out.println("child " + run + ": " + l));
        }
        return sent;
    }
}
