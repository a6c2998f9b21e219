package io.vigil.ledger.internal.tree;

import io.vigil.ledger.Hash;
import io.vigil.ledger.merkle.MerkleHashes;
import io.vigil.ledger.merkle.NodeSource;
import io.vigil.ledger.merkle.TreeBuilder;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
 * <p>One process at a time: {@code open} takes an exclusive lock on {@code level-00.bin}. Methods are
 * synchronized; a read costs one positional read at most (a small per-level cache serves the hot nodes near the
 * top of the tree).
 */
public final class FileNodeStore implements NodeSource, Closeable {
    private static final Logger LOG = LoggerFactory.getLogger(FileNodeStore.class);

    private static final int N = Hash.LENGTH;
    /** Levels 0..62 cover any {@code long} size. */
    private static final int MAX_LEVELS = 63;
    /** Leaves buffered before a write; every other level then holds at most as many, so no buffer overflows. */
    private static final int BUFFER_NODES = 256;
    /** How many trailing nodes per level {@link #open} re-derives from their children: cheap, covers a crash. */
    private static final int VERIFY_TAIL = 64;
    /** Parents recomputed per chunk while repairing a level. */
    private static final int REPAIR_CHUNK = 4096;
    /** Direct-mapped read cache entries per level (a power of two). */
    private static final int CACHE_SLOTS = 32;
    private static final Pattern LEVEL_FILE = Pattern.compile("level-(\\d{2})\\.bin");
    /**
     * Directories open in this JVM. Checked before any file is opened, because on POSIX closing <em>any</em>
     * descriptor of a file drops the process's lock on it: a refused second open must not touch level-00.bin.
     */
    private static final Set<Path> OPEN_DIRS = ConcurrentHashMap.newKeySet();

    private final Path dir;
    /** The real path, registered in {@link #OPEN_DIRS} while open. */
    private final Path key;
    private final boolean posix;
    private final Level[] levels = new Level[MAX_LEVELS];
    private final FileLock lock;
    private final ByteBuffer readBuffer = ByteBuffer.allocate(N);
    private TreeBuilder builder;
    /** The number of leaves; kept apart from the builder so that restoring the builder can read nodes. */
    private long size;
    /** A level file was created or deleted since the directory was last synced. */
    private boolean dirDirty;
    private boolean closed;

    /** One level's file, its write buffer and its read cache. */
    private static final class Level {
        final int level;
        final Path path;
        FileChannel channel;
        /** Nodes in the file. */
        long written;
        /** Nodes completed but not yet written, following {@link #written}. */
        final ByteBuffer pending = ByteBuffer.allocate(BUFFER_NODES * N);
        final long[] cacheIndex = new long[CACHE_SLOTS];
        final Hash[] cacheHash = new Hash[CACHE_SLOTS];

