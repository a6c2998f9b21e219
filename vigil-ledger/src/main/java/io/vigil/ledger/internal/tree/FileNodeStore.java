package io.vigil.ledger.internal.tree;

import io.vigil.internal.PrivateFiles;
import io.vigil.ledger.Hash;
import io.vigil.ledger.merkle.MerkleHashes;
import io.vigil.ledger.merkle.NodeSink;
import io.vigil.ledger.merkle.NodeSource;
import io.vigil.ledger.merkle.TreeBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The perfect nodes of a ledger's Merkle tree, persisted in a directory as {@code level-00.bin},
 * {@code level-01.bin}, …: each a flat array of 32-byte hashes, node {@code i} at offset {@code 32·i}.
 *
 * <p><b>Writing.</b> A {@link TreeBuilder} reports every node it completes; they are buffered per level and
 * written by {@link #flush()} (also when the leaf buffer fills) and made durable by {@link #force()}. Reads see
 * unflushed nodes, served from the buffers.
 *
 * <p><b>Recovery.</b> {@code level-00.bin} (the leaf hashes) is the truth: the size is its length / 32. Since a
 * crash can cut any file anywhere, {@link #open} truncates a torn trailing record, drops higher-level nodes that
 * the leaves do not cover, re-checks the last few nodes of each higher level against their children (a crash may
 * leave a file longer than its written data, filled with zeros) and recomputes every node that is missing. Whether
 * the leaves themselves match the ledger's entries is the caller's to check; {@link #truncate} drops the excess.
 *
 * <p><b>Readers.</b> {@link #openReadOnly} never writes nor locks, so a verifier can read a store that a writer
 * (in this process or another) has open: it makes the same checks as recovery but, instead of repairing, computes
 * the nodes a crash left missing from their children when asked for them.
 *
 * <p>One writer at a time: {@link #open} takes an exclusive lock on the file {@code lock} in the directory (a file
 * of its own, because on POSIX closing any descriptor of a file drops the process's lock on it, and readers open
 * the level files). Methods are synchronized; a read costs one positional read at most (a small per-level cache
 * serves the hot nodes near the top of the tree).
 */
public final class FileNodeStore implements NodeSource, Closeable {
    private static final Logger LOG = LoggerFactory.getLogger(FileNodeStore.class);

    private static final int N = Hash.LENGTH;
    /** Levels 0..62 cover any {@code long} size. */
    private static final int MAX_LEVELS = 63;
    /** Leaves buffered before a write; every other level then holds at most as many, so no buffer overflows. */
    private static final int BUFFER_NODES = 256;
    /** How many trailing nodes per level opening re-derives from their children: cheap, and covers a crash. */
    private static final int VERIFY_TAIL = 64;
    /** Parents recomputed per chunk while repairing a level. */
    private static final int REPAIR_CHUNK = 4096;
    /** Direct-mapped read cache entries per level (a power of two). */
    private static final int CACHE_SLOTS = 32;
    private static final Pattern LEVEL_FILE = Pattern.compile("level-(\\d{2})\\.bin");
    private static final String LOCK_FILE = "lock";
    /** Directories open for writing in this JVM, where a second file lock would throw rather than fail. */
    private static final Set<Path> OPEN_DIRS = ConcurrentHashMap.newKeySet();

    private final Path dir;
    private final boolean readOnly;
    private final boolean posix;
    /** The real path, registered in {@link #OPEN_DIRS} while a writer has it open; null for readers. */
    private final Path key;
    private final FileChannel lockChannel;
    private final Level[] levels = new Level[MAX_LEVELS];
    private final ByteBuffer readBuffer = ByteBuffer.allocate(N);
    private TreeBuilder builder;
    /** The number of leaves; kept apart from the builder so that restoring the builder can read nodes. */
    private long size;
    /** A level file was created or deleted since the directory was last synced. */
    private boolean dirDirty;
    private boolean closed;
    /** Set when a failure left this object's view of the files uncertain; only close() is allowed then. */
    private Exception broken;

    /** One level's file, its write buffer and its read cache. */
    private static final class Level {
        final int level;
        final Path path;
        FileChannel channel;
        /** Valid nodes in the file. (A reader may see more bytes: those are ignored.) */
        long written;
        /** Nodes completed but not yet written, following {@link #written}. */
        final ByteBuffer pending;
        final long[] cacheIndex = new long[CACHE_SLOTS];
        final Hash[] cacheHash = new Hash[CACHE_SLOTS];

        Level(int level, Path path, boolean readOnly) {
            this.level = level;
            this.path = path;
            this.pending = ByteBuffer.allocate(readOnly ? 0 : BUFFER_NODES * N);
            Arrays.fill(cacheIndex, -1);
        }

        long count() {
            return written + pending.position() / N;
        }

        void clearCache() {
            Arrays.fill(cacheIndex, -1);
            Arrays.fill(cacheHash, null);
        }
    }

    private FileNodeStore(Path dir, boolean readOnly, boolean posix, Path key, FileChannel lockChannel) {
        this.dir = dir;
        this.readOnly = readOnly;
        this.posix = posix;
        this.key = key;
        this.lockChannel = lockChannel;
    }

    /**
     * Opens the node store in {@code dir} for appending, creating the directory (0700 on POSIX) if needed,
     * repairing what a crash left behind and restoring the tree's frontier in O(log n) reads.
     *
     * @param dir the directory of the level files
     * @return the open store; close it
     * @throws IOException if the files cannot be read or repaired, or another writer has them open
     */
    public static FileNodeStore open(Path dir) throws IOException {
        Objects.requireNonNull(dir, "dir");
        boolean posix = PrivateFiles.posix(dir);
        PrivateFiles.directory(dir);
        Path key = dir.toRealPath();
        if (!OPEN_DIRS.add(key)) {
            throw new IOException("the Merkle node store " + dir + " is already open for writing in this process");
        }
        FileChannel lockChannel = null;
        FileNodeStore store = null;
        try {
            lockChannel = openChannel(dir.resolve(LOCK_FILE), posix);
            FileLock lock;
            try {
                lock = lockChannel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                throw new IOException("the Merkle node store " + dir + " is already open for writing in another process");
            }
            store = new FileNodeStore(dir, false, posix, key, lockChannel);
            store.recover();
            return store;
        } catch (IOException | RuntimeException e) {
            try {
                if (store != null) {
                    store.closeChannels();
                } else if (lockChannel != null) {
                    lockChannel.close();
                }
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            OPEN_DIRS.remove(key);
            throw e;
        }
    }

    /**
     * Opens the node store in {@code dir} for reading only: no lock, no writes, no repair. It sees the leaves that
     * were written when it opened; nodes a crash left missing or damaged at the end of a level are computed from
     * their children on demand. The append, truncate, flush and force methods throw
     * {@link UnsupportedOperationException}.
     *
     * @param dir the directory of the level files
     * @return the open reader; close it
     * @throws NoSuchFileException if {@code dir} does not exist
     * @throws IOException if the files cannot be read
     */
    public static FileNodeStore openReadOnly(Path dir) throws IOException {
        Objects.requireNonNull(dir, "dir");
        if (!Files.isDirectory(dir)) {
            throw new NoSuchFileException(dir.toString(), null, "no Merkle node store here");
        }
        FileNodeStore store = new FileNodeStore(dir, true, false, null, null);
        try {
            store.recover();
            return store;
        } catch (IOException | RuntimeException e) {
            try {
                store.closeChannels();
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    // ---------------------------------------------------------------- NodeSource

    @Override
    public synchronized long size() {
        ensureOpen();
        return size;
    }

    @Override
    public synchronized Hash node(int level, long index) throws IOException {
        ensureOpen();
        if (level < 0 || level >= MAX_LEVELS) {
            throw new IllegalArgumentException("node level must be 0..62, not " + level);
        }
        if (index < 0 || index >= (size >>> level)) {
            throw new IllegalArgumentException("node (" + level + ", " + index
                    + ") is not a complete subtree of a tree of " + size + " leaves");
        }
        return nodeUnchecked(level, index);
    }

    private Hash nodeUnchecked(int level, long index) throws IOException {
        Level lv = levels[level];
        if (lv != null && index >= lv.written && index < lv.count()) {
            byte[] out = new byte[N];
            lv.pending.get((int) (index - lv.written) * N, out);
            return Hash.wrap(out);
        }
        int slot = (int) (index & (CACHE_SLOTS - 1));
        if (lv != null && lv.cacheIndex[slot] == index) {
            return lv.cacheHash[slot];
        }
        Hash h;
        if (lv != null && index < lv.written) {
            h = read(lv, index);
        } else if (level > 0) {
            // Only a reader gets here (a writer repaired every level on open): the node is missing or damaged on
            // disk, so derive it. Leaves always exist below, since `size` counts leaves.
            h = MerkleHashes.nodeHash(nodeUnchecked(level - 1, 2 * index), nodeUnchecked(level - 1, 2 * index + 1));
        } else {
            throw new IllegalStateException("leaf " + index + " is counted but not stored");
        }
        if (lv != null) {
            lv.cacheIndex[slot] = index;
            lv.cacheHash[slot] = h;
        }
        return h;
    }

    // ---------------------------------------------------------------- writing

    /**
     * Appends a leaf hash, buffering it and the nodes it completes. When the buffer is full it is written first,
     * so an {@link IOException} here means the leaf was not appended.
     *
     * @param leaf the leaf hash
     * @return the leaf's index
     * @throws IOException if writing the full buffer failed
     */
    public synchronized long append(Hash leaf) throws IOException {
        ensureWritable();
        Objects.requireNonNull(leaf, "leaf");
        if (levels[0].pending.position() == levels[0].pending.capacity()) {
            flushPending();
        }
        long index = builder.append(leaf);
        size = builder.size();
        return index;
    }

    /**
     * Appends each leaf hash in order.
     *
     * @param leaves the leaf hashes
     * @throws IOException if writing a full buffer failed; the leaves before the failing one are appended
     */
    public synchronized void appendAll(List<Hash> leaves) throws IOException {
        for (Hash leaf : leaves) {
            append(leaf);
        }
    }

    /**
     * The root of all leaves (RFC 6962 MTH), from the in-memory frontier.
     *
     * @return the root
     */
    public synchronized Hash root() {
        ensureOpen();
        return builder.root();
    }

    /**
     * Writes buffered nodes to the files (not necessarily to disk; see {@link #force()}).
     *
     * @throws IOException if a write fails; the nodes stay buffered
     */
    public synchronized void flush() throws IOException {
        ensureWritable();
        flushPending();
    }

    /**
     * Writes buffered nodes and fsyncs every level file (and the directory when files came or went).
     *
     * @throws IOException if that fails; the store then refuses further use until reopened
     */
    public synchronized void force() throws IOException {
        ensureWritable();
        try {
            flushPending();
            for (Level lv : levels) {
                if (lv != null && lv.channel != null) {
                    lv.channel.force(false);
                }
            }
            syncDirectoryIfDirty();
        } catch (IOException e) {
            // After a failed fsync the kernel may have dropped the dirty pages while reporting the error once:
            // what is on disk is unknown, so only a reopen (which re-derives the files' state) may continue.
            broken = e;
            throw e;
        }
    }

    /**
     * Drops leaves {@code newSize} and beyond, and every node derived from them, durably; crash recovery calls
     * this when the ledger's entries end before the tree does. Appending again then gives the same nodes as a tree
     * that never had them.
     *
     * @param newSize the number of leaves to keep
     * @throws IllegalArgumentException unless {@code 0 <= newSize <= size()}
     * @throws IOException if that fails; the store then refuses further use until reopened
     */
    public synchronized void truncate(long newSize) throws IOException {
        ensureWritable();
        if (newSize < 0 || newSize > size) {
            throw new IllegalArgumentException("cannot truncate a tree of " + size + " leaves to " + newSize);
        }
        if (newSize == size) {
            return;
        }
        flushPending();
        try {
            for (int level = 0; level < MAX_LEVELS; level++) {
                Level lv = levels[level];
                if (lv != null) {
                    cut(lv, newSize >>> level);
                }
            }
            size = newSize;
            builder = TreeBuilder.restore(this, this::buffer);
        } catch (IOException | RuntimeException e) {
            // Some levels are cut and others not; the files are repairable on open, this object's state is not.
            broken = e;
            throw e;
        }
        force();
    }

    /** Flushes, fsyncs and closes the files, releasing the writer's lock. Idempotent. */
    @Override
    public synchronized void close() throws IOException {
        if (closed) {
            return;
        }
        try {
            if (!readOnly && broken == null) {
                force();
            }
        } finally {
            closed = true;
            try {
                closeChannels();
            } finally {
                if (key != null) {
                    OPEN_DIRS.remove(key);
                }
            }
        }
    }

    /**
     * The directory holding the level files.
     *
     * @return the directory as given to open
     */
    public Path directory() {
        return dir;
    }

    // ---------------------------------------------------------------- internals

    /** One node's bytes on their way into a level's buffer (the builder's sink runs on the appending thread). */
    private final byte[] nodeScratch = new byte[N];

    /** The builder's sink: only buffers, because a sink cannot fail; {@link #append} does the I/O before. */
    private void buffer(int level, long index, Hash hash) {
        Level lv = levels[level];
        if (lv == null) {
            lv = new Level(level, dir.resolve(fileName(level)), false);
            levels[level] = lv;
        }
        if (index != lv.count()) {
            throw new IllegalStateException("node (" + level + ", " + index + ") arrived out of order; level has "
                    + lv.count());
        }
        hash.copyTo(nodeScratch, 0);
        lv.pending.put(nodeScratch);
    }

    private void flushPending() throws IOException {
        // Leaves first: they define the size on recovery, and higher-level nodes they do not cover are dropped.
        for (Level lv : levels) {
            if (lv == null || lv.pending.position() == 0) {
                continue;
            }
            if (lv.channel == null) {
                lv.channel = openChannel(lv.path, posix);
                dirDirty = true;
            }
            // Written from a view, so that a failed write leaves the buffer intact for a retry at the same offset.
            ByteBuffer out = lv.pending.duplicate().flip();
            long nodes = out.remaining() / N;
            writeFully(lv.channel, out, lv.written * N);
            lv.written += nodes;
            lv.pending.clear();
        }
    }

    /** Shrinks a level to {@code keep} nodes (all written), deleting its file when none are left. */
    private void cut(Level lv, long keep) throws IOException {
        if (keep < lv.written) {
            lv.channel.truncate(keep * N);
            lv.written = keep;
            lv.clearCache();
        }
        if (keep == 0 && lv.level > 0) {
            if (lv.channel != null) {
                lv.channel.close();
            }
            Files.deleteIfExists(lv.path);
            levels[lv.level] = null;
            dirDirty = true;
        }
    }

    /** Makes the files (or, for a reader, its view of them) agree with level 0, then restores the frontier. */
    private void recover() throws IOException {
        Path leafPath = dir.resolve(fileName(0));
        Level l0 = new Level(0, leafPath, readOnly);
        levels[0] = l0;
        if (readOnly) {
            l0.channel = Files.exists(leafPath) ? FileChannel.open(leafPath, StandardOpenOption.READ) : null;
        } else {
            l0.channel = openChannel(leafPath, posix);
        }
        long bytes0 = l0.channel == null ? 0 : l0.channel.size();
        if (bytes0 % N != 0 && !readOnly) {
            LOG.warn("{}: dropping a torn trailing record of {} bytes from the leaf hashes", dir, bytes0 % N);
            l0.channel.truncate(bytes0 - bytes0 % N);
        }
        l0.written = bytes0 / N;
        size = l0.written;

        int highestFile = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "level-*.bin")) {
            for (Path p : files) {
                Matcher m = LEVEL_FILE.matcher(p.getFileName().toString());
                if (m.matches()) {
                    highestFile = Math.max(highestFile, Integer.parseInt(m.group(1)));
                }
            }
        }
        boolean repaired = false;
        for (int level = 1; level < MAX_LEVELS && (level <= highestFile || (size >>> level) > 0); level++) {
            if (readOnly) {
                inspectLevel(level, size >>> level);
            } else {
                repaired |= recoverLevel(level, size >>> level);
            }
        }
        builder = TreeBuilder.restore(this, readOnly ? NodeSink.NONE : this::buffer);
        if (repaired) {
            force();
        }
    }

    /** Brings one level (its children already recovered) to exactly {@code expected} correct nodes. */
    private boolean recoverLevel(int level, long expected) throws IOException {
        Path path = dir.resolve(fileName(level));
        boolean exists = Files.exists(path);
        if (!exists && expected == 0) {
            return false;
        }
        if (expected == 0) {
            LOG.warn("{}: deleting {}, which the {} leaf hashes do not reach", dir, path.getFileName(), size);
            Files.delete(path);
            dirDirty = true;
            return true;
        }
        Level lv = new Level(level, path, false);
        lv.channel = openChannel(path, posix);
        levels[level] = lv;
        if (!exists) {
            dirDirty = true;
        }
        boolean repaired = !exists;
        long bytes = lv.channel.size();
        if (bytes % N != 0) {
            LOG.warn("{}: dropping a torn trailing record of {} bytes from {}", dir, bytes % N, path.getFileName());
            lv.channel.truncate(bytes - bytes % N);
            repaired = true;
        }
        long stored = lv.channel.size() / N;
        if (stored > expected) {
            LOG.warn("{}: dropping {} nodes of {} that the leaf hashes do not cover", dir, stored - expected,
                    path.getFileName());
            lv.channel.truncate(expected * N);
            stored = expected;
            repaired = true;
        }
        lv.written = stored;
        long firstBad = firstMismatch(lv, Math.max(0, stored - VERIFY_TAIL), stored);
        if (firstBad < stored) {
            LOG.warn("{}: {} node {} does not match its children; recomputing from there", dir,
                    path.getFileName(), firstBad);
            lv.channel.truncate(firstBad * N);
            lv.written = firstBad;
            repaired = true;
        }
        if (lv.written < expected) {
            LOG.warn("{}: recomputing {} missing node(s) of {}{}", dir, expected - lv.written, path.getFileName(),
                    exists ? "" : " (the file was missing)");
            rebuild(lv, expected);
            repaired = true;
        }
        return repaired;
    }

    /**
     * A reader's version of {@link #recoverLevel}: the same checks, but the level's valid length is only noted;
     * nodes past it are computed when read.
     */
    private void inspectLevel(int level, long expected) throws IOException {
        Path path = dir.resolve(fileName(level));
        if (expected == 0 || !Files.exists(path)) {
            return; // absent: any node of this level is computed from the level below
        }
        Level lv = new Level(level, path, true);
        lv.channel = FileChannel.open(path, StandardOpenOption.READ);
        levels[level] = lv;
        lv.written = Math.min(lv.channel.size() / N, expected);
        for (long i = Math.max(0, lv.written - VERIFY_TAIL); i < lv.written; i++) {
            Hash derived = MerkleHashes.nodeHash(nodeUnchecked(level - 1, 2 * i), nodeUnchecked(level - 1, 2 * i + 1));
            if (!read(lv, i).equals(derived)) {
                LOG.warn("{}: {} node {} does not match its children; reading past it by recomputing", dir,
                        path.getFileName(), i);
                lv.written = i;
                break;
            }
        }
    }

    /** The first node in {@code [from, to)} of {@code lv} that differs from the hash of its children, or {@code to}. */
    private long firstMismatch(Level lv, long from, long to) throws IOException {
        if (from >= to) {
            return to;
        }
        Hash[] parents = computeParents(levels[lv.level - 1], from, (int) (to - from));
        ByteBuffer stored = ByteBuffer.allocate((int) (to - from) * N);
        readFully(lv.channel, stored, from * N);
        for (int i = 0; i < parents.length; i++) {
            byte[] b = new byte[N];
            stored.get(i * N, b);
            if (!Hash.wrap(b).equals(parents[i])) {
                return from + i;
            }
        }
        return to;
    }

    /** Appends the nodes {@code [lv.written, expected)} of a level, computed from the level below. */
    private void rebuild(Level lv, long expected) throws IOException {
        while (lv.written < expected) {
            int n = (int) Math.min(REPAIR_CHUNK, expected - lv.written);
            Hash[] parents = computeParents(levels[lv.level - 1], lv.written, n);
            byte[] out = new byte[n * N];
            for (int i = 0; i < n; i++) {
                parents[i].copyTo(out, i * N);
            }
            writeFully(lv.channel, ByteBuffer.wrap(out), lv.written * N);
            lv.written += n;
        }
    }

    /** Hashes of parents {@code [from, from+n)} from the (fully written) child level, read in one go. */
    private static Hash[] computeParents(Level children, long from, int n) throws IOException {
        ByteBuffer in = ByteBuffer.allocate(2 * n * N);
        readFully(children.channel, in, 2 * from * N);
        Hash[] out = new Hash[n];
        for (int i = 0; i < n; i++) {
            byte[] left = new byte[N];
            byte[] right = new byte[N];
            in.get(2 * i * N, left);
            in.get((2 * i + 1) * N, right);
            out[i] = MerkleHashes.nodeHash(Hash.wrap(left), Hash.wrap(right));
        }
        return out;
    }

    private Hash read(Level lv, long index) throws IOException {
        readBuffer.clear();
        readFully(lv.channel, readBuffer, index * N);
        return Hash.wrap(readBuffer.array().clone());
    }

    private static void readFully(FileChannel ch, ByteBuffer buf, long position) throws IOException {
        long pos = position;
        while (buf.hasRemaining()) {
            int n = ch.read(buf, pos);
            if (n < 0) {
                throw new IOException("a Merkle level file ends at " + pos + " bytes, before the node it should hold"
                        + " (was it truncated while open?)");
            }
            pos += n;
        }
        buf.flip();
    }

    private static void writeFully(FileChannel ch, ByteBuffer buf, long position) throws IOException {
        long pos = position;
        while (buf.hasRemaining()) {
            pos += ch.write(buf, pos);
        }
    }

    private static FileChannel openChannel(Path path, boolean posix) throws IOException {
        Set<StandardOpenOption> options =
                Set.of(StandardOpenOption.READ, StandardOpenOption.WRITE, StandardOpenOption.CREATE);
        if (!posix) {
            return FileChannel.open(path, options);
        }
        Set<PosixFilePermission> ownerOnly = PosixFilePermissions.fromString("rw-------");
        FileAttribute<Set<PosixFilePermission>> attr = PosixFilePermissions.asFileAttribute(ownerOnly);
        boolean existed = Files.exists(path);
        FileChannel ch = FileChannel.open(path, options, attr);
        if (!existed) {
            // The creation mode passes through the umask; state it outright rather than depend on the umask.
            Files.setPosixFilePermissions(path, ownerOnly);
        }
        return ch;
    }

    private void syncDirectoryIfDirty() throws IOException {
        if (!dirDirty) {
            return;
        }
        if (posix) {
            // A new or deleted file survives a crash only once its directory entry is on disk.
            try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
                d.force(true);
            }
        }
        dirDirty = false;
    }

    private void closeChannels() throws IOException {
        IOException first = null;
        for (Level lv : levels) {
            if (lv != null && lv.channel != null) {
                try {
                    lv.channel.close();
                } catch (IOException e) {
                    first = chain(first, e);
                }
            }
        }
        if (lockChannel != null) {
            try {
                lockChannel.close(); // releases the lock
            } catch (IOException e) {
                first = chain(first, e);
            }
        }
        if (first != null) {
            throw first;
        }
    }

    private static IOException chain(IOException first, IOException next) {
        if (first == null) {
            return next;
        }
        first.addSuppressed(next);
        return first;
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("the Merkle node store " + dir + " is closed");
        }
        if (broken != null) {
            throw new IllegalStateException("the Merkle node store " + dir + " failed (" + broken
                    + "); close and reopen it to recover", broken);
        }
    }

    private void ensureWritable() {
        ensureOpen();
        if (readOnly) {
            throw new UnsupportedOperationException("the Merkle node store " + dir + " was opened read-only");
        }
    }

    private static String fileName(int level) {
        return String.format("level-%02d.bin", level);
    }
}
