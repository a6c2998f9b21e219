package io.vigil.internal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Audit data is private by default: directories are created 0700 and files 0600 (on POSIX file systems), in one
 * step with the creation rather than a chmod afterwards, and renames are made durable. Every module that writes
 * audit files creates them here.
 */
public final class PrivateFiles {
    private static final Set<PosixFilePermission> DIR = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");

    private PrivateFiles() {
    }

    /** True when the file system of {@code p} has POSIX permissions. */
    public static boolean posix(Path p) {
        return p.getFileSystem().supportedFileAttributeViews().contains("posix");
    }

    /**
     * Creates the directory (and missing parents) 0700 when it is missing. The mode is also set outright, since
     * the creation mode passes through the umask.
     */
    public static Path directory(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            if (posix(dir)) {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(DIR));
                Files.setPosixFilePermissions(dir, DIR);
            } else {
                Files.createDirectories(dir);
            }
        }
        return dir;
    }

    /** Creates an empty file 0600 when it is missing (a concurrent creation by someone else is fine). */
    public static Path file(Path file) throws IOException {
        if (!Files.exists(file)) {
            try {
                if (posix(file)) {
                    Files.createFile(file, PosixFilePermissions.asFileAttribute(FILE));
                } else {
                    Files.createFile(file);
                }
            } catch (FileAlreadyExistsException raced) {
                // created between the check and here; it exists, which is what was asked
            }
        }
        return file;
    }

    /** Forces {@code tmp}, renames it over {@code target} atomically, and forces the directory entry. */
    public static void atomicReplace(Path tmp, Path target) throws IOException {
        try (FileChannel c = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
            c.force(true);
        }
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        }
        forceDirectory(target.toAbsolutePath().getParent());
    }

    /**
     * Makes a directory's entries (new or renamed files) durable: on Linux a creation survives a crash only once its
     * directory is synced. A no-op where the platform cannot open a directory; the rename itself is atomic there.
     */
    public static void forceDirectory(Path dir) {
        if (dir == null) {
            return;
        }
        try (FileChannel c = FileChannel.open(dir, StandardOpenOption.READ)) {
            c.force(true);
        } catch (IOException ignored) {
            // see above: nothing more can be done on such a platform
        }
    }
}
