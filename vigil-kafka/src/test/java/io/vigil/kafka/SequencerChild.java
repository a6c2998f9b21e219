package io.vigil.kafka;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * A sequencer in a process of its own, for the crash test: {@code BOOTSTRAP TOPIC DIR|JDBC-URL}. It runs until killed; a
 * plain SIGTERM closes it cleanly through the shutdown hook.
 */
public final class SequencerChild {
    private SequencerChild() {
    }

    public static void main(String[] args) throws Exception {
        SequencerTarget target = args[2].startsWith("jdbc:")
                ? new SequencerTarget.Postgres(args[2], Optional.of("postgres"), Optional.empty())
                : new SequencerTarget.Files(Path.of(args[2]));
        SequencerOptions options = SequencerOptions.of(args[0], args[1], target)
                .withProgressInterval(Duration.ofSeconds(2))
                // static membership: the restarted process takes the killed one's place (and partitions) at once,
                // instead of waiting for its session to time out
                .withConsumerProperties(Map.of("group.instance.id", "crash-child", "session.timeout.ms", "6000",
                        "heartbeat.interval.ms", "500"));
        Sequencer sequencer = Sequencer.start(options);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                sequencer.close();
            } catch (Exception e) {
                e.printStackTrace();
            }
        }, "sequencer-stop"));
        while (sequencer.isRunning()) {
            sequencer.await(Duration.ofSeconds(1));
        }
    }
}
