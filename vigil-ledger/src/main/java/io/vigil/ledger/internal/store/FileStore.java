package io.vigil.ledger.internal.store;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.event.AuditEvent;
import io.vigil.internal.PrivateFiles;
import io.vigil.internal.time.Sleeper;
import io.vigil.json.CanonicalBuffer;
import io.vigil.ledger.FileLayout;
import io.vigil.ledger.Hash;
import io.vigil.ledger.LedgerOptions;
import io.vigil.ledger.LedgerStore;
import io.vigil.ledger.checkpoint.SignedCheckpoint;
import io.vigil.ledger.internal.CheckpointFile;
import io.vigil.ledger.internal.CheckpointPublisher;
import io.vigil.ledger.internal.EntryCodec;
import io.vigil.ledger.internal.LineReader;
import io.vigil.ledger.internal.LineScanner;
import io.vigil.ledger.internal.Ranges;
import io.vigil.ledger.internal.tree.FileNodeStore;
import io.vigil.ledger.merkle.ConsistencyProof;
import io.vigil.ledger.merkle.InclusionProof;
import io.vigil.ledger.merkle.Proofs;
import io.vigil.redact.HmacKey;
import io.vigil.sink.EntryPosition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The embedded file store. A ledger directory holds:
 * <ul>
 *   <li>{@code ledger.json}: format, origin, mode, key epochs, the checkpoint signer's public key;</li>
 *   <li>{@code segments/<first seq, 20 digits>.jsonl}: the entries, one canonical JSON line each, append-only;</li>
 *   <li>{@code index.bin}: every {@value #INDEX_EVERY}th seq's segment and byte offset (24-byte records);</li>
 *   <li>{@code tree/level-NN.bin}: the Merkle tree's perfect-subtree nodes, so opening and proving never rescan;</li>
 *   <li>{@code checkpoints.jsonl}: the signed checkpoints, one JSON object per line.</li>
 * </ul>
 * Entries are forced before their receipts complete; the tree and index are derived data, rebuilt from the entries
 * on open when a crash left them behind. Not thread-safe: the pipeline's single writer calls it.
 */
public final class FileStore implements LedgerStore {
    private static final Logger LOG = LoggerFactory.getLogger(FileStore.class);
    static final int INDEX_EVERY = 1024;
    /** Batches at least this large are serialized on the encoder thread; smaller ones are not worth the hand-off. */
    private static final int ENCODE_AHEAD_MIN = 32;
    private static final int INDEX_RECORD = 24;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path dir;
    private final FileLayout layout;
    private final Path segmentsDir;
    private final LedgerOptions options;
    private final ChannelOpener opener;
    private LedgerMetadata metadata;
    private EntryCodec codec;
    private final List<HmacKey> hmacKeys;
    private FileNodeStore tree;
    /** Set when derived data (tree, index) failed after entries were durable; repaired before the next append. */
    private boolean derivedDataBroken;
    private final List<Long> segmentFirstSeqs = new ArrayList<>();
    private final CanonicalBuffer batchBuffer = new CanonicalBuffer(256 * 1024);
    private final List<SignedCheckpoint> checkpoints = new ArrayList<>();
    private FileChannel segment;
    private long segmentSize;
    private FileChannel index;
    private FileChannel checkpointFile;
    private long size;
    private String lastHash;
    private final ForcePacer forcePacer;
    private CheckpointPublisher publisher;
    private boolean closed;

    /** Opens files through this; tests inject faults (a full disk, an I/O error) here. */
    @FunctionalInterface
    public interface ChannelOpener {
        FileChannel open(Path file, StandardOpenOption... options) throws IOException;
    }

    private FileStore(Path dir, LedgerOptions options, ChannelOpener opener, LedgerMetadata metadata,
                      Sleeper sleeper) throws IOException {
        this.dir = dir;
        this.layout = FileLayout.of(dir);
        this.segmentsDir = PrivateFiles.directory(layout.segments());
        this.options = options;
        this.opener = opener;
        this.forcePacer = new ForcePacer(options.durability().interval(), options.clock(), sleeper);
        this.metadata = metadata;
        this.hmacKeys = new ArrayList<>(options.hmacKeys());
        this.codec = new EntryCodec(epochs(metadata, hmacKeys));
        this.tree = FileNodeStore.open(layout.tree());
    }

    /** Opens the ledger in {@code dir}, creating it when the directory holds none, and recovers after a crash. */
    public static FileStore open(Path dir, LedgerOptions options) throws IOException {
        return open(dir, options, FileChannel::open);
    }

    public static FileStore open(Path dir, LedgerOptions options, ChannelOpener opener) throws IOException {
        return open(dir, options, opener, Sleeper.system());
    }

    /** As {@link #open(Path, LedgerOptions, ChannelOpener)}, waiting for the force interval through {@code sleeper}. */
    static FileStore open(Path dir, LedgerOptions options, ChannelOpener opener, Sleeper sleeper)
            throws IOException {
        PrivateFiles.directory(dir);
        LedgerMetadata metadata;
        if (Files.exists(dir.resolve(LedgerMetadata.FILE))) {
            metadata = LedgerMetadata.read(dir);
            if (!metadata.origin().equals(options.origin())) {
                throw new IOException("ledger " + dir + " has origin '" + metadata.origin() + "', not '"
                        + options.origin() + "'");
            }
            if (!metadata.epochs().isEmpty() && options.hmacKeys().size() < metadata.epochs().size()) {
                throw new IOException("ledger " + dir + " is keyed with " + metadata.epochs().size()
                        + " key epoch(s); " + options.hmacKeys().size() + " HMAC key(s) were given");
            }
            if (metadata.epochs().isEmpty() && !options.hmacKeys().isEmpty()) {
                throw new IOException("ledger " + dir + " is in plain mode; HMAC keys cannot be added to it");
            }
            for (LedgerMetadata.Epoch e : metadata.epochs()) {
                if (!keyId(options.hmacKeys().get(e.epoch())).equals(e.keyId())) {
                    throw new IOException("HMAC key " + e.epoch() + " does not match the key id recorded in "
                            + LedgerMetadata.FILE + " (" + e.keyId() + ")");
                }
            }
        } else {
            List<LedgerMetadata.Epoch> epochs = new ArrayList<>();
            for (int i = 0; i < Math.min(1, options.hmacKeys().size()); i++) {
                epochs.add(new LedgerMetadata.Epoch(i, 0, keyId(options.hmacKeys().get(i))));
            }
            metadata = new LedgerMetadata(LedgerMetadata.FORMAT, options.origin(), options.clock().instant().toString(),
                    epochs.isEmpty() ? "plain" : "keyed", epochs,
                    options.signingKey().map(k -> k.verifierKey().encode()));
            metadata.write(dir);
        }
        FileStore store = new FileStore(dir, options, opener, metadata, sleeper);
        try {
            store.recover();
        } catch (IOException | RuntimeException e) {
            store.closeQuietly();
            throw e;
        }
        return store;
    }

    private static List<EntryCodec.KeyEpoch> epochs(LedgerMetadata m, List<HmacKey> keys) {
        List<EntryCodec.KeyEpoch> out = new ArrayList<>();
        for (LedgerMetadata.Epoch e : m.epochs()) {
            out.add(new EntryCodec.KeyEpoch(e.epoch(), e.firstSeq(), keys.get(e.epoch()).bytes()));
        }
        return out;
    }

    /**
     * Keyed mode: starts a new HMAC key epoch at the current size; entries from here on are hashed with
     * {@code key}. The epoch is recorded in the metadata before any entry uses it. Readers need every epoch's key.
     *
     * @throws IOException when the ledger is in plain mode or the metadata cannot be written
     */
    public void addKeyEpoch(HmacKey key) throws IOException {
        if (metadata.epochs().isEmpty()) {
            throw new IOException("ledger " + dir + " is in plain mode; key epochs exist only in keyed mode");
        }
        List<LedgerMetadata.Epoch> epochs = new ArrayList<>(metadata.epochs());
        LedgerMetadata.Epoch last = epochs.get(epochs.size() - 1);
        if (last.firstSeq() == size) {
            throw new IOException("key epoch " + last.epoch() + " starts at seq " + size + " and has no entries yet");
        }
        int next = last.epoch() + 1;
        while (hmacKeys.size() < next) {
            throw new IOException("HMAC key " + (hmacKeys.size()) + " is missing");
        }
        if (hmacKeys.size() == next) {
            hmacKeys.add(key);
        } else {
            hmacKeys.set(next, key);
        }
        epochs.add(new LedgerMetadata.Epoch(next, size, keyId(key)));
        LedgerMetadata updated = new LedgerMetadata(metadata.format(), metadata.origin(), metadata.createdAt(),
                metadata.mode(), List.copyOf(epochs), metadata.publicKey());
        updated.write(dir);
        metadata = updated;
        codec = new EntryCodec(epochs(metadata, hmacKeys));
        LOG.info("ledger {}: HMAC key epoch {} starts at seq {}", dir, next, size);
    }

    static String keyId(HmacKey key) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(key.bytes());
            return HexFormat.of().formatHex(d, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---- recovery of derived data ---------------------------------------------------------------------------------------------

    /**
     * After a crash: the entries' tail first ({@link TailRecovery}), then the derived data (index, tree) brought up
     * to it, and a cut recorded in the ledger as {@code audit.ledger.recovered}.
     */
    private void recover() throws IOException {
        loadCheckpoints(); // first: what a signed checkpoint covers must never be cut
        listSegments();
        if (segmentFirstSeqs.isEmpty()) {
            segmentFirstSeqs.add(0L);
        }
        TailRecovery.Tail tail = new TailRecovery(dir, codec, metadata.origin())
                .recover(segmentFirstSeqs, publisher.lastSize());
        size = tail.size();
        lastHash = tail.lastHash();
        segment = opener.open(segmentPath(segmentFirstSeqs.get(segmentFirstSeqs.size() - 1)), StandardOpenOption.WRITE);
        segmentSize = tail.segmentEnd();
        recoverIndex(tail.lastIndexPoints()); // before the tree: rebuilding the tree reads entries through the index
        // derived data: the tree follows the entries
        if (tree.size() > size) {
            LOG.warn("ledger {}: Merkle tree had {} leaves for {} entries; cutting it back", dir, tree.size(), size);
            tree.truncate(size);
        }
        if (tree.size() < size) {
            rebuildTree(tree.size());
        }
        if (tail.cut().isPresent()) {
            append(List.of(tail.cut().get().event(options.clock())));
        }
    }

    private void listSegments() throws IOException {
        segmentFirstSeqs.addAll(layout.segmentFirstSeqs());
    }

    private void rebuildTree(long from) throws IOException {
        List<Hash> leaves = new ArrayList<>();
        forEachLine(from, size, (seq, buf, start, end) -> {
            LineScanner s = LineScanner.scan(buf, start, end);
            leaves.add(Hash.fromHex(s.hash()));
            if (leaves.size() == 4096) {
                tree.appendAll(List.copyOf(leaves));
                leaves.clear();
            }
        });
        tree.appendAll(leaves);
        tree.force();
        LOG.info("ledger {}: Merkle tree brought up to {} leaves", dir, size);
    }

    private void recoverIndex(List<long[]> lastSegmentPoints) throws IOException {
        Path file = PrivateFiles.file(layout.index());
        index = opener.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
        long records = index.size() / INDEX_RECORD;
        long keep = records;
        // drop records at or beyond the last segment (re-added from the scan) and any torn record
        ByteBuffer rec = ByteBuffer.allocate(INDEX_RECORD);
        long lastFirst = segmentFirstSeqs.get(segmentFirstSeqs.size() - 1);
        while (keep > 0) {
            rec.clear();
            index.read(rec, (keep - 1) * INDEX_RECORD);
            rec.flip();
            long seq = rec.getLong();
            if (seq < lastFirst && seq < size) {
                break;
            }
            keep--;
        }
        index.truncate(keep * INDEX_RECORD);
        for (long[] p : lastSegmentPoints) {
            writeIndex(p[0], p[1], p[2]);
        }
    }

    private void writeIndex(long seq, long segmentFirst, long offset) throws IOException {
        ByteBuffer rec = ByteBuffer.allocate(INDEX_RECORD);
        rec.putLong(seq).putLong(segmentFirst).putLong(offset).flip();
        long at = (seq / INDEX_EVERY) * INDEX_RECORD;
        while (rec.hasRemaining()) {
            at += index.write(rec, at);
        }
    }

    private void loadCheckpoints() throws IOException {
        Path file = PrivateFiles.file(layout.checkpoints());
        CheckpointFile.Contents contents;
        try {
            contents = CheckpointFile.read(file);
        } catch (IOException e) {
            throw new IOException(e.getMessage() + "; the file was damaged or edited; run `vigil verify`", e);
        }
        if (contents.tornBytes() > 0) {
            // a checkpoint whose write a crash or a full disk cut short: never finished, never sent to a witness
            try (FileChannel c = FileChannel.open(file, StandardOpenOption.WRITE)) {
                c.truncate(contents.completeBytes());
                c.force(true);
            }
            LOG.warn("ledger {}: cut {} byte(s) of an unfinished checkpoint from {}", dir, contents.tornBytes(),
                    file.getFileName());
        }
        checkpoints.addAll(contents.signed());
        long lastSize = checkpoints.isEmpty() ? 0 : checkpoints.get(checkpoints.size() - 1).checkpoint().size();
        publisher = new CheckpointPublisher(options, new CheckpointFileStore(), lastSize, dir.toString());
        checkpointFile = opener.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
    }

    // ---- append ----------------------------------------------------------------------------------------------

    @Override
    public String origin() {
        return metadata.origin();
    }

    @Override
    public long size() {
        return size;
    }

    /** The ledger directory. */
    public Path directory() {
        return dir;
    }

    @Override
    public List<EntryPosition> append(List<AuditEvent> events) throws IOException {
        if (closed) {
            throw new IOException("ledger " + dir + " is closed");
        }
        if (events.isEmpty()) {
            return List.of();
        }
        if (derivedDataBroken) {
            repairDerivedData();
        }
        batchBuffer.reset();
        List<EntryPosition> positions = new ArrayList<>(events.size());
        List<Hash> leaves = new ArrayList<>(events.size());
        long[] lineStarts = new long[events.size()];
        long seq = size;
        String prev = lastHash;
        if (events.size() >= ENCODE_AHEAD_MIN) {
            // Another thread serializes the events while this one chains them: see TemplateEncoder.
            TemplateEncoder enc = encoder();
            enc.start(events);
            byte[] prevHex = prev.getBytes(StandardCharsets.US_ASCII);
            for (int i = 0; i < events.size(); i++) {
                enc.await(i);
                lineStarts[i] = batchBuffer.length();
                byte[] h = codec.encodeTemplate(enc.bytes(i), enc.templateStart(i), enc.templateEnd(i), enc.slots(),
                        3 * i, seq, prevHex, batchBuffer);
                prevHex = codec.lastHashHexBytes();
                prev = codec.lastHashHex();
                leaves.add(Hash.wrap(h));
                positions.add(new EntryPosition(seq, prev));
                seq++;
            }
        } else {
            for (int i = 0; i < events.size(); i++) {
                lineStarts[i] = batchBuffer.length();
                byte[] h = codec.encode(events.get(i), seq, prev, batchBuffer);
                prev = codec.lastHashHex();
                leaves.add(Hash.wrap(h));
                positions.add(new EntryPosition(seq, prev));
                seq++;
            }
        }
        if (segmentSize > 0 && segmentSize + batchBuffer.length() > options.segmentBytes()) {
            rotateSegment();
        }
        long start = segmentSize;
        try {
            ByteBuffer bb = ByteBuffer.wrap(batchBuffer.array(), 0, batchBuffer.length());
            long at = start;
            while (bb.hasRemaining()) {
                at += segment.write(bb, at);
            }
            forceAccordingToPolicy();
        } catch (IOException e) {
            rollback(start);
            throw new IOException("ledger " + dir + ": cannot append " + events.size() + " entries at seq " + size
                    + ": " + e.getMessage(), e);
        }
        // The entries are durable: from here on nothing may fail the append, or the pipeline's retry would write
        // them a second time. Derived data that fails is repaired before the next append.
        long first = segmentFirstSeqs.get(segmentFirstSeqs.size() - 1);
        long firstSeq = size;
        segmentSize = start + batchBuffer.length();
        size = seq;
        lastHash = prev;
        try {
            for (int i = 0; i < events.size(); i++) {
                long s = firstSeq + i;
                if (s % INDEX_EVERY == 0) {
                    writeIndex(s, first, start + lineStarts[i]);
                }
            }
            tree.appendAll(leaves);
        } catch (IOException | RuntimeException e) {
            derivedDataBroken = true;
            LOG.error("ledger {}: entries {}..{} are durable but the Merkle tree or index could not be updated ({});"
                    + " they will be rebuilt from the entries before the next append", dir, firstSeq, seq - 1, e.toString());
            return positions;
        }
        try {
            publisher.afterAppend(size);
        } catch (IOException | RuntimeException e) {
            LOG.error("ledger {}: could not write a checkpoint at size {} ({}); the next append tries again", dir, size,
                    e.toString());
        }
        return positions;
    }

    /** Reopens the tree (its own recovery) and brings it and the index up to the entries. */
    private void repairDerivedData() throws IOException {
        try {
            tree.close();
        } catch (IOException e) {
            LOG.warn("ledger {}: closing the damaged tree failed: {}", dir, e.toString());
        }
        tree = FileNodeStore.open(layout.tree());
        if (tree.size() > size) {
            tree.truncate(size);
        }
        if (tree.size() < size) {
            rebuildTree(tree.size());
        }
        derivedDataBroken = false;
        LOG.warn("ledger {}: Merkle tree repaired at {} leaves", dir, size);
    }

    private void forceAccordingToPolicy() throws IOException {
        forcePacer.awaitTurn();
        segment.force(false);
        forcePacer.forced();
    }

    private void rollback(long start) {
        try {
            segment.truncate(start);
            segment.force(false);
        } catch (IOException again) {
            LOG.error("ledger {}: could not cut the segment back to {} bytes after a failed append ({}); reopening"
                    + " the ledger will cut the partial entry", dir, start, again.toString());
        }
    }

    private void rotateSegment() throws IOException {
        segment.force(true);
        segment.close();
        long first = size;
        Path next = PrivateFiles.file(segmentPath(first));
        PrivateFiles.forceDirectory(segmentsDir);
        segmentFirstSeqs.add(first);
        segment = opener.open(next, StandardOpenOption.WRITE);
        segmentSize = 0;
    }

    private Path segmentPath(long firstSeq) {
        return layout.segment(firstSeq);
    }

    // ---- checkpoints -----------------------------------------------------------------------------------------

    @Override
    public Optional<SignedCheckpoint> checkpoint() throws IOException {
        return publisher.publish();
    }

    /** Keeps this store's checkpoints: a line each in {@code checkpoints.jsonl}. */
    private final class CheckpointFileStore implements CheckpointPublisher.Store {
        @Override
        public long size() {
            return size;
        }

        @Override
        public Hash root(long treeSize) throws IOException {
            return FileStore.this.root(treeSize);
        }

        @Override
        public void keep(SignedCheckpoint signed, Instant at) throws IOException {
            // No fsync of the tree here: it is derived data, rebuilt from the (durable) entries after a crash.
            tree.flush();
            Map<String, Object> rec = new LinkedHashMap<>();
            rec.put("size", signed.checkpoint().size());
            rec.put("root", signed.checkpoint().root().hex());
            rec.put("time", at.toString());
            rec.put("note", signed.encode());
            byte[] line = (JSON.writeValueAsString(rec) + "\n").getBytes(StandardCharsets.UTF_8);
            long before = checkpointFile.size();
            try {
                ByteBuffer bb = ByteBuffer.wrap(line);
                while (bb.hasRemaining()) {
                    checkpointFile.write(bb);
                }
                checkpointFile.force(false);
            } catch (IOException e) {
                try {
                    checkpointFile.truncate(before); // no fragment for the next checkpoint to be appended behind
                } catch (IOException again) {
                    e.addSuppressed(again);
                }
                throw e;
            }
            checkpoints.add(signed);
        }

        @Override
        public ConsistencyProof consistencyProof(long size1, long size2) throws IOException {
            return FileStore.this.consistencyProof(size1, size2);
        }
    }

    @Override
    public List<SignedCheckpoint> checkpoints() {
        return List.copyOf(checkpoints);
    }

    // ---- reads -----------------------------------------------------------------------------------------------

    @Override
    public Hash root(long treeSize) throws IOException {
        requireSize(treeSize);
        return treeSize == tree.size() ? tree.root() : Proofs.root(tree, treeSize);
    }

    @Override
    public Hash entryHash(long seq) throws IOException {
        requireSeq(seq);
        return tree.node(0, seq);
    }

    @Override
    public String line(long seq) throws IOException {
        requireSeq(seq);
        String[] out = new String[1];
        forEachLine(seq, seq + 1, (s, buf, start, end) -> out[0] = new String(buf, start, end - start, StandardCharsets.UTF_8));
        return out[0];
    }

    @Override
    public InclusionProof inclusionProof(long seq, long treeSize) throws IOException {
        Ranges.requireInclusion(seq, treeSize, size);
        return Proofs.inclusion(tree, seq, treeSize);
    }

    @Override
    public ConsistencyProof consistencyProof(long size1, long size2) throws IOException {
        Ranges.requireConsistency(size1, size2, size);
        return Proofs.consistency(tree, size1, size2);
    }

    private void requireSize(long treeSize) {
        Ranges.requireSize(treeSize, size);
    }

    private void requireSeq(long seq) {
        Ranges.requireSeq(seq, size);
    }

    /** Receives one entry's stored line, {@code buf[start, end)} without its newline, with its seq. */
    @FunctionalInterface
    interface EntryLineVisitor {
        void visit(long seq, byte[] buf, int start, int end) throws IOException;
    }

    /** Visits the lines of seqs {@code [from, to)} in order, starting from the sparse index. */
    void forEachLine(long from, long to, EntryLineVisitor visitor) throws IOException {
        if (from >= to) {
            return;
        }
        int segIdx = segmentIndexOf(from);
        long seq = segmentFirstSeqs.get(segIdx);
        long offset = 0;
        long[] point = indexPoint(from);
        if (point != null && point[1] == seq) {
            seq = point[0];
            offset = point[2];
        }
        for (int i = segIdx; i < segmentFirstSeqs.size() && seq < to; i++) {
            if (segmentFirstSeqs.get(i) != seq && i > segIdx) {
                throw new IOException("segment " + segmentPath(segmentFirstSeqs.get(i)) + " starts at seq "
                        + segmentFirstSeqs.get(i) + " but seq " + seq + " was expected");
            }
            try (LineReader r = new LineReader(segmentPath(segmentFirstSeqs.get(i)), i == segIdx ? offset : 0)) {
                while (seq < to && r.next()) {
                    if (seq >= from) {
                        visitor.visit(seq, r.buffer(), r.lineStart(), r.lineEnd());
                    }
                    seq++;
                }
            }
        }
    }

    private int segmentIndexOf(long seq) {
        int lo = 0;
        int hi = segmentFirstSeqs.size() - 1;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (segmentFirstSeqs.get(mid) <= seq) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return lo;
    }

    private long[] indexPoint(long seq) throws IOException {
        long rec = seq / INDEX_EVERY;
        if ((rec + 1) * INDEX_RECORD > index.size()) {
            return null;
        }
        ByteBuffer bb = ByteBuffer.allocate(INDEX_RECORD);
        index.read(bb, rec * INDEX_RECORD);
        bb.flip();
        long s = bb.getLong();
        return s == rec * INDEX_EVERY ? new long[] {s, bb.getLong(), bb.getLong()} : null;
    }

    // ---- close -----------------------------------------------------------------------------------------------

    private TemplateEncoder encoder;

    private TemplateEncoder encoder() {
        if (encoder == null) {
            encoder = new TemplateEncoder("vigil-ledger-encoder");
        }
        return encoder;
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        try {
            publisher.publishFinal();
            tree.force();
            index.force(false);
            segment.force(true);
        } finally {
            closed = true;
            closeQuietly();
        }
    }

    private void closeQuietly() {
        for (AutoCloseable c : new AutoCloseable[] {encoder, segment, index, checkpointFile, tree}) {
            if (c != null) {
                try {
                    c.close();
                } catch (Exception e) {
                    LOG.warn("ledger {}: closing a file failed: {}", dir, e.toString());
                }
            }
        }
    }
}
