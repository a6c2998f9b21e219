package io.vigil.ledger.checkpoint;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.internal.PrivateFiles;
import io.vigil.ledger.merkle.ConsistencyProof;
import io.vigil.ledger.merkle.ProofException;
import io.vigil.ledger.merkle.Proofs;
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
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A {@link Witness} in a local directory, for a log whose writer runs as another user or on another machine (a
 * witness the writer can rewrite proves nothing).
 *
 * <p>The directory (created 0700) holds:
 * <ul>
 *   <li>{@code latest.checkpoint}: the accepted signed checkpoint, as note text. Replaced atomically (temporary file,
 *       fsync, atomic rename, directory fsync), so a crash leaves either the old or the new checkpoint, never a
 *       mix.</li>
 *   <li>{@code history}: every accepted checkpoint, one JSON object per line
 *       ({@code {"accepted":ISO-8601,"size":N,"root":base64,"note":note text}}), only ever appended and fsynced
 *       before {@code latest.checkpoint} changes. A line torn by a crash was never acknowledged and is cut off on
 *       the next open.</li>
 *   <li>{@code lock}: locked while a {@code FileWitness} has the directory open, so two witnesses cannot interleave
 *       their updates.</li>
 * </ul>
 * On open the stored checkpoint is verified again with the configured key and origin, so a witness never continues
 * from state it would not have accepted. Thread-safe; close it to release the directory.
 */
public final class FileWitness implements Witness, Closeable {
    /** The accepted checkpoint's file name. */
    public static final String LATEST = "latest.checkpoint";
    /** The append-only log's file name. */
    public static final String HISTORY = "history";
    private static final String LOCK = "lock";
    private static final String TEMP = LATEST + ".tmp";

