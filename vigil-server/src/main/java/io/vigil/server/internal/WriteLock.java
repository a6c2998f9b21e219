package io.vigil.server.internal;

import io.vigil.internal.PrivateFiles;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The lock writers of the keys file hold from reading it to replacing it, so that no change is lost: a lock on
 * {@code keys.lock} between processes, and a lock per file within this one, since a file lock belongs to the whole
 * JVM (a second channel asking for it here would fail rather than wait).
 */
public final class WriteLock {
    /** The lock file's name in the server's directory. */
    public static final String NAME = "keys.lock";
    private static final ConcurrentMap<Path, ReentrantLock> IN_PROCESS = new ConcurrentHashMap<>();
    private final Path file;
    private final ReentrantLock local;

    /** The lock of the server directory {@code dir}, which exists. */
    public WriteLock(Path dir) throws IOException {
        this.file = dir.toRealPath().resolve(NAME);
        this.local = IN_PROCESS.computeIfAbsent(file, f -> new ReentrantLock());
    }

    /** Waits for the lock; closing the result releases it. */
    public Held acquire() throws IOException {
        local.lock();
        FileChannel channel = null;
        try {
            PrivateFiles.file(file);
            channel = FileChannel.open(file, StandardOpenOption.WRITE);
            return new Held(channel, channel.lock());
        } catch (IOException | RuntimeException | Error e) {
            if (channel != null) {
                channel.close();
            }
            local.unlock();
            throw e;
        }
    }

    /** The lock, held. */
    public final class Held implements AutoCloseable {
        private final FileChannel channel;
        private final FileLock lock;

        private Held(FileChannel channel, FileLock lock) {
            this.channel = channel;
            this.lock = lock;
        }

        @Override
        public void close() throws IOException {
            try {
                lock.release();
            } finally {
                try {
                    channel.close();
                } finally {
                    local.unlock();
                }
            }
        }
    }
}
