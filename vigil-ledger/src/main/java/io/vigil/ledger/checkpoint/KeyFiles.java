package io.vigil.ledger.checkpoint;

import io.vigil.internal.PrivateFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;

/**
 * Reads and writes key files: the private file holds the signer key string, the public file the verifier key string,
 * each followed by a newline (the same files {@code golang.org/x/mod/sumdb/note} tooling uses).
 *
 * <p>On POSIX file systems the private file is created owner-only (0600) in the same system call that creates it, so
 * there is no moment at which another user could open it; existing files are never overwritten, so a slip of the
 * command line cannot destroy the only copy of a key.
 */
public final class KeyFiles {
    private static final Logger LOG = LoggerFactory.getLogger(KeyFiles.class);
    /** Key files are one short line; anything larger is not a key file and is not read into memory. */
    private static final long MAX_KEY_FILE_BYTES = 4096;
    private static final Set<PosixFilePermission> PRIVATE_PERMS = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> PUBLIC_PERMS = PosixFilePermissions.fromString("rw-r--r--");

    private KeyFiles() {
    }

    /**
     * Writes {@code key} to {@code privateFile} (mode 0600) and its verifier key to {@code publicFile} (mode 0644).
     * Neither file may exist yet. If the public file cannot be written the private file is removed again, so a failed
     * call leaves nothing behind.
     *
     * @throws FileAlreadyExistsException if either file exists (nothing is written then)
     * @throws IOException                if writing fails
     */
    public static void write(SigningKey key, Path privateFile, Path publicFile) throws IOException {
        if (privateFile.toAbsolutePath().normalize().equals(publicFile.toAbsolutePath().normalize())) {
            throw new IllegalArgumentException("the private and public key files must differ: " + privateFile);
        }
        refuseExisting(privateFile);
        refuseExisting(publicFile);
        byte[] secret = (key.encode() + "\n").getBytes(StandardCharsets.UTF_8);
        try {
            createWith(privateFile, secret, PRIVATE_PERMS);
        } finally {
            Arrays.fill(secret, (byte) 0);
        }
        try {
            createWith(publicFile, (key.verifierKey().encode() + "\n").getBytes(StandardCharsets.UTF_8),
                    PUBLIC_PERMS);
            if (isPosix(publicFile)) {
                // The creation mode is filtered by the umask; the public key is meant to be world-readable, so set
                // it exactly. (Never done for the private file: there the umask can only make it stricter.)
                Files.setPosixFilePermissions(publicFile, PUBLIC_PERMS);
            }
        } catch (IOException | RuntimeException e) {
            try {
                Files.deleteIfExists(privateFile);
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        PrivateFiles.forceDirectory(privateFile.toAbsolutePath().getParent());
        PrivateFiles.forceDirectory(publicFile.toAbsolutePath().getParent());
    }

    private static void refuseExisting(Path file) throws FileAlreadyExistsException {
        if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            throw new FileAlreadyExistsException(file.toString(), null,
                    "refusing to overwrite an existing key file; move it away first if you mean to replace it");
        }
    }

    /** Creates {@code file} (it must not exist) with {@code perms} applied at creation, writes and syncs it. */
    private static void createWith(Path file, byte[] content, Set<PosixFilePermission> perms) throws IOException {
        FileAttribute<?>[] attrs = isPosix(file)
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(perms)}
                : new FileAttribute<?>[0];
        try (FileChannel ch = FileChannel.open(file,
                EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), attrs)) {
            ByteBuffer buf = ByteBuffer.wrap(content);
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            ch.force(true);
        } catch (FileAlreadyExistsException e) {
            throw new FileAlreadyExistsException(file.toString(), null,
                    "refusing to overwrite an existing key file (it appeared while writing)");
        }
    }

    /**
     * Reads a signer key from {@code file}. Logs a warning if the file is accessible to group or others, since then
     * the key may already be known to someone else.
     *
     * @throws NoteFormatException if the content is not one signer key line (the message names the file, never the
     *                             content)
     * @throws IOException         if the file cannot be read
     */
    public static SigningKey readPrivate(Path file) throws IOException {
        if (isPosix(file)) {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
            Set<PosixFilePermission> loose = EnumSet.copyOf(perms);
            loose.retainAll(EnumSet.of(PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE,
                    PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE));
            if (!loose.isEmpty()) {
                LOG.warn("private key file {} is accessible by group or others (mode {}); restrict it to its owner,"
                        + " e.g. chmod 600", file, PosixFilePermissions.toString(perms));
            }
        }
        String line = readLine(file, "private");
        try {
            return SigningKey.parse(line);
        } catch (NoteFormatException e) {
            throw new NoteFormatException("private key file " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Reads a verifier key from {@code file}.
     *
     * @throws NoteFormatException if the content is not one verifier key line
     * @throws IOException         if the file cannot be read
     */
    public static VerifierKey readPublic(Path file) throws IOException {
        String line = readLine(file, "public");
        try {
            return VerifierKey.parse(line);
        } catch (NoteFormatException e) {
            throw new NoteFormatException("public key file " + file + ": " + e.getMessage(), e);
        }
    }

    /** The file's single line without its line ending; the content never appears in an error message. */
    private static String readLine(Path file, String kind) throws IOException {
        long size = Files.size(file);
        if (size > MAX_KEY_FILE_BYTES) {
            throw new NoteFormatException(kind + " key file " + file + " is " + size
                    + " bytes; a key file holds one short line");
        }
        byte[] bytes = Files.readAllBytes(file);
        String text;
        try {
            CharBuffer chars = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes));
            text = chars.toString();
            Arrays.fill(chars.array(), '\0');
        } catch (CharacterCodingException e) {
            throw new NoteFormatException(kind + " key file " + file + " is not UTF-8 text");
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
        if (text.endsWith("\r\n")) {
            text = text.substring(0, text.length() - 2);
        } else if (text.endsWith("\n")) {
            text = text.substring(0, text.length() - 1);
        }
        if (text.isEmpty()) {
            throw new NoteFormatException(kind + " key file " + file + " is empty");
        }
        if (text.indexOf('\n') >= 0 || text.indexOf('\r') >= 0) {
            throw new NoteFormatException(kind + " key file " + file + " must hold exactly one line");
        }
        return text;
    }

    private static boolean isPosix(Path file) {
        Path dir = file.toAbsolutePath().getParent();
        return Files.getFileAttributeView(dir != null ? dir : file, PosixFileAttributeView.class) != null;
    }
}
