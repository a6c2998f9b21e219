package io.vigil.ledger.testsupport;

import io.vigil.ledger.internal.store.FileStore;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A disk that can run full, for a {@link FileStore} opened with {@link #opener()}. No size-limited file system can
 * be mounted in the test environment, so the fault is injected at the channel: every write through a channel this
 * disk opened draws on one shared budget of free bytes, like a file system's free space. When a write asks for more
 * than is left it behaves as Linux does on a full disk: it writes what still fits and returns the short count, and
 * the next write fails with {@code IOException("No space left on device")}. Truncating a file gives its bytes back.
 * {@link #refill()} makes room again. Thread-safe.
 */
public final class FaultyDisk {
    /** The message of the IOException a full disk gives, as the JDK reports ENOSPC. */
    public static final String ENOSPC = "No space left on device";
    private static final long UNLIMITED = Long.MAX_VALUE;

    private long free = UNLIMITED;
    private final List<String> refusedWrites = new ArrayList<>();

    /** Opens files for a FileStore through this disk. */
    public FileStore.ChannelOpener opener() {
        return (file, options) -> new Channel(file, FileChannel.open(file, options));
    }

    /** From now on only {@code bytes} more bytes fit. */
    public synchronized void fill(long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("free bytes must not be negative");
        }
        free = bytes;
    }

    /** Space returned: every write fits again. */
    public synchronized void refill() {
        free = UNLIMITED;
    }

    /** Names of the files whose writes were refused for lack of space, in order. */
    public synchronized List<String> refusedWrites() {
        return List.copyOf(refusedWrites);
    }

    /** Reserves up to {@code wanted} bytes; 0 means the disk is full and the write must fail. */
    private synchronized long reserve(Path file, long wanted) throws IOException {
        if (free == UNLIMITED) {
            return wanted;
        }
        if (free == 0) {
            refusedWrites.add(file.getFileName().toString());
            throw new IOException(ENOSPC);
        }
        long granted = Math.min(wanted, free);
        free -= granted;
        return granted;
    }

    private synchronized void release(long bytes) {
        if (free != UNLIMITED) {
            free = Math.min(UNLIMITED - 1, free + bytes);
        }
    }

    /** A FileChannel that delegates everything and charges writes to the disk's budget. */
    private final class Channel extends FileChannel {
        private final Path file;
        private final FileChannel delegate;

        Channel(Path file, FileChannel delegate) {
            this.file = file;
            this.delegate = delegate;
        }

        @FunctionalInterface
        private interface Write {
            int to(ByteBuffer src) throws IOException;
        }

        /** Writes what the budget allows: all of {@code src}, a prefix of it (a short write), or fails. */
        private int charged(ByteBuffer src, Write write) throws IOException {
            int wanted = src.remaining();
            if (wanted == 0) {
                return write.to(src);
            }
            int granted = (int) reserve(file, wanted);
            if (granted == wanted) {
                return write.to(src);
            }
            ByteBuffer prefix = src.duplicate();
            prefix.limit(src.position() + granted);
            int n = write.to(prefix);
            src.position(src.position() + n);
            return n;
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            return charged(src, delegate::write);
        }

        @Override
        public int write(ByteBuffer src, long position) throws IOException {
            return charged(src, b -> delegate.write(b, position));
        }

        @Override
        public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
            long total = 0;
            for (int i = offset; i < offset + length; i++) {
                int wanted = srcs[i].remaining();
                int n = write(srcs[i]);
                total += n;
                if (n < wanted) {
                    break;
                }
            }
            return total;
        }

        @Override
        public long transferFrom(ReadableByteChannel src, long position, long count) throws IOException {
            long granted = count == 0 ? 0 : reserve(file, count);
            long n = delegate.transferFrom(src, position, granted);
            release(granted - n);
            return n;
        }

        @Override
        public FileChannel truncate(long size) throws IOException {
            long before = delegate.size();
            delegate.truncate(size);
            release(Math.max(0, before - delegate.size()));
            return this;
        }

        @Override
        public int read(ByteBuffer dst) throws IOException {
            return delegate.read(dst);
        }

        @Override
        public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
            return delegate.read(dsts, offset, length);
        }

        @Override
        public int read(ByteBuffer dst, long position) throws IOException {
            return delegate.read(dst, position);
        }

        @Override
        public long position() throws IOException {
            return delegate.position();
        }

        @Override
        public FileChannel position(long newPosition) throws IOException {
            delegate.position(newPosition);
            return this;
        }

        @Override
        public long size() throws IOException {
            return delegate.size();
        }

        @Override
        public void force(boolean metaData) throws IOException {
            delegate.force(metaData);
        }

        @Override
        public long transferTo(long position, long count, WritableByteChannel target) throws IOException {
            return delegate.transferTo(position, count, target);
        }

        @Override
        public MappedByteBuffer map(MapMode mode, long position, long size) throws IOException {
            return delegate.map(mode, position, size);
        }

        @Override
        public FileLock lock(long position, long size, boolean shared) throws IOException {
            return delegate.lock(position, size, shared);
        }

        @Override
        public FileLock tryLock(long position, long size, boolean shared) throws IOException {
            return delegate.tryLock(position, size, shared);
        }

        @Override
        protected void implCloseChannel() throws IOException {
            delegate.close();
        }

        @Override
        public String toString() {
            return "FaultyDisk.Channel[" + file + "]";
        }
    }
}
