package io.vigil.internal.sink;

import io.vigil.event.AuditEvent;
import io.vigil.internal.PrivateFiles;
import io.vigil.json.CanonicalBuffer;
import io.vigil.sink.AuditSink;
import io.vigil.sink.EntryPosition;
import io.vigil.sink.EventFormat;
import io.vigil.sink.FileSinkOptions;
import io.vigil.sink.FsyncPolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;

/**
 * Appends events as lines of one format (canonical JSON by default) to a file, rotating by size and by UTC day. A batch is encoded whole, then
 * appended (in one write, or one write and fsync per event under {@code fsync: always}); if appending fails the file
 * is cut back to where the batch began, so a retry neither loses nor duplicates lines. A rotation happens between
 * batches, so a file exceeds the size limit only when a single batch is larger than the limit.
 */
public final class LineFileSink implements AuditSink {
    private static final Logger LOG = LoggerFactory.getLogger(LineFileSink.class);

    private final FileSinkOptions options;
    private final EventFormat format;
    private final Clock clock;
    private final CanonicalBuffer buffer = new CanonicalBuffer(64 * 1024);
    private final ExecutorService compressor;
    private FileChannel channel;
    private long size;
    private LocalDate fileDate;

    /**
     * Opens (creating if needed) the active file.
     *
     * @throws IOException when the directory or the file cannot be created or opened; the message names the path
     */
    public LineFileSink(FileSinkOptions options, EventFormat format, Clock clock) throws IOException {
        this.options = options;
        this.format = format;
        this.clock = clock;
        this.compressor = options.gzipRotated() ? Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "vigil-gzip");
            t.setDaemon(true);
            return t;
        }) : null;
        open();
    }

    private void open() throws IOException {
        Path path = options.path().toAbsolutePath();
        Path dir = path.getParent();
        try {
            if (dir != null) {
                PrivateFiles.directory(dir);
            }
            boolean existed = Files.exists(path);
            if (!existed) {
                PrivateFiles.file(path);
            }
            if (existed && PrivateFiles.posix(path)) {
                warnIfShared(path);
            }
            channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.APPEND);
            size = channel.size();
            fileDate = existed && size > 0
                    ? LocalDate.ofInstant(Files.getLastModifiedTime(path).toInstant(), ZoneOffset.UTC)
                    : today();
        } catch (IOException e) {
            throw new IOException("cannot open audit file " + path + ": " + e, e);
        }
    }

    /** An audit file others can read leaks what it records; we do not change a file we did not create, but say so. */
    private static void warnIfShared(Path path) throws IOException {
        Set<PosixFilePermission> perms = Files.getPosixFilePermissions(path);
        for (PosixFilePermission p : perms) {
            if (p.name().startsWith("GROUP") || p.name().startsWith("OTHERS")) {
                LOG.warn("audit file {} is accessible to group or others ({}); restrict it to the owner (chmod 600)",
                        path, PosixFilePermissions.toString(perms));
                return;
            }
        }
    }

    private LocalDate today() {
        return LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
    }

    @Override
    public List<EntryPosition> write(List<AuditEvent> batch) throws IOException {
        if (channel == null) {
            open(); // a previous rotation failed half-way; try again
        }
        buffer.reset();
        int[] ends = options.fsync() == FsyncPolicy.ALWAYS ? new int[batch.size()] : null;
        for (int i = 0; i < batch.size(); i++) {
            format.append(batch.get(i), Optional.empty(), buffer);
            buffer.appendAscii('\n');
            if (ends != null) {
                ends[i] = buffer.length();
            }
        }
        if (size == 0) {
            fileDate = today(); // an empty file belongs to the day of its first line
        } else if (shouldRotate(buffer.length())) {
            rotate();
        }
        long start = size;
        try {
            if (ends == null) {
                writeFully(0, buffer.length());
                if (options.fsync() == FsyncPolicy.BATCH) {
                    channel.force(false);
                }
            } else {
                int from = 0;
                for (int end : ends) {
                    writeFully(from, end);
                    channel.force(false);
                    from = end;
                }
            }
            size = start + buffer.length();
            return List.of();
        } catch (IOException e) {
            rollback(start);
            throw new IOException("cannot write " + batch.size() + " audit event(s) to " + options.path() + ": " + e, e);
        }
    }

    private void writeFully(int from, int to) throws IOException {
        ByteBuffer bb = ByteBuffer.wrap(buffer.array(), from, to - from);
        while (bb.hasRemaining()) {
            channel.write(bb);
        }
    }

    private void rollback(long start) {
        try {
            channel.truncate(start);
            size = start;
        } catch (IOException again) {
            LOG.error("audit file {} could not be cut back to {} bytes after a failed write; a partial line may remain: {}",
                    options.path(), start, again.toString());
            try {
                size = channel.size();
            } catch (IOException ignored) {
                // the channel is unusable; the next write reopens
                channel = null;
            }
        }
    }

    private boolean shouldRotate(int incoming) {
        if (size == 0) {
            return false;
        }
        if (options.rotateDaily() && !today().equals(fileDate)) {
            return true;
        }
        return options.maxFileBytes() > 0 && size + incoming > options.maxFileBytes();
    }

    private void rotate() throws IOException {
        Path active = options.path().toAbsolutePath();
        if (options.fsync() != FsyncPolicy.NONE) {
            channel.force(true);
        }
        channel.close();
        channel = null;
        Path rotated = rotatedName(active, fileDate);
        Files.move(active, rotated);
        LOG.info("audit file rotated to {}", rotated);
        open();
        if (compressor != null) {
            compressor.execute(() -> gzip(rotated));
        }
    }

    private static Path rotatedName(Path active, LocalDate date) {
        String file = active.getFileName().toString();
        int dot = file.lastIndexOf('.');
        String stem = dot > 0 ? file.substring(0, dot) : file;
        String ext = dot > 0 ? file.substring(dot) : "";
        for (int n = 1; ; n++) {
            Path candidate = active.resolveSibling(stem + "-" + date + "-" + n + ext);
            if (!Files.exists(candidate) && !Files.exists(candidate.resolveSibling(candidate.getFileName() + ".gz"))) {
                return candidate;
            }
        }
    }

    private static void gzip(Path file) {
        Path gz = file.resolveSibling(file.getFileName() + ".gz");
        try {
            PrivateFiles.file(gz);
            try (FileChannel gzChannel = FileChannel.open(gz, StandardOpenOption.CREATE,
                    StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
                try (InputStream in = Files.newInputStream(file);
                     GZIPOutputStream out = new GZIPOutputStream(Channels.newOutputStream(gzChannel))) {
                    in.transferTo(out);
                    out.finish();
                    out.flush();
                    // Make the compressed copy durable before the original goes, or a crash could lose both.
                    gzChannel.force(true);
                }
            }
            Files.delete(file);
        } catch (IOException e) {
            LOG.error("could not compress rotated audit file {}; it is kept uncompressed: {}", file, e.toString());
            try {
                Files.deleteIfExists(gz);
            } catch (IOException ignored) {
                // the uncompressed original is intact, which is what matters
            }
        }
    }

    /** Size of the active file as this sink knows it. */
    public long size() {
        return size;
    }

    @Override
    public void close() throws IOException {
        try {
            if (channel != null) {
                if (options.fsync() != FsyncPolicy.NONE) {
                    channel.force(true);
                }
                channel.close();
            }
        } finally {
            if (compressor != null) {
                compressor.shutdown();
                try {
                    if (!compressor.awaitTermination(30, TimeUnit.SECONDS)) {
                        LOG.warn("compression of rotated audit files is still running at close");
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    @Override
    public String toString() {
        return "LineFileSink[" + options.path() + "]";
    }
}