    private static final Logger LOG = LoggerFactory.getLogger(FileWitness.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<PosixFilePermission> DIR_PERMS = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> FILE_PERMS = PosixFilePermissions.fromString("rw-r--r--");

    private final Path dir;
    private final VerifierKey key;
    private final String origin;
    private final Clock clock;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private SignedCheckpoint latest;
    private boolean closed;

    /**
     * Opens (creating if needed) a witness for the log {@code origin} whose checkpoints {@code key} signs.
     *
     * @throws IOException if the directory cannot be created or locked, or holds a checkpoint this witness would not
     *                     accept (another key or origin, a bad signature, malformed text)
     */
    public FileWitness(Path dir, VerifierKey key, String origin) throws IOException {
        this(dir, key, origin, Clock.systemUTC());
    }

    /** As {@link #FileWitness(Path, VerifierKey, String)}, with {@code clock} stamping history entries. */
    public FileWitness(Path dir, VerifierKey key, String origin, Clock clock) throws IOException {
        this.dir = Objects.requireNonNull(dir, "dir");
        this.key = Objects.requireNonNull(key, "key");
        this.origin = Objects.requireNonNull(origin, "origin");
        this.clock = Objects.requireNonNull(clock, "clock");
        if (origin.isEmpty() || NoteText.charProblem(origin, false) != null) {
            throw new IllegalArgumentException(
                    "a witness origin must be one non-empty line without control characters");
        }
        prepareDirectory();
        lockChannel = FileChannel.open(dir.resolve(LOCK),
                EnumSet.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE), fileAttributes());
        FileLock acquired;
        try {
            acquired = lockChannel.tryLock();
        } catch (OverlappingFileLockException e) {
            acquired = null;
        } catch (IOException | RuntimeException e) {
            lockChannel.close();
            throw e;
        }
        if (acquired == null) {
            lockChannel.close();
            throw new IOException("witness directory " + dir + " is in use by another witness");
        }
        lock = acquired;
        try {
            Files.deleteIfExists(dir.resolve(TEMP));
            cutTornHistoryLine();
            latest = loadLatest();
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
    }

    private void prepareDirectory() throws IOException {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            Path absolute = dir.toAbsolutePath();
            if (absolute.getParent() != null) {
                Files.createDirectories(absolute.getParent());
            }
            if (isPosix(absolute.getParent())) {
                Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(DIR_PERMS));
            } else {
                Files.createDirectory(dir);
            }
            PrivateFiles.forceDirectory(dir.toAbsolutePath().getParent());
        } else if (!Files.isDirectory(dir)) {
            throw new IOException("witness path " + dir + " exists and is not a directory");
        } else if (isPosix(dir)) {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(dir);
            if (!DIR_PERMS.containsAll(perms)) {
                LOG.warn("witness directory {} is accessible by group or others (mode {}); restrict it to its owner"
                        + " (chmod 700)", dir, PosixFilePermissions.toString(perms));
            }
        }
    }

    /**
     * A crash during an append can leave a partial last line. It was never fsynced, so the submit that wrote it
     * failed and nobody was told it was accepted: cutting it off loses nothing and keeps every line parseable.
     */
    private void cutTornHistoryLine() throws IOException {
        Path history = dir.resolve(HISTORY);
        if (!Files.exists(history)) {
            return;
        }
        try (FileChannel ch = FileChannel.open(history, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long size = ch.size();
            long keep = size;
            ByteBuffer one = ByteBuffer.allocate(1);
            while (keep > 0) {
                one.clear();
                ch.read(one, keep - 1);
                if (one.get(0) == '\n') {
                    break;
                }
                keep--;
            }
            if (keep < size) {
                LOG.warn("witness history {} ends in an incomplete line ({} bytes, from an interrupted write);"
                        + " removing it", history, size - keep);
                ch.truncate(keep);
                ch.force(true);
            }
        }
    }

    private SignedCheckpoint loadLatest() throws IOException {
        Path file = dir.resolve(LATEST);
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return null;
        }
        SignedCheckpoint stored;
        try {
            stored = SignedCheckpoint.parse(text);
            stored.verify(key);
        } catch (NoteFormatException | CheckpointException e) {
            throw new IOException("witness state " + file + " cannot be trusted: " + e.getMessage(), e);
        }
        if (!stored.checkpoint().origin().equals(origin)) {
            throw new IOException("witness state " + file + " is for origin '" + stored.checkpoint().origin()
                    + "', but this witness is configured for '" + origin + "'");
        }
        return stored;
    }

    @Override
    public synchronized Optional<SignedCheckpoint> latest() {
        checkOpen();
        return Optional.ofNullable(latest);
    }

    @Override
    public synchronized void submit(SignedCheckpoint next, Optional<ConsistencyProof> fromLatest)
            throws IOException, WitnessRejectedException {
        Objects.requireNonNull(next, "next");
        Objects.requireNonNull(fromLatest, "fromLatest");
        checkOpen();
        Checkpoint cp = next.checkpoint();
        Checkpoint held = latest == null ? null : latest.checkpoint();
        try {
            next.verify(key);
        } catch (CheckpointException e) {
            throw new WitnessRejectedException("rejected: " + e.getMessage(), cp, held);
        }
        if (!cp.origin().equals(origin)) {
            throw new WitnessRejectedException("rejected checkpoint " + cp + ": origin '" + cp.origin()
                    + "' is not this witness's log '" + origin + "'", cp, held);
        }
        if (held != null) {
            if (!checkExtends(held, cp, fromLatest)) {
                return; // the same size and root: already witnessed
            }
        } else if (fromLatest.isPresent()) {
            LOG.debug("witness {} holds no checkpoint yet; ignoring the consistency proof offered with {}", dir, cp);
        }
        appendHistory(next);
        writeLatest(next);
        latest = next;
    }

    /**
     * Refuses {@code cp} unless it extends {@code held}.
     *
     * @return false if {@code cp} is the checkpoint already held (same size and root), true if it is newer
     */
    private static boolean checkExtends(Checkpoint held, Checkpoint cp, Optional<ConsistencyProof> proof)
            throws WitnessRejectedException {
        String both = "submitted size " + cp.size() + " root " + cp.root() + ", witnessed size " + held.size()
                + " root " + held.root();
        if (cp.size() < held.size()) {
            throw new WitnessRejectedException("rejected: the log shrank (" + both + "); a log only grows", cp, held);
        }
        if (cp.size() == held.size()) {
            if (!cp.root().equals(held.root())) {
                throw new WitnessRejectedException("rejected: two different roots for the same tree size (" + both
                        + "); the log forked or was rewritten", cp, held);
            }
            return false;
        }
        if (proof.isEmpty()) {
            throw new WitnessRejectedException("rejected: a consistency proof from size " + held.size() + " to "
                    + cp.size() + " is required (" + both + ")", cp, held);
        }
        ConsistencyProof p = proof.get();
        if (p.size1() != held.size() || p.size2() != cp.size()) {
            throw new WitnessRejectedException("rejected: the consistency proof is from size " + p.size1() + " to "
                    + p.size2() + ", but the witness needs one from " + held.size() + " to " + cp.size() + " ("
                    + both + ")", cp, held);
        }
        try {
            Proofs.verifyConsistency(p, held.root(), cp.root());
        } catch (ProofException e) {
            throw new WitnessRejectedException("rejected: the consistency proof does not show that the log grew from"
                    + " the witnessed checkpoint (" + both + "): " + e.getMessage(), cp, held);
        }
        return true;
    }

    private void appendHistory(SignedCheckpoint accepted) throws IOException {
        ObjectNode o = JSON.createObjectNode();
        o.put("accepted", clock.instant().toString());
        o.put("size", accepted.checkpoint().size());
        o.put("root", accepted.checkpoint().root().base64());
        o.put("note", accepted.encode());
        byte[] line = (JSON.writeValueAsString(o) + "\n").getBytes(StandardCharsets.UTF_8);
        Path history = dir.resolve(HISTORY);
        boolean created = !Files.exists(history);
        try (FileChannel ch = FileChannel.open(history, EnumSet.of(StandardOpenOption.CREATE,
                StandardOpenOption.WRITE, StandardOpenOption.APPEND), fileAttributes())) {
            writeFully(ch, line);
            ch.force(true);
        }
        if (created) {
            PrivateFiles.forceDirectory(history.toAbsolutePath().getParent());
        }
    }

    private void writeLatest(SignedCheckpoint accepted) throws IOException {
        Path temp = dir.resolve(TEMP);
        Files.deleteIfExists(temp);
        try (FileChannel ch = FileChannel.open(temp,
                EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), fileAttributes())) {
            writeFully(ch, accepted.encode().getBytes(StandardCharsets.UTF_8));
            ch.force(true);
        }
        Files.move(temp, dir.resolve(LATEST), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        PrivateFiles.forceDirectory(temp.toAbsolutePath().getParent());
    }

    /**
     * Every checkpoint this witness accepted, oldest first, as recorded in the history log.
     *
     * @throws IOException if the log cannot be read or a line in it is not a recorded checkpoint
     */
    public synchronized List<SignedCheckpoint> history() throws IOException {
        checkOpen();
        Path file = dir.resolve(HISTORY);
        if (!Files.exists(file)) {
            return List.of();
        }
        List<SignedCheckpoint> out = new ArrayList<>();
        int lineNo = 0;
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            lineNo++;
            try {
                JsonNode node = JSON.readTree(line);
                JsonNode note = node == null ? null : node.get("note");
                if (note == null || !note.isTextual()) {
                    throw new IOException("no \"note\" text");
                }
                out.add(SignedCheckpoint.parse(note.asText()));
            } catch (IOException | NoteFormatException e) {
                throw new IOException("witness history " + file + " line " + lineNo + ": " + e.getMessage(), e);
            }
        }
        return out;
    }

    /** The witness directory. */
    public Path directory() {
        return dir;
    }

    /** Releases the directory lock. Idempotent. */
    @Override
    public synchronized void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (lock != null && lock.isValid()) {
                lock.release();
            }
        } finally {
            lockChannel.close();
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("witness " + dir + " is closed");
        }
    }

    private FileAttribute<?>[] fileAttributes() {
        return isPosix(dir) ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(FILE_PERMS)}
                : new FileAttribute<?>[0];
    }

    private static boolean isPosix(Path p) {
        return p != null && Files.getFileAttributeView(p, PosixFileAttributeView.class) != null;
    }

    private static void writeFully(FileChannel ch, byte[] bytes) throws IOException {
        ByteBuffer buf = ByteBuffer.wrap(bytes);
        while (buf.hasRemaining()) {
            ch.write(buf);
        }
    }

    @Override
    public String toString() {
        return "FileWitness[" + dir + ", " + origin + ", key " + key.name() + "+" + key.keyIdHex() + "]";
    }
}
