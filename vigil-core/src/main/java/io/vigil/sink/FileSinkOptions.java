package io.vigil.sink;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Options of the JSONL file sink. The directory is created 0700 and files 0600 (on POSIX file systems).
 * The active file is {@code path}; rotated files get the date and a counter before the extension, e.g.
 * {@code audit-2026-01-29-1.jsonl}, and {@code .gz} when compressed.
 *
 * @param path          the active file
 * @param maxFileBytes  rotate before a file would grow past this size; 0 means no size limit
 * @param rotateDaily   rotate when the UTC date changes
 * @param gzipRotated   compress rotated files (in the background)
 * @param fsync         when written bytes are forced to the device
 */
public record FileSinkOptions(Path path, long maxFileBytes, boolean rotateDaily, boolean gzipRotated,
                              FsyncPolicy fsync) {

    /** 100 MiB files, daily rotation, no compression, fsync per batch. */
    public static FileSinkOptions defaults(Path path) {
        return new FileSinkOptions(path, 100L * 1024 * 1024, true, false, FsyncPolicy.BATCH);
    }

    public FileSinkOptions {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(fsync, "fsync");
        if (maxFileBytes < 0) {
            throw new IllegalArgumentException("maxFileBytes must not be negative, was " + maxFileBytes);
        }
        if (maxFileBytes > 0 && maxFileBytes < 1024) {
            throw new IllegalArgumentException("maxFileBytes must be 0 (no limit) or at least 1024, was " + maxFileBytes);
        }
    }

    public FileSinkOptions withMaxFileBytes(long v) {
        return new FileSinkOptions(path, v, rotateDaily, gzipRotated, fsync);
    }

    public FileSinkOptions withRotateDaily(boolean v) {
        return new FileSinkOptions(path, maxFileBytes, v, gzipRotated, fsync);
    }

    public FileSinkOptions withGzipRotated(boolean v) {
        return new FileSinkOptions(path, maxFileBytes, rotateDaily, v, fsync);
    }

    public FileSinkOptions withFsync(FsyncPolicy v) {
        return new FileSinkOptions(path, maxFileBytes, rotateDaily, gzipRotated, v);
    }
}
