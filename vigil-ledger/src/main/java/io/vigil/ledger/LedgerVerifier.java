package io.vigil.ledger;

import io.vigil.ledger.internal.CheckpointFile;
import io.vigil.json.EventJson;
import io.vigil.ledger.checkpoint.CheckpointException;
import io.vigil.ledger.checkpoint.SignedCheckpoint;
import io.vigil.ledger.checkpoint.VerifierKey;
import io.vigil.ledger.checkpoint.Witness;
import io.vigil.ledger.internal.CheckpointCheck;
import io.vigil.ledger.internal.EntryCodec;
import io.vigil.ledger.internal.LineReader;
import io.vigil.ledger.internal.LineScanner;
import io.vigil.ledger.internal.store.LedgerMetadata;
import io.vigil.ledger.internal.tree.FileNodeStore;
import io.vigil.ledger.merkle.MerkleHashes;
import io.vigil.ledger.merkle.NodeSink;
import io.vigil.ledger.merkle.Proofs;
import io.vigil.ledger.merkle.ProofException;
import io.vigil.ledger.merkle.TreeBuilder;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;

/**
 * Verifies a file ledger offline, from its bytes alone: every line is well formed, seqs are gapless and in order,
 * every {@code prevHash} and {@code hash} recomputes, the Merkle root at every checkpoint's size equals the signed
 * root, every signature is valid, and the ledger is not behind the witness. Reports the first bad seq and why.
 * Segments are hashed in parallel. The tree files are not trusted: roots are recomputed from the entries.
 */
public final class LedgerVerifier {
    private final Path dir;
    private Optional<VerifierKey> key = Optional.empty();
    private Optional<Witness> witness = Optional.empty();
    private List<byte[]> hmacKeys = List.of();
    private Optional<SignedCheckpoint> trusted = Optional.empty();
    private boolean deep;
    private int threads = Runtime.getRuntime().availableProcessors();
    private LongConsumer progress = n -> { };
    private int tornCheckpointBytes;

    private LedgerVerifier(Path dir) {
        this.dir = dir;
    }

    /** A verifier for the ledger in {@code dir}. */
    public static LedgerVerifier of(Path dir) {
        return new LedgerVerifier(Objects.requireNonNull(dir, "dir"));
    }

    /** The key checkpoints must be signed with. Without it, the key the ledger names for itself is used. */
    public LedgerVerifier key(VerifierKey value) {
        key = Optional.of(value);
        return this;
    }

    /** A witness whose latest checkpoint the ledger must contain (detects rollback and forks). */
    public LedgerVerifier witness(Witness value) {
        witness = Optional.of(value);
        return this;
    }

    /** HMAC keys, by epoch, for a keyed ledger. */
    public LedgerVerifier hmacKeys(List<byte[]> value) {
        hmacKeys = List.copyOf(value);
        return this;
    }

    /**
     * Verifies incrementally: entries before this checkpoint's size are taken as proven by it (after checking the
     * stored tree reproduces its root), only later ones are read.
     */
    public LedgerVerifier since(SignedCheckpoint value) {
        trusted = Optional.of(value);
        return this;
    }

    /** Also parse every line into the event model (slower; catches entries a reader of the model would reject). */
    public LedgerVerifier deep(boolean value) {
        deep = value;
        return this;
    }

    /** Segments hashed at once. */
    public LedgerVerifier threads(int value) {
        if (value < 1) {
            throw new IllegalArgumentException("threads must be at least 1");
        }
        threads = value;
        return this;
    }

    /** Receives the number of bytes read so far, now and then. */
    public LedgerVerifier progress(LongConsumer value) {
        progress = Objects.requireNonNull(value, "progress");
        return this;
    }

    /** Total bytes of entries a full verification reads, for a progress bar. */
    public long totalBytes() throws IOException {
        long total = 0;
        for (long[] s : segments()) {
            total += Files.size(segmentPath(s[0]));
        }
        return total;
    }

