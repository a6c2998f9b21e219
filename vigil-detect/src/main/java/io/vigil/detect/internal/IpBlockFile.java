package io.vigil.detect.internal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.atomic.LongAdder;

/**
 * An address block list read from a file ({@link IpBlockListFormat}) and read again when the file changes. Whether it
 * changed (modification time and size) is looked at, from the caller's thread, at most once per {@code checkEvery} of
 * the given clock, so a lookup costs a file system call only every few seconds and tests move time themselves.
 *
 * <p>A reload that fails (a bad line, the file gone or unreadable) keeps the blocks read before, and is logged with
 * its reason (for a bad line, {@code file:line: why}) and counted, once per version of the file.
 */
public final class IpBlockFile {
    private static final Logger LOG = LoggerFactory.getLogger(IpBlockFile.class);

    private final Path path;
    private final Duration checkEvery;
    private final Clock clock;
    private final LongAdder reloads = new LongAdder();
    private final LongAdder failedReloads = new LongAdder();
    private volatile IpBlocks blocks;
    private volatile Instant nextCheck;
    /** The version last read or tried; guarded by {@code this}. */
    private Version lastTried;

    private IpBlockFile(Path path, Duration checkEvery, Clock clock, Version version, IpBlocks blocks) {
        this.path = path;
        this.checkEvery = checkEvery;
        this.clock = clock;
        this.lastTried = version;
        this.blocks = blocks;
        this.nextCheck = clock.instant().plus(checkEvery);
    }

    /**
     * Reads the file now.
     *
     * @throws IOException              when it cannot be read
     * @throws IllegalArgumentException on a line that is not an address or block ({@code file:line: why})
     */
    public static IpBlockFile open(Path path, Duration checkEvery, Clock clock) throws IOException {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(checkEvery, "checkEvery");
        Objects.requireNonNull(clock, "clock");
        if (checkEvery.isNegative() || checkEvery.isZero()) {
            throw new IllegalArgumentException("checkEvery " + checkEvery + " must be positive");
        }
        Version version = Version.of(path);
        IpBlocks read = IpBlockListFormat.read(Files.readAllBytes(path), path.toString());
        return new IpBlockFile(path, checkEvery, clock, version, read);
    }

    /** The blocks in use, after reading the file again when it is time to look and it has changed. */
    public IpBlocks current() {
        if (!clock.instant().isBefore(nextCheck)) {
            check();
        }
        return blocks;
    }

    /** Reloads that replaced the blocks in use. */
    public long reloads() {
        return reloads.sum();
    }

    /** Reloads that failed and left the blocks in use as they were. */
    public long failedReloads() {
        return failedReloads.sum();
    }

    private synchronized void check() {
        Instant now = clock.instant();
        if (now.isBefore(nextCheck)) {
            return; // another thread looked meanwhile
        }
        nextCheck = now.plus(checkEvery);
        Version version;
        try {
            version = Version.of(path);
        } catch (IOException e) {
            if (!Version.UNREADABLE.equals(lastTried)) {
                lastTried = Version.UNREADABLE; // reported now, and again only after the file has come back
                failed(path + ": cannot be read: " + e);
            }
            return;
        }
        if (version.equals(lastTried)) {
            return;
        }
        lastTried = version;
        IpBlocks read;
        try {
            read = IpBlockListFormat.read(Files.readAllBytes(path), path.toString());
        } catch (IOException e) {
            failed(path + ": cannot be read: " + e);
            return;
        } catch (IllegalArgumentException e) {
            failed(e.getMessage());
            return;
        }
        blocks = read;
        reloads.increment();
        LOG.info("known bad ip list {} reloaded: {} blocks", path, read.size());
    }

    private void failed(String why) {
        failedReloads.increment();
        // why starts with the file's path (and line), so the message names it once.
        LOG.warn("known bad ip list not reloaded, the {} blocks read before stay in use: {}", blocks.size(), why);
    }

    /** What tells one version of the file from another without reading it. */
    private record Version(FileTime modified, long size) {
        /** The file could not be looked at; not equal to any version read. */
        static final Version UNREADABLE = new Version(FileTime.fromMillis(Long.MIN_VALUE), -1);

        static Version of(Path path) throws IOException {
            BasicFileAttributes a = Files.readAttributes(path, BasicFileAttributes.class);
            return new Version(a.lastModifiedTime(), a.size());
        }
    }
}
