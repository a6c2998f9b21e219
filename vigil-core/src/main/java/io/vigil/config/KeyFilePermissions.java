package io.vigil.config;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Checks who may read a secret key file a configuration names. A key others can read is still used (refusing it
 * would stop auditing over a permission bit), but the owner is told to restrict it.
 */
final class KeyFilePermissions {
    private static final Logger LOG = LoggerFactory.getLogger(ConfigLoader.class);

    private KeyFilePermissions() {
    }

    /** Warns when {@code file}, named at {@code path} of {@code source}, is readable by group or others. */
    static void warnIfReadableByOthers(String source, String path, Path file) {
        Set<PosixFilePermission> perms;
        try {
            perms = Files.getPosixFilePermissions(file);
        } catch (UnsupportedOperationException | IOException e) {
            return; // not a POSIX file system (or attributes unreadable): nothing meaningful to check
        }
        if (perms.contains(PosixFilePermission.GROUP_READ) || perms.contains(PosixFilePermission.OTHERS_READ)) {
            LOG.warn("{}: {}: the HMAC key file '{}' is readable by group or others ({}); restrict it to its"
                    + " owner (chmod 600)", source, path, file, PosixFilePermissions.toString(perms));
        }
    }
}