    /** One segment's findings. */
    /** Leaves per block whose subtree root a scanning thread computes, so that the merge folds one hash, not 64. */
    private static final int BLOCK_LEVEL = 6;
    private static final int BLOCK = 1 << BLOCK_LEVEL;

    private static final class SegmentResult {
        long first;
        long count;
        byte[] leaves = new byte[0];
        /** Roots of the aligned blocks of {@link #BLOCK} leaves that lie wholly in this segment, in order. */
        byte[] blockRoots = new byte[0];
        /** The leaf index where the first block of {@link #blockRoots} starts. */
        long firstBlockLeaf;
        String firstPrevHash;
        String lastHash;
        long badSeq = -1;
        String reason;
        long tornBytes;
    }

    /** Runs the verification. */
    public VerificationReport verify() throws IOException {
        LedgerMetadata meta = LedgerMetadata.read(dir);
        List<String> warnings = new ArrayList<>();
        List<EntryCodec.KeyEpoch> epochs = new ArrayList<>();
        for (LedgerMetadata.Epoch e : meta.epochs()) {
            if (e.epoch() >= hmacKeys.size()) {
                throw new IOException("ledger " + dir + " is keyed; HMAC key " + e.epoch() + " is needed to verify it");
            }
            epochs.add(new EntryCodec.KeyEpoch(e.epoch(), e.firstSeq(), hmacKeys.get(e.epoch())));
        }
        VerifierKey vkey;
        if (key.isPresent()) {
            vkey = key.get();
        } else if (meta.publicKey().isPresent()) {
            vkey = VerifierKey.parse(meta.publicKey().get());
            warnings.add("no key given: checkpoints were checked against the key named in the ledger itself, which"
                    + " proves the ledger is self-consistent, not who wrote it; pass the signer's public key");
        } else {
            vkey = null;
            warnings.add("the ledger has no signing key: only the hash chain was checked; a rewrite that re-chains"
                    + " every entry cannot be detected without signed checkpoints");
        }
        List<SignedCheckpoint> checkpoints = readCheckpoints();
        if (tornCheckpointBytes > 0) {
            warnings.add("checkpoints.jsonl ends with " + tornCheckpointBytes + " byte(s) of an unfinished checkpoint;"
                    + " it was ignored");
        }
        long startSize = 0;
        TreeBuilder tree = new TreeBuilder();
        String expectedPrev = EntryCodec.genesis(meta.origin());
        if (trusted.isPresent()) {
            SignedCheckpoint t = trusted.get();
            if (vkey != null) {
                try {
                    t.verify(vkey);
                } catch (CheckpointException e) {
                    return CheckpointCheck.fail(0, 0, 0, "the trusted checkpoint's signature is not valid: " + e.getMessage(), warnings);
                }
            }
            startSize = t.checkpoint().size();
            try (FileNodeStore nodes = FileNodeStore.openReadOnly(FileLayout.of(dir).tree())) {
                if (nodes.size() < startSize || !Proofs.root(nodes, startSize).equals(t.checkpoint().root())) {
                    return CheckpointCheck.fail(0, 0, 0, "the stored tree does not reproduce the trusted checkpoint's root at size "
                            + startSize + "; run a full verification", warnings);
                }
                tree = TreeBuilder.restore(nodes, startSize, NodeSink.NONE);
                if (startSize > 0) {
                    Hash lastLeaf = nodes.node(0, startSize - 1);
                    try {
                        Proofs.verifyInclusion(Proofs.inclusion(nodes, startSize - 1, startSize), lastLeaf,
                                t.checkpoint().root());
                    } catch (ProofException e) {
                        return CheckpointCheck.fail(startSize - 1, 0, 0, "the stored hash of seq " + (startSize - 1)
                                + " is not in the trusted checkpoint", warnings);
                    }
                    expectedPrev = lastLeaf.hex();
                }
            }
        }

        List<long[]> segs = segments();
        // Segments are hashed in parallel while this thread folds finished ones, in order, into the tree.
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(threads, Math.max(1, segs.size()))), r -> {
            Thread t = new Thread(r, "vigil-verify");
            t.setDaemon(true);
            return t;
        });
        try {
            return verifySegments(meta, segs, pool, epochs, startSize, tree, expectedPrev, checkpoints, vkey, warnings);
        } finally {
            pool.shutdownNow();
        }
    }

    private VerificationReport verifySegments(LedgerMetadata meta, List<long[]> segs, ExecutorService pool,
                                              List<EntryCodec.KeyEpoch> epochs, long startSize, TreeBuilder tree,
                                              String expectedPrev, List<SignedCheckpoint> checkpoints, VerifierKey vkey,
                                              List<String> warnings) throws IOException {
        List<Future<SegmentResult>> pending = submitScans(segs, pool, epochs, startSize);
        // Signatures need no entries: check them while the segments are scanned rather than after.
        String[] signatureErrors = new String[checkpoints.size()];
        if (vkey != null) {
            for (int i = 0; i < checkpoints.size(); i++) {
                if (checkpoints.get(i).checkpoint().size() >= startSize) {
                    try {
                        checkpoints.get(i).verify(vkey);
                    } catch (CheckpointException e) {
                        signatureErrors[i] = e.getMessage();
                    }
                }
            }
        }
        List<SegmentResult> results = new ArrayList<>();
        // merge in order: contiguity across segments, chain links across boundaries
        long expectedSeq = trusted.isPresent() ? startSize : segs.isEmpty() ? 0 : segs.get(0)[0];
        if (trusted.isEmpty() && expectedSeq != 0) {
            return CheckpointCheck.fail(0, 0, 0, "the first segment starts at seq " + expectedSeq + "; seqs 0.." + (expectedSeq - 1)
                    + " are missing", warnings);
        }
        long entries = startSize;
        long badSeq = -1;
        String reason = null;
        String prevHash = expectedPrev;
        List<Long> sizes = new ArrayList<>();
        for (SignedCheckpoint c : checkpoints) {
            sizes.add(c.checkpoint().size());
        }
        List<Hash> rootsAtSizes = new ArrayList<>();
        int nextCp = 0;
        while (nextCp < sizes.size() && sizes.get(nextCp) < startSize) {
            rootsAtSizes.add(null); // before the trusted point: proven by the trusted checkpoint
            nextCp++;
        }
        while (nextCp < sizes.size() && sizes.get(nextCp) == startSize) {
            rootsAtSizes.add(tree.root());
            nextCp++;
        }
        for (Future<SegmentResult> pendingResult : pending) {
            SegmentResult r = await(pendingResult);
            results.add(r);
            if (r.first == expectedSeq - 1 && r.count > 0) {
                badSeq = r.first;
                reason = "two different entries claim seq " + r.first + ": an entry was inserted";
                break;
            }
            if (r.first != expectedSeq) {
                badSeq = expectedSeq;
                reason = "seq " + badSeq + " is missing: the next segment starts at seq " + r.first;
                break;
            }
            long firstRead = Math.max(r.first, startSize);
            if (r.count > 0 && r.firstPrevHash != null && !r.firstPrevHash.equals(prevHash)) {
                badSeq = firstRead;
                reason = "the prevHash of seq " + badSeq + " does not match the hash of seq " + (badSeq - 1)
                        + (badSeq == 0 ? " (the genesis value of the origin)" : "")
                        + ": an entry before it was removed, inserted or changed";
                break;
            }
            // leaves up to the segment's first problem; whole blocks by their root unless a checkpoint falls inside
            int good = (int) (r.badSeq >= 0 ? r.badSeq - firstRead : r.count);
            int i = 0;
            while (i < good) {
                long at = firstRead + i;
                long block = (at - r.firstBlockLeaf) / BLOCK;
                if ((at & (BLOCK - 1)) == 0 && i + BLOCK <= good && at >= r.firstBlockLeaf
                        && (block + 1) * Hash.LENGTH <= r.blockRoots.length
                        && (nextCp >= sizes.size() || sizes.get(nextCp) >= at + BLOCK)) {
                    int o = (int) block * Hash.LENGTH;
                    tree.appendSubtree(BLOCK_LEVEL, Hash.wrap(java.util.Arrays.copyOfRange(r.blockRoots, o,
                            o + Hash.LENGTH)));
                    i += BLOCK;
                } else {
                    tree.append(Hash.wrap(java.util.Arrays.copyOfRange(r.leaves, 32 * i, 32 * i + 32)));
                    i++;
                }
                while (nextCp < sizes.size() && sizes.get(nextCp) == tree.size()) {
                    rootsAtSizes.add(tree.root());
                    nextCp++;
                }
            }
            entries = firstRead + good;
            if (r.badSeq >= 0) {
                badSeq = r.badSeq;
                reason = r.reason;
                break;
            }
            if (r.tornBytes > 0) {
                // Not evidence of tampering: a writer is mid-append, or crashed and has not reopened the ledger yet
                // (reopening cuts these bytes). Entries that ended in a newline were all checked.
                warnings.add("the ledger ends with " + r.tornBytes + " byte(s) of an unfinished entry after seq "
                        + (entries - 1) + " (being written now, or torn by a crash); they were not checked");
            }
            prevHash = r.lastHash == null ? prevHash : r.lastHash;
            expectedSeq = r.first + r.count;
        }
        // checkpoints: signatures, roots, order
        final long scannedEntries = entries;
        final long scanBad = badSeq;
        final String scanReason = reason;
        final long scanStart = startSize;
        CheckpointCheck.Result checked = CheckpointCheck.check(checkpoints, meta.origin(), signatureErrors,
                vkey == null ? "" : vkey.name(), false, new CheckpointCheck.Entries() {
                    @Override
                    public long start() {
                        return scanStart;
                    }

                    @Override
                    public long count() {
                        return scannedEntries;
                    }

                    @Override
                    public long badSeq() {
                        return scanBad;
                    }

                    @Override
                    public String reason() {
                        return scanReason;
                    }

                    @Override
                    public Hash rootAt(int index, long size) {
                        return rootsAtSizes.get(index);
                    }

                    @Override
                    public long firstChangedLeaf(long from, long to) {
                        return LedgerVerifier.this.firstChangedLeaf(from, to, results, scanStart);
                    }
                }, warnings);
        if (checked.failure().isPresent()) {
            return checked.failure().get();
        }
        int verified = checked.verified();
        if (witness.isPresent()) {
            Optional<SignedCheckpoint> w = witness.get().latest();
            Hash at = w.isPresent() ? rootAt(results, startSize, w.get().checkpoint().size(), tree) : null;
            Optional<VerificationReport> behind = CheckpointCheck.checkWitness(w, Optional.ofNullable(vkey), entries,
                    verified, at, ws -> firstChangedLeaf(0, ws, results, startSize), warnings);
            if (behind.isPresent()) {
                return behind.get();
            }
        }
        if (entries > lastCheckpointSize(checkpoints) && vkey != null) {
            warnings.add((entries - lastCheckpointSize(checkpoints)) + " entr(ies) after the last checkpoint are"
                    + " protected by the hash chain only until the next checkpoint is signed");
        }
        return new VerificationReport(entries, verified, OptionalLong.empty(), Optional.empty(), warnings,
                Optional.of(tree.root()));
    }

    private static long lastCheckpointSize(List<SignedCheckpoint> cps) {
        return cps.isEmpty() ? 0 : cps.get(cps.size() - 1).checkpoint().size();
    }

    private Hash rootAt(List<SegmentResult> results, long startSize, long size, TreeBuilder full) {
        if (size == full.size()) {
            return full.root();
        }
        if (size < startSize) {
            return null;
        }
        TreeBuilder t = new TreeBuilder();
        long n = 0;
        for (SegmentResult r : results) {
            for (int i = 0; i < r.count && n < size; i++, n++) {
                t.append(Hash.wrap(java.util.Arrays.copyOfRange(r.leaves, 32 * i, 32 * i + 32)));
            }
        }
        return startSize == 0 ? t.root() : null;
    }

    /** The first leaf in [from, to) whose recomputed hash differs from the stored tree's, else {@code from}. */
    private long firstChangedLeaf(long from, long to, List<SegmentResult> results, long startSize) {
        try (FileNodeStore nodes = FileNodeStore.openReadOnly(FileLayout.of(dir).tree())) {
            long seq = startSize;
            for (SegmentResult r : results) {
                for (int i = 0; i < r.count; i++, seq++) {
                    if (seq < from || seq >= to || seq >= nodes.size()) {
                        continue;
                    }
                    Hash stored = nodes.node(0, seq);
                    if (!stored.equals(Hash.wrap(java.util.Arrays.copyOfRange(r.leaves, 32 * i, 32 * i + 32)))) {
                        return seq;
                    }
                }
            }
        } catch (IOException e) {
            return from;
        }
        return from;
    }

    private List<SignedCheckpoint> readCheckpoints() throws IOException {
        CheckpointFile.Contents contents = CheckpointFile.read(FileLayout.of(dir).checkpoints());
        // An unfinished write, cut by the writer when it reopens.
        tornCheckpointBytes = (int) contents.tornBytes();
        return contents.signed();
    }

    private List<long[]> segments() throws IOException {
        List<long[]> out = new ArrayList<>();
        for (long first : FileLayout.of(dir).segmentFirstSeqs()) {
            out.add(new long[] {first});
        }
        return out;
    }

    private Path segmentPath(long first) {
        return FileLayout.of(dir).segment(first);
    }

    private List<Future<SegmentResult>> submitScans(List<long[]> segs, ExecutorService pool,
                                                    List<EntryCodec.KeyEpoch> epochs, long startSize) {
        AtomicLong bytes = new AtomicLong();
        List<Future<SegmentResult>> futures = new ArrayList<>();
        for (int i = 0; i < segs.size(); i++) {
            long first = segs.get(i)[0];
            long nextFirst = i + 1 < segs.size() ? segs.get(i + 1)[0] : Long.MAX_VALUE;
            if (nextFirst <= startSize) {
                continue; // wholly before the trusted checkpoint
            }
            futures.add(pool.submit(() -> scan(first, epochs, startSize, bytes)));
        }
        return futures;
    }

    private static SegmentResult await(Future<SegmentResult> f) throws IOException {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("verification interrupted", e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        }
    }

    private SegmentResult scan(long first, List<EntryCodec.KeyEpoch> epochs, long startSize, AtomicLong bytes)
            throws IOException {
        EntryCodec codec = new EntryCodec(epochs);
        SegmentResult r = new SegmentResult();
        r.first = first;
        byte[] leaves = new byte[32 * 4096];
        int leafBytes = 0;
        long seq = first;
        // hex of the previous entry's hash and of this one's, swapped after each line: no allocation per line
        byte[] prev = new byte[64];
        byte[] hex = new byte[64];
        boolean havePrev = false;
        long reported = 0;
        try (LineReader lr = new LineReader(segmentPath(first), 0)) {
            while (lr.next()) {
                byte[] buf = lr.buffer();
                int s0 = lr.lineStart();
                int e0 = lr.lineEnd();
                LineScanner s = LineScanner.scan(buf, s0, e0);
                if (s.error() != null) {
                    r.badSeq = seq;
                    r.reason = "the entry at seq " + seq + " is not a well-formed ledger line: " + s.error();
                    break;
                }
                if (s.seq() != seq) {
                    if (s.seq() == seq - 1 && havePrev && !s.hashEquals(prev)) {
                        // two different entries claim the same seq: the earlier of them may be the forgery
                        r.badSeq = seq - 1;
                        r.reason = "two different entries claim seq " + (seq - 1) + ": an entry was inserted";
                    } else {
                        r.badSeq = seq;
                        r.reason = s.seq() > seq
                                ? "seq " + seq + " is missing or out of place: the line where it belongs holds seq "
                                        + s.seq() + " (entries removed or reordered)"
                                : "seq " + s.seq() + " appears again where seq " + seq + " belongs (an entry was"
                                        + " inserted or replayed)";
                    }
                    break;
                }
                if (seq < startSize) {
                    s.copyHashTo(prev);
                    havePrev = true;
                    seq++;
                    continue;
                }
                if (r.firstPrevHash == null) {
                    r.firstPrevHash = s.prevHash();
                } else if (!s.prevHashEquals(prev)) {
                    r.badSeq = seq;
                    r.reason = "the prevHash of seq " + seq + " does not match the hash of seq " + (seq - 1)
                            + ": an entry between them was removed, inserted or changed";
                    break;
                }
                byte[] h = codec.hashOfLine(seq, buf, s0, e0, s.hashMemberStart(), s.hashMemberEnd());
                EntryCodec.hexInto(h, hex);
                if (!s.hashEquals(hex)) {
                    r.badSeq = seq;
                    r.reason = "the content of seq " + seq + " does not match its hash: the entry was changed";
                    break;
                }
                if (deep) {
                    try {
                        EventJson.parseLine(new String(buf, s0, e0 - s0, StandardCharsets.UTF_8), EntryCodec.LEDGER_MEMBERS);
                    } catch (RuntimeException ex) {
                        r.badSeq = seq;
                        r.reason = "the entry at seq " + seq + " is not a valid event: " + ex.getMessage();
                        break;
                    }
                }
                if (leafBytes == leaves.length) {
                    leaves = java.util.Arrays.copyOf(leaves, leaves.length * 2);
                }
                System.arraycopy(h, 0, leaves, leafBytes, 32);
                leafBytes += 32;
                byte[] swap = prev;
                prev = hex;
                hex = swap;
                havePrev = true;
                r.count++;
                seq++;
                long done = lr.nextOffset();
                if (done - reported > (1 << 20)) {
                    progress.accept(bytes.addAndGet(done - reported));
                    reported = done;
                }
            }
            if (r.badSeq < 0) {
                r.tornBytes = lr.tornBytes();
            }
        }
        if (first < startSize) {
            // the part before the trusted point was only walked for seq order; count from the trusted size
            r.first = startSize;
        }
        r.leaves = java.util.Arrays.copyOf(leaves, leafBytes);
        if (r.count > 0) {
            r.lastHash = new String(prev, StandardCharsets.US_ASCII);
        }
        long firstRead = r.first; // by now the first leaf of r.leaves
        long firstBlock = (firstRead + BLOCK - 1) / BLOCK * BLOCK;
        long blocks = Math.max(0, (firstRead + r.count - firstBlock) / BLOCK);
        r.firstBlockLeaf = firstBlock;
        r.blockRoots = new byte[(int) blocks * Hash.LENGTH];
        for (int b = 0; b < blocks; b++) {
            int leafOffset = (int) (firstBlock - firstRead + (long) b * BLOCK) * Hash.LENGTH;
            MerkleHashes.subtreeRoot(r.leaves, leafOffset, BLOCK).copyTo(r.blockRoots, b * Hash.LENGTH);
        }
        progress.accept(bytes.addAndGet(Files.size(segmentPath(first)) - reported));
        return r;
    }
}
