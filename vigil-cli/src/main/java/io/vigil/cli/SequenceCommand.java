package io.vigil.cli;

import io.vigil.kafka.Sequencer;
import io.vigil.kafka.SequencerOptions;
import io.vigil.kafka.SequencerTarget;
import io.vigil.ledger.checkpoint.KeyFiles;
import io.vigil.ledger.checkpoint.SigningKey;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** {@code vigil sequence}: a topic written by Kafka sinks, appended into a ledger per partition. */
@Command(name = "sequence",
        mixinStandardHelpOptions = true, versionProvider = VigilCommand.Version.class,
        description = {"Read a Kafka topic written by Vigil's Kafka sinks (format jsonl) and append each partition "
                + "into a ledger of its own, every event exactly once and in partition order, across crashes and "
                + "rebalances. Run several with the same --group to share the partitions.",
                "",
                "With --dir, partition P of topic T goes to the file ledger DIR/T-P, with its stored offset in "
                + "DIR/T-P.offset, its lock in DIR/T-P.lock and the lines of records that are no Vigil event in "
                + "DIR/T-P.rejected.jsonl; checkpoints are signed with DIR/sequencer.key (0600, made on first start; "
                + "give DIR/sequencer.pub to whoever verifies) unless --key names another. With --store, each "
                + "partition gets a schema of its own in the database (vigil_kafka_T_P), holding the ledger, the "
                + "stored offset and the rejected lines; checkpoints are signed only with --key. Sequencers of one "
                + "group must share DIR (one host): on several hosts, use --store.",
                "",
                "The offset of each partition is stored with its ledger in the same durable step and the consumer "
                + "seeks to it when it is given the partition; the group's offsets in Kafka are committed for lag "
                + "monitoring only. Stop with Ctrl-C or SIGTERM: the batch in progress is appended, every ledger "
                + "closed with a final checkpoint.", ""},
        footer = {"", "Examples:",
                "  vigil sequence --bootstrap kafka1:9092 --topic audit --dir /var/lib/vigil/sequencer",
                "  PGUSER=vigil PGPASSWORD=... vigil sequence --bootstrap kafka1:9092 --topic audit \\",
                "       --store jdbc:postgresql://db:5432/audit --key /etc/vigil/sequencer.key",
                "  vigil sequence --bootstrap kafka1:9093 --topic audit --dir DIR --property security.protocol=SSL"})
final class SequenceCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--bootstrap", paramLabel = "HOST:PORT", required = true,
            description = "The Kafka brokers to start from, HOST:PORT[,HOST:PORT...].")
    String bootstrap;

    @Option(names = "--topic", paramLabel = "TOPIC", required = true, description = "The topic to read.")
    String topic;

    @Option(names = "--dir", paramLabel = "DIR",
            description = "Keep the ledgers as files under DIR (created, 0700, when missing).")
    Path dir;

    @Option(names = "--store", paramLabel = "URL",
            description = "Keep the ledgers in PostgreSQL, a schema per partition: jdbc:postgresql://HOST[:PORT]/"
                    + "DATABASE (user and password from PGUSER and PGPASSWORD, or ?user=NAME).")
    String store;

    @Option(names = "--group", paramLabel = "ID",
            description = "The consumer group (default: vigil-sequencer-TOPIC).")
    String group;

    @Option(names = "--key", paramLabel = "FILE",
            description = "The private key that signs the ledgers' checkpoints, as 'vigil keygen' writes it "
                    + "(default with --dir: DIR/sequencer.key, made on first start).")
    Path key;

    @Option(names = "--property", paramLabel = "KEY=VALUE",
            description = "A Kafka consumer setting (TLS, SASL, ...), repeatable. Those exactly-once rests on "
                    + "(enable.auto.commit, isolation.level, the deserializers, group.id) are the sequencer's.")
    Map<String, String> properties = new LinkedHashMap<>();

    @Override
    public Integer call() throws Exception {
        if ((dir == null) == (store == null)) {
            throw new ParameterException(spec.commandLine(), "say where the ledgers go: --dir DIR or --store URL"
                    + " (one of them)");
        }
        SequencerTarget target;
        if (dir != null) {
            target = new SequencerTarget.Files(dir);
        } else {
            Databases.dataSource(spec.commandLine(), store); // checks the URL, exit 2 when it is none
            target = new SequencerTarget.Postgres(store, env("PGUSER"), env("PGPASSWORD"));
        }
        SequencerOptions options;
        try {
            options = SequencerOptions.of(bootstrap, topic, target).withProgressInterval(Duration.ofSeconds(30))
                    .withConsumerProperties(properties);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        if (group != null) {
            try {
                options = options.withGroupId(group);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), "--group: " + e.getMessage());
            }
        }
        Optional<SigningKey> signing;
        try {
            signing = signingKey();
        } catch (IOException e) {
            System.err.println("vigil: cannot read or make the signing key: " + e.getMessage());
            return 1;
        }
        if (signing.isPresent()) {
            options = options.withSigningKey(signing.get());
        } else {
            System.err.println("vigil: no --key: the ledgers' checkpoints are not signed");
        }
        Sequencer sequencer = Sequencer.start(options);
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            try {
                sequencer.close();
            } catch (IOException e) {
                System.err.println("vigil: stopping: " + e.getMessage());
            } finally {
                stopped.countDown();
            }
        }, "vigil-sequence-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        System.out.println("vigil: sequencing topic " + topic + " at " + bootstrap + " (group " + options.groupId()
                + ") into " + (dir != null ? dir.toString() : Databases.redacted(store)) + " (Ctrl-C stops)");
        System.out.flush();
        while (sequencer.isRunning()) {
            try {
                sequencer.await(Duration.ofSeconds(1));
            } catch (IOException e) {
                // stopped on its own: say why, and leave the hook nothing to do
                Runtime.getRuntime().removeShutdownHook(hook);
                System.err.println("vigil: " + e.getMessage());
                return 1;
            }
        }
        stopped.await();
        return 0;
    }

    private static Optional<String> env(String name) {
        String v = System.getenv(name);
        return v == null || v.isEmpty() ? Optional.empty() : Optional.of(v);
    }

    /** --key, or with --dir DIR/sequencer.key (made with its .pub on first start). */
    private Optional<SigningKey> signingKey() throws IOException {
        if (key != null) {
            if (!Files.isRegularFile(key)) {
                throw new ParameterException(spec.commandLine(), "--key " + key + ": no such file");
            }
            return Optional.of(KeyFiles.readPrivate(key));
        }
        if (dir == null) {
            return Optional.empty();
        }
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString("rwx------")));
        }
        Path priv = dir.resolve("sequencer.key");
        if (!Files.exists(priv)) {
            KeyFiles.write(SigningKey.generate("vigil-sequencer"), priv, dir.resolve("sequencer.pub"));
        }
        return Optional.of(KeyFiles.readPrivate(priv));
    }
}
