package io.vigil.config;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Polls one configuration file and hands each new valid configuration to a consumer (typically the log's
 * {@code reconfigure}). Changes are detected by the SHA-256 of the file's bytes rather than its modification time,
 * which has coarse resolution on some file systems and misses quick successive edits.
 *
 * <p>The content present when the watcher starts is taken as the one already in effect (it is what the log was
 * built from); only later changes reach the consumer. An invalid file is logged at WARN with every problem and
 * ignored: the previous configuration stays, never half of a new one. The same content is never applied twice.
 *
 * <p>Tests call {@link #checkNow()} instead of waiting for the poll.
 */
public final class ConfigWatcher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ConfigWatcher.class);

    private final Path file;
    private final Consumer<? super VigilConfig> onChange;
    private final ScheduledExecutorService scheduler;
    private final boolean ownsScheduler;

    // Guarded by this.
    private byte[] lastSeenHash;
    private byte[] appliedHash;
    private ScheduledFuture<?> task;
    private boolean closed;

    private volatile VigilConfig current;

    private ConfigWatcher(Path file, Consumer<? super VigilConfig> onChange, ScheduledExecutorService scheduler,
                          boolean ownsScheduler) {
        this.file = Objects.requireNonNull(file, "file");
        this.onChange = Objects.requireNonNull(onChange, "onChange");
        this.scheduler = scheduler;
        this.ownsScheduler = ownsScheduler;
    }

    /**
     * Starts watching on a daemon thread of its own, stopped by {@link #close()}.
     *
     * @param pollInterval how often the file is read; must be positive
     */
    public static ConfigWatcher start(Path file, Duration pollInterval, Consumer<? super VigilConfig> onChange) {
        checkInterval(pollInterval);
        ScheduledExecutorService own = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "vigil-config-watcher");
            t.setDaemon(true);
            return t;
        });
        return begin(new ConfigWatcher(file, onChange, own, true), pollInterval);
    }

    /**
     * Starts watching with polls scheduled on {@code scheduler}, which {@link #close()} leaves running.
     *
     * @param pollInterval how often the file is read; must be positive
     */
    public static ConfigWatcher start(Path file, Duration pollInterval, ScheduledExecutorService scheduler,
                                      Consumer<? super VigilConfig> onChange) {
        checkInterval(pollInterval);
        return begin(new ConfigWatcher(file, onChange, Objects.requireNonNull(scheduler, "scheduler"), false),
                pollInterval);
    }

    private static void checkInterval(Duration pollInterval) {
        if (pollInterval == null || pollInterval.isNegative() || pollInterval.isZero()) {
            throw new IllegalArgumentException("pollInterval must be positive, was " + pollInterval);
        }
    }

    private static ConfigWatcher begin(ConfigWatcher w, Duration pollInterval) {
        synchronized (w) {
            w.baseline();
            long nanos = pollInterval.toNanos();
            w.task = w.scheduler.scheduleWithFixedDelay(w::poll, nanos, nanos, TimeUnit.NANOSECONDS);
        }
        return w;
    }

    /** Records the starting content as applied, without calling the consumer. */
    private void baseline() {
        byte[] bytes = read();
        if (bytes == null) {
            return;
        }
        byte[] hash = sha256(bytes);
        lastSeenHash = hash;
        try {
            current = ConfigLoader.parse(bytes, file);
            appliedHash = hash;
        } catch (ConfigException e) {
            LOG.warn("Vigil configuration file is invalid; waiting for a valid version before applying anything:\n{}",
                    e.getMessage());
        }
    }

    /**
     * Reads the file now and, when its content changed since the last check and is a valid configuration that
     * differs from the current one, passes it to the consumer.
     *
     * @return true when a new configuration was applied
     */
    public synchronized boolean checkNow() {
        if (closed) {
            return false;
        }
        byte[] bytes = read();
        if (bytes == null) {
            return false;
        }
        byte[] hash = sha256(bytes);
        if (Arrays.equals(hash, lastSeenHash)) {
            return false;
        }
        // Remember what was seen even when it is invalid, so a broken file is reported once, not at every poll.
        lastSeenHash = hash;
        if (Arrays.equals(hash, appliedHash)) {
            return false;
        }
        VigilConfig next;
        try {
            next = ConfigLoader.parse(bytes, file);
        } catch (ConfigException e) {
            LOG.warn("Vigil configuration change ignored, the previous configuration stays in effect:\n{}",
                    e.getMessage());
            return false;
        }
        if (next.equals(current)) {
            // Only comments or formatting changed.
            appliedHash = hash;
            return false;
        }
        try {
            onChange.accept(next);
        } catch (RuntimeException e) {
            LOG.error("{}: applying the changed Vigil configuration failed; fix the file to try again", file, e);
            return false;
        }
        current = next;
        appliedHash = hash;
        LOG.info("{}: Vigil configuration reloaded", file);
        return true;
    }

    private void poll() {
        try {
            checkNow();
        } catch (RuntimeException e) {
            // An exception would cancel the periodic task and end watching silently.
            LOG.error("{}: checking the Vigil configuration failed", file, e);
        }
    }

    private byte[] read() {
        try {
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            // Editors often replace a file by rename; a moment without it is normal.
            LOG.debug("{}: configuration file is missing; keeping the previous configuration", file);
            return null;
        } catch (IOException e) {
            LOG.warn("{}: cannot read the configuration file ({}); keeping the previous configuration", file,
                    ConfigReader.describeIo(e));
            return null;
        }
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform provides SHA-256", e);
        }
    }

    /** The last configuration applied, or read at start; empty when the file has never been valid. */
    public Optional<VigilConfig> current() {
        return Optional.ofNullable(current);
    }

    /** The watched file. */
    public Path file() {
        return file;
    }

    /** Stops polling; a scheduler passed in by the caller is left running. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (task != null) {
            task.cancel(false);
        }
        if (ownsScheduler) {
            scheduler.shutdownNow();
        }
    }
}