        Level(int level, Path path) {
            this.level = level;
            this.path = path;
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

    private FileNodeStore(Path dir, Path key, boolean posix, FileLock lock) {
        this.dir = dir;
        this.key = key;
        this.posix = posix;
        this.lock = lock;
    }

    /**
     * Opens the node store in {@code dir}, creating the directory (0700 on POSIX) if needed, repairing what a crash
     * left behind and restoring the tree's frontier in O(log n) reads.
     *
     * @throws IOException if the files cannot be read or repaired, or another process has them open
     */
    public static FileNodeStore open(Path dir) throws IOException {
        Objects.requireNonNull(dir, "dir");
        boolean posix = dir.getFileSystem().supportedFileAttributeViews().contains("posix");
        if (!Files.isDirectory(dir)) {
            if (posix) {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(
                        PosixFilePermissions.fromString("rwx------")));
                // createDirectories applies the umask; set the mode outright.
                Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
            } else {
                Files.createDirectories(dir);
            }
        }
        Path key = dir.toRealPath();
        if (!OPEN_DIRS.add(key)) {
            throw new IOException("the Merkle node store " + dir + " is already open in this process");
        }
        FileChannel leaves = null;
        FileNodeStore store = null;
        try {
            Path leafPath = dir.resolve(fileName(0));
            leaves = openChannel(leafPath, posix);
            FileLock lock;
            try {
                lock = leaves.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                throw new IOException("the Merkle node store " + dir + " is already open in another process");
            }
            store = new FileNodeStore(dir, key, posix, lock);
            Level l0 = new Level(0, leafPath);
            l0.channel = leaves;
            store.levels[0] = l0;
            store.recover();
            return store;
        } catch (IOException | RuntimeException e) {
            try {
                if (store != null) {
                    store.closeChannels();
                } else if (leaves != null) {
                    leaves.close();
                }
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            OPEN_DIRS.remove(key);
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
        Level lv = levels[level];
        if (index >= lv.written) {
            byte[] out = new byte[N];
            lv.pending.get((int) (index - lv.written) * N, out);
            return Hash.wrap(out);
        }
        int slot = (int) (index & (CACHE_SLOTS - 1));
        if (lv.cacheIndex[slot] == index) {
            return lv.cacheHash[slot];
        }
        Hash h = read(lv, index);
        lv.cacheIndex[slot] = index;
        lv.cacheHash[slot] = h;
        return h;
    }

    // ---------------------------------------------------------------- writing

    /** Appends a leaf hash, buffering it and the nodes it completes; returns the leaf's index. */
    public synchronized long append(Hash leaf) throws IOException {
        ensureOpen();
        long index = builder.append(leaf);
        size = builder.size();
        if (levels[0].pending.position() == levels[0].pending.capacity()) {
            flushPending();
        }
        return index;
    }

    /** Appends each leaf hash in order. */
    public synchronized void appendAll(List<Hash> leaves) throws IOException {
        for (Hash leaf : leaves) {
            append(leaf);
        }
    }

    /** The root of all leaves (RFC 6962 MTH), from the in-memory frontier. */
    public synchronized Hash root() {
        ensureOpen();
        return builder.root();
    }

    /** Writes buffered nodes to the files (not necessarily to disk; see {@link #force()}). */
    public synchronized void flush() throws IOException {
        ensureOpen();
        flushPending();
    }

    /** Writes buffered nodes and fsyncs every level file (and the directory when files came or went). */
    public synchronized void force() throws IOException {
        ensureOpen();
        flushPending();
        for (Level lv : levels) {
            if (lv != null && lv.channel != null) {
                lv.channel.force(false);
            }
        }
        syncDirectoryIfDirty();
    }

    /**
     * Drops leaves {@code size} and beyond, and every node derived from them, durably; crash recovery calls this
     * when the ledger's entries end before the tree does. Appending again then gives the same nodes as a tree that
     * never had them.
     *
     * @throws IllegalArgumentException unless {@code 0 <= size <= size()}
     */
    public synchronized void truncate(long newSize) throws IOException {
        ensureOpen();
        if (newSize < 0 || newSize > size) {
            throw new IllegalArgumentException("cannot truncate a tree of " + size + " leaves to " + newSize);
        }
        if (newSize == size) {
            return;
        }
        flushPending();
        for (int level = 0; level < MAX_LEVELS; level++) {
            Level lv = levels[level];
            if (lv != null) {
                cut(lv, newSize >>> level);
            }
        }
        size = newSize;
        builder = TreeBuilder.restore(this, this::buffer);
        force();
    }

    /** Flushes, fsyncs and closes the files, releasing the lock. Idempotent. */
    @Override
    public synchronized void close() throws IOException {
        if (closed) {
            return;
        }
        try {
            force();
        } finally {
            closed = true;
            try {
                closeChannels();
            } finally {
                OPEN_DIRS.remove(key);
            }
        }
    }

    /** The directory holding the level files. */
    public Path directory() {
        return dir;
    }

    // ---------------------------------------------------------------- internals

    /** The builder's sink: only buffers, because a sink cannot fail; {@link #append} does the I/O after. */
    private void buffer(int level, long index, Hash hash) {
        Level lv = levels[level];
        if (lv == null) {
            lv = new Level(level, dir.resolve(fileName(level)));
            levels[level] = lv;
        }
        if (index != lv.count()) {
            throw new IllegalStateException("node (" + level + ", " + index + ") arrived out of order; level has "
                    + lv.count());
        }
        byte[] b = new byte[N];
        hash.copyTo(b, 0);
        lv.pending.put(b);
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
            lv.pending.flip();
            long nodes = lv.pending.remaining() / N;
            writeFully(lv.channel, lv.pending, lv.written * N);
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

    /** Makes the files agree with level 0 (see the class comment), then restores the frontier. */
    private void recover() throws IOException {
        Level l0 = levels[0];
        long bytes0 = l0.channel.size();
        if (bytes0 % N != 0) {
            LOG.warn("{}: dropping a torn trailing record of {} bytes from the leaf hashes", dir, bytes0 % N);
            l0.channel.truncate(bytes0 - bytes0 % N);
        }
        l0.written = l0.channel.size() / N;
        long leaves = l0.written;

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
        for (int level = 1; level < MAX_LEVELS && (level <= highestFile || (leaves >>> level) > 0); level++) {
            repaired |= recoverLevel(level, leaves >>> level);
        }
        size = leaves;
        builder = TreeBuilder.restore(this, this::buffer);
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
            LOG.warn("{}: deleting {}, which the {} leaf hashes do not reach", dir, path.getFileName(),
                    levels[0].written);
            Files.delete(path);
            dirDirty = true;
            return true;
        }
        Level lv = new Level(level, path);
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
            if (exists) {
                LOG.warn("{}: recomputing {} missing nodes of {}", dir, expected - lv.written, path.getFileName());
            }
            rebuild(lv, expected);
            repaired = true;
        }
        return repaired;
    }

    /** The first node in {@code [from, to)} of {@code lv} that differs from the hash of its children, or {@code to}. */
    private long firstMismatch(Level lv, long from, long to) throws IOException {
        if (from >= to) {
            return to;
        }
        Hash[] parents = computeParents(levels[lv.level - 1], from, (int) (to - from));
        ByteBuffer stored = ByteBuffer.allocate((int) (to - from) * N);
        readFully(lv.channel, stored, from * N);
        byte[] b = new byte[N];
        for (int i = 0; i < parents.length; i++) {
            stored.get(i * N, b);
            if (!Hash.wrap(b.clone()).equals(parents[i])) {
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
            ByteBuffer out = ByteBuffer.allocate(n * N);
            byte[] b = new byte[N];
            for (Hash h : parents) {
                h.copyTo(b, 0);
                out.put(b);
            }
            out.flip();
            writeFully(lv.channel, out, lv.written * N);
            lv.written += n;
        }
    }

    /** Hashes of parents {@code [from, from+n)} from the (fully written) child level. */
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
                        + " (was it changed while open?)");
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
        try {
            if (lock != null && lock.isValid()) {
                lock.release();
            }
        } catch (IOException e) {
            first = e;
        }
        for (Level lv : levels) {
            if (lv != null && lv.channel != null) {
                try {
                    lv.channel.close();
                } catch (IOException e) {
                    if (first == null) {
                        first = e;
                    } else {
                        first.addSuppressed(e);
                    }
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("the Merkle node store " + dir + " is closed");
        }
    }

    private static String fileName(int level) {
        return String.format("level-%02d.bin", level);
    }
}
