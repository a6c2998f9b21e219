package io.vigil.cli;

import io.vigil.event.AuditEvent;
import io.vigil.kafka.KafkaTestCluster;
import io.vigil.kafka.Producers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code vigil sequence}: its help, its usage errors, and a run stopped with SIGTERM that leaves ledgers to verify. */
class SequenceCommandTest {
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
    void helpExplainsTheCommand() {
        Cli.Result r = Cli.run("sequence", "--help");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("--bootstrap=HOST:PORT", "--topic=TOPIC", "--dir=DIR", "--store=URL",
                "--group=ID", "--property=KEY=VALUE", "exactly once", "DIR/T-P.offset", "SIGTERM");
        assertThat(Cli.run("--help").out()).contains("sequence");
    }

    @Test
    void whereTheLedgersGoMustBeSaidOnce() {
        Cli.Result none = Cli.run("sequence", "--bootstrap", "localhost:9092", "--topic", "audit");
        assertThat(none.exit()).isEqualTo(2);
        assertThat(none.err()).contains("--dir DIR or --store URL");
        Cli.Result both = Cli.run("sequence", "--bootstrap", "localhost:9092", "--topic", "audit", "--dir",
                tmp.toString(), "--store", "jdbc:postgresql://localhost/db");
        assertThat(both.exit()).isEqualTo(2);
        Cli.Result badTopic = Cli.run("sequence", "--bootstrap", "localhost:9092", "--topic", "no/slash", "--dir",
                tmp.toString());
        assertThat(badTopic.exit()).isEqualTo(2);
        assertThat(badTopic.err()).contains("topic");
        Cli.Result badUrl = Cli.run("sequence", "--bootstrap", "localhost:9092", "--topic", "audit", "--store",
                "jdbc:mysql://localhost/db");
        assertThat(badUrl.exit()).isEqualTo(2);
    }

    @Test
    void sequencesUntilSigtermThenTheLedgersVerify() throws Exception {
        String topic = "cli-audit";
        kafka.createTopic(topic, 2, Map.of());
        List<AuditEvent> sent = Producers.start(kafka.bootstrap(), topic, 2, 300, 20, 4, Duration.ZERO).await();
        Path dir = tmp.resolve("seq");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                VigilCommand.class.getName(), "sequence", "--bootstrap", kafka.bootstrap(), "--topic", topic,
                "--dir", dir.toString(), "--property", "session.timeout.ms=6000")
                .redirectErrorStream(true).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String line;
            do {
                line = out.readLine();
            } while (line != null && !line.contains("vigil: sequencing"));
            assertThat(line).contains("sequencing topic " + topic);
            Thread drain = new Thread(() -> out.lines().forEach(l -> { }));
            drain.setDaemon(true);
            drain.start();
            KafkaTestCluster.await("every event", Duration.ofSeconds(60),
                    () -> KafkaTestCluster.fileEntries(dir, topic) >= sent.size());
        } finally {
            p.destroy(); // SIGTERM
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(p.exitValue()).as("a clean stop").isIn(0, 143);
        Producers.assertExactlyOnceInOrder(sent, KafkaTestCluster.fileLedgers(dir, topic));
        assertThat(dir.resolve("sequencer.key")).isRegularFile();
        Cli.Result verify = Cli.run("verify", dir.resolve(topic + "-0").toString(), "--key",
                dir.resolve("sequencer.pub").toString());
        assertThat(verify.exit()).as("%s", verify).isZero();
        assertThat(Files.readString(dir.resolve(topic + "-1.offset"))).contains("next=");
    }
}
