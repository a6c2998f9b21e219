package io.vigil.siem.internal.syslog;

import io.vigil.internal.PrivateFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.stream.Stream;

/**
 * A durable queue of messages in a directory: segment files of records ({@code 4-byte big-endian length, bytes}),
 * named by the logical offset of their first byte, and a {@code position} file holding the offset of the first
 * message not known to be delivered. One writer appends whole batches (fsynced before {@link #append} returns, cut
 * back when a write fails); one reader goes through them in order and acknowledges. A segment is deleted once every
 * message in it is acknowledged and a later segment exists, so that sent data is reclaimed.
 *
 * <p>After a crash, a torn record at the end of the last segment is dropped (it was never acknowledged to the
 * caller, whose write threw or never returned), and reading resumes at the persisted position.
 */
final class Spool implements Closeable {
    private static final Logger LOG = LoggerFactory.getLogger(Spool.class);
    private static final String SUFFIX = ".spool";
    private static final int MAX_RECORD = 64 * 1024 * 1024;

    private final Path dir;
    private final long maxBytes;
    private final long segmentBytes;
    private final FileChannel lockChannel;
    private final FileLock lock;
    /** Segment base offset to file; the last is the one written. */
    private final ConcurrentSkipListMap<Long, Path> segments = new ConcurrentSkipListMap<>();
    private FileChannel active;
    private long activeBase;
    /** The end of the last durable record; published after its fsync. */
    private volatile long end;
    /** The first message not known to be delivered. */
    private volatile long acked;
    private long persisted;
    // the reader's open segment
    private FileChannel readChannel;
    private long readBase = -1;

    /** One message read back, and the offset of the next. */
    record Entry(byte[] message, long next) {
    }

    Spool(Path dir, long maxBytes, long segmentBytes) throws IOException {
        this.dir = dir;
        this.maxBytes = maxBytes;
        this.segmentBytes = segmentBytes;
        PrivateFiles.directory(dir);
        Path lockFile = PrivateFiles.file(dir.resolve("lock"));
        this.lockChannel = FileChannel.open(lockFile, StandardOpenOption.WRITE);
        FileLock l;
        try {
            l = lockChannel.tryLock();
        } catch (OverlappingFileLockException e) {
            l = null; // held by another sink in this process
        } catch (IOException e) {
            lockChannel.close();
            throw e;
        }
        if (l == null) {
            lockChannel.close();
            throw new IOException("syslog spool " + dir + " is in use by another sink");
        }
        this.lock = l;
        try {
            recover();
        } catch (IOException e) {
            close();
            throw e;
        }
    }

