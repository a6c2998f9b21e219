package io.vigil.config;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.vigil.OverflowPolicy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConfigWatcherTest {

    @TempDir
    Path dir;

    private Path file;
    private final List<VigilConfig> applied = new ArrayList<>();
    private ScheduledExecutorService scheduler;
    private final ListAppender<ILoggingEvent> log = new ListAppender<>();
    private final Logger logger = (Logger) LoggerFactory.getLogger(ConfigWatcher.class);

    @BeforeEach
    void setUp() throws IOException {
        file = dir.resolve("vigil.yml");
        Files.writeString(file, "enabled: true\ntarget: stdout\n");
        // Polls an hour apart never fire during a test; checkNow() drives it.
        scheduler = Executors.newSingleThreadScheduledExecutor();
        log.start();
        logger.addAppender(log);
    }

    @AfterEach
    void tearDown() {
        logger.detachAppender(log);
        scheduler.shutdownNow();
    }

    private ConfigWatcher watcher() {
        return ConfigWatcher.start(file, Duration.ofHours(1), scheduler, applied::add);
    }

    @Test
    void startingContentIsTakenAsApplied() {
        try (ConfigWatcher w = watcher()) {
            assertThat(w.current()).contains(ConfigLoader.parseYaml("enabled: true\ntarget: stdout\n", "x"));
            assertThat(w.checkNow()).isFalse();
            assertThat(applied).isEmpty();
        }
    }

    @Test
    void appliesAValidChange() throws IOException {
        try (ConfigWatcher w = watcher()) {
            Files.writeString(file, "enabled: true\ntarget: stdout\npipeline: {overflow: drop}\n");
            assertThat(w.checkNow()).isTrue();
            assertThat(applied).singleElement()
                    .satisfies(c -> assertThat(c.pipeline().overflow()).isEqualTo(OverflowPolicy.DROP));
            assertThat(w.current()).contains(applied.get(0));
        }
    }

    @Test
    void ignoresAnInvalidChangeAndKeepsTheOldConfig() throws IOException {
        try (ConfigWatcher w = watcher()) {
            VigilConfig before = w.current().orElseThrow();
            Files.writeString(file, "enabled: true\ntarget: stdout\npipeline: {overflow: explode}\n");
            assertThat(w.checkNow()).isFalse();
            assertThat(applied).isEmpty();
            assertThat(w.current()).contains(before);
            assertThat(log.list).singleElement().satisfies(ev -> {
                assertThat(ev.getLevel()).isEqualTo(Level.WARN);
                assertThat(ev.getFormattedMessage())
                        .contains(file.toString(), "pipeline.overflow: 'explode' is not allowed");
            });
            // The same broken content is reported once, not at every poll.
            assertThat(w.checkNow()).isFalse();
            assertThat(log.list).hasSize(1);

            // Fixing the file applies the fix.
            Files.writeString(file, "enabled: false\n");
            assertThat(w.checkNow()).isTrue();
            assertThat(applied).singleElement().satisfies(c -> assertThat(c.enabled()).isFalse());
        }
    }

    @Test
    void doesNotReapplyUnchangedContent() throws IOException {
        try (ConfigWatcher w = watcher()) {
            Files.writeString(file, "enabled: false\n");
            assertThat(w.checkNow()).isTrue();
            assertThat(w.checkNow()).isFalse();
            Files.writeString(file, "enabled: false\n");
            assertThat(w.checkNow()).isFalse();
            // A comment changes the bytes but not the configuration.
            Files.writeString(file, "# off for maintenance\nenabled: false\n");
            assertThat(w.checkNow()).isFalse();
            assertThat(applied).hasSize(1);
        }
    }

    @Test
    void aMissingFileKeepsThePreviousConfig() throws IOException {
        try (ConfigWatcher w = watcher()) {
            Files.delete(file);
            assertThat(w.checkNow()).isFalse();
            assertThat(w.current()).isPresent();
            Files.writeString(file, "enabled: false\n");
            assertThat(w.checkNow()).isTrue();
        }
    }

    @Test
    void aFailingConsumerDoesNotCountAsApplied() throws IOException {
        try (ConfigWatcher w = ConfigWatcher.start(file, Duration.ofHours(1), scheduler, c -> {
            throw new IllegalStateException("no custom sink named 'default'");
        })) {
            VigilConfig before = w.current().orElseThrow();
            Files.writeString(file, "enabled: true\ntarget: custom\n");
            assertThat(w.checkNow()).isFalse();
            assertThat(w.current()).contains(before);
            assertThat(log.list).anySatisfy(ev -> assertThat(ev.getLevel()).isEqualTo(Level.ERROR));
        }
    }

    @Test
    void invalidStartingContentIsAppliedOnceFixed() throws IOException {
        Files.writeString(file, "enabled: perhaps\n");
        try (ConfigWatcher w = watcher()) {
            assertThat(w.current()).isEmpty();
            assertThat(log.list).singleElement().satisfies(ev -> assertThat(ev.getLevel()).isEqualTo(Level.WARN));
            Files.writeString(file, "enabled: true\n");
            assertThat(w.checkNow()).isTrue();
            assertThat(w.current()).contains(applied.get(0));
        }
    }

    @Test
    void closedWatcherStopsPolling() throws IOException {
        ConfigWatcher w = watcher();
        w.close();
        w.close();
        Files.writeString(file, "enabled: false\n");
        assertThat(w.checkNow()).isFalse();
        assertThat(scheduler.isShutdown()).as("an injected scheduler is the caller's").isFalse();
    }

    @Test
    void ownThreadPollsByItself() throws Exception {
        CountDownLatch changed = new CountDownLatch(1);
        AtomicReference<VigilConfig> seen = new AtomicReference<>();
        try (ConfigWatcher w = ConfigWatcher.start(file, Duration.ofMillis(10), c -> {
            seen.set(c);
            changed.countDown();
        })) {
            Files.writeString(file, "enabled: false\n");
            // Waiting on a latch, not sleeping: returns as soon as the poll has run. The watcher marks a config
            // current only after the consumer returns, so the test looks at what the consumer was given.
            assertThat(changed.await(30, TimeUnit.SECONDS)).isTrue();
            assertThat(seen.get().enabled()).isFalse();
        }
    }

    @Test
    void intervalMustBePositive() {
        assertThatThrownBy(() -> ConfigWatcher.start(file, Duration.ZERO, scheduler, c -> { }))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