    private void recover() throws IOException {
        List<Path> files = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            s.filter(p -> p.getFileName().toString().matches("\\d{20}\\.spool")).forEach(files::add);
        }
        for (Path p : files) {
            segments.put(Long.parseLong(p.getFileName().toString().substring(0, 20)), p);
        }
        long position = readPosition();
        if (segments.isEmpty()) {
            newSegment(Math.max(position, 0));
        } else {
            Map.Entry<Long, Path> last = segments.lastEntry();
            activeBase = last.getKey();
            active = FileChannel.open(last.getValue(), StandardOpenOption.READ, StandardOpenOption.WRITE);
            long valid = validLength(active);
            if (valid < active.size()) {
                LOG.warn("syslog spool {}: dropping {} bytes of a torn record at the end of {}", dir,
                        active.size() - valid, last.getValue().getFileName());
                active.truncate(valid);
                active.force(true);
            }
            end = activeBase + valid;
        }
        acked = Math.min(Math.max(position, segments.firstKey()), end);
        persisted = acked;
    }

    /** The length of the whole records at the start of {@code c}. */
    private static long validLength(FileChannel c) throws IOException {
        long size = c.size();
        long pos = 0;
        ByteBuffer len = ByteBuffer.allocate(4);
        while (pos + 4 <= size) {
            len.clear();
            readFully(c, len, pos);
            int n = len.getInt(0);
            if (n <= 0 || n > MAX_RECORD || pos + 4 + n > size) {
                break;
            }
            pos += 4 + n;
        }
        return pos;
    }

    private long readPosition() throws IOException {
        Path p = dir.resolve("position");
        if (!Files.exists(p)) {
            return -1;
        }
        String s = Files.readString(p, StandardCharsets.US_ASCII).trim();
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw new IOException("syslog spool " + dir + ": unreadable position file '" + s + "'", e);
        }
    }

    private void newSegment(long base) throws IOException {
        Path p = dir.resolve(String.format("%020d", base) + SUFFIX);
        PrivateFiles.file(p);
        PrivateFiles.forceDirectory(dir);
        FileChannel c = FileChannel.open(p, StandardOpenOption.READ, StandardOpenOption.WRITE);
        if (active != null) {
            active.close();
        }
        active = c;
        activeBase = base;
        end = base + c.size();
        segments.put(base, p);
    }

    /** Bytes the spool holds on disk, sent or not. */
    long diskBytes() {
        return end - segments.firstKey();
    }

    /** Bytes not known to be delivered. */
    long pendingBytes() {
        return end - acked;
    }

    long end() {
        return end;
    }

    long acked() {
        return acked;
    }

    /**
     * Appends the messages as one durable unit: all of them, or (when this throws) none.
     *
     * @throws IOException when the spool would pass its limit, or writing fails
     */
    void append(List<byte[]> messages) throws IOException {
        long sum = 0;
        for (byte[] m : messages) {
            sum += 4 + m.length;
        }
        if (sum > Integer.MAX_VALUE - 8) {
            throw new IOException("a batch of " + sum + " bytes is too large for the syslog spool; write smaller ones");
        }
        int total = (int) sum;
        if (diskBytes() + total > maxBytes) {
            throw new IOException("syslog spool " + dir + " is full: " + diskBytes() + " bytes wait for the "
                    + "receiver and " + total + " more would pass the limit of " + maxBytes + " bytes");
        }
        long size = end - activeBase;
        if (size > 0 && size + total > segmentBytes) {
            newSegment(end);
            size = 0;
        }
        ByteBuffer buf = ByteBuffer.allocate(total);
        for (byte[] m : messages) {
            buf.putInt(m.length).put(m);
        }
        buf.flip();
        try {
            long at = size;
            while (buf.hasRemaining()) {
                at += active.write(buf, at);
            }
            active.force(false);
        } catch (IOException e) {
            rollback(size);
            throw new IOException("cannot spool " + messages.size() + " syslog message(s) in " + dir + ": " + e, e);
        }
        end = activeBase + size + total;
    }

    private void rollback(long size) {
        try {
            active.truncate(size);
            active.force(false);
        } catch (IOException again) {
            // a torn record there is dropped when the spool is next opened: it fails the length check or is cut
            LOG.error("syslog spool {} could not be cut back after a failed write: {}", dir, again.toString());
        }
    }

    /** The message at {@code pos}, which is below {@link #end()} and at a record boundary. */
    Entry read(long pos) throws IOException {
        Long base = segments.floorKey(pos);
        if (base == null) {
            throw new IOException("syslog spool " + dir + " has no segment for offset " + pos);
        }
        if (base != readBase) {
            if (readChannel != null) {
                readChannel.close();
            }
            readChannel = FileChannel.open(segments.get(base), StandardOpenOption.READ);
            readBase = base;
        }
        ByteBuffer len = ByteBuffer.allocate(4);
        readFully(readChannel, len, pos - base);
        int n = len.getInt(0);
        if (n <= 0 || n > MAX_RECORD) {
            throw new IOException("syslog spool " + dir + " is corrupt at offset " + pos);
        }
        ByteBuffer msg = ByteBuffer.allocate(n);
        readFully(readChannel, msg, pos - base + 4);
        return new Entry(msg.array(), pos + 4 + n);
    }

    private static void readFully(FileChannel c, ByteBuffer b, long at) throws IOException {
        long p = at;
        while (b.hasRemaining()) {
            int r = c.read(b, p);
            if (r < 0) {
                throw new IOException("unexpected end of syslog spool segment");
            }
            p += r;
        }
    }

    /** Marks every message before {@code pos} delivered. */
    void acknowledge(long pos) {
        acked = pos;
    }

    /** Persists the acknowledged position when it moved, then deletes the segments wholly before it. */
    void persist() throws IOException {
        long a = acked;
        if (a == persisted) {
            return;
        }
        Path tmp = dir.resolve("position.tmp");
        Files.deleteIfExists(tmp);
        PrivateFiles.file(tmp);
        Files.writeString(tmp, Long.toString(a), StandardCharsets.US_ASCII);
        PrivateFiles.atomicReplace(tmp, dir.resolve("position"));
        persisted = a;
        while (true) {
            Map.Entry<Long, Path> first = segments.firstEntry();
            Long next = segments.higherKey(first.getKey());
            if (next == null || next > a) {
                return;
            }
            if (readBase == first.getKey()) {
                readChannel.close();
                readChannel = null;
                readBase = -1;
            }
            segments.remove(first.getKey());
            Files.deleteIfExists(first.getValue());
        }
    }

    @Override
    public void close() throws IOException {
        try {
            if (readChannel != null) {
                readChannel.close();
            }
            if (active != null) {
                active.close();
            }
        } finally {
            try {
                lock.release();
            } finally {
                lockChannel.close();
            }
        }
    }
}
