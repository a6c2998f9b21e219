package io.vigil.ledger;

import io.vigil.ledger.checkpoint.CheckpointException;
import io.vigil.ledger.checkpoint.SignedCheckpoint;
import io.vigil.ledger.checkpoint.VerifierKey;
import io.vigil.ledger.checkpoint.Witness;
import io.vigil.ledger.internal.CheckpointFile;
import io.vigil.ledger.internal.EntryCodec;
import io.vigil.ledger.internal.LineReader;
import io.vigil.ledger.internal.store.LedgerMetadata;
import io.vigil.ledger.internal.tree.FileNodeStore;
import io.vigil.ledger.internal.verify.ChainCheck;
import io.vigil.ledger.internal.verify.CheckpointCheck;
import io.vigil.ledger.merkle.MerkleHashes;
import io.vigil.ledger.merkle.NodeSink;
import io.vigil.ledger.merkle.ProofException;
import io.vigil.ledger.merkle.Proofs;
import io.vigil.ledger.merkle.TreeBuilder;
import io.vigil.redact.HmacKey;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
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
    private List<HmacKey> hmacKeys = List.of();
    private Optional<SignedCheckpoint> trusted = Optional.empty();
    private boolean deep;
    private int threads = Runtime.getRuntime().availableProcessors();
    private LongConsumer progress = n -> { };

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
    public LedgerVerifier hmacKeys(List<HmacKey> value) {
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
        for (long first : FileLayout.of(dir).segmentFirstSeqs()) {
            total += Files.size(segmentPath(first));
        }
        return total;
    }

    /** Leaves per block whose subtree root a scanning thread computes, so that the merge folds one hash, not 64. */
    private static final int BLOCK_LEVEL = 6;
    private static final int BLOCK = 1 << BLOCK_LEVEL;

    /** One segment's findings. */
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

    /** What one run of {@link #verify()} works with; a new one per run, so that no run sees another's state. */
    private record Run(LedgerMetadata meta, List<EntryCodec.KeyEpoch> epochs, Optional<VerifierKey> key,
                       List<SignedCheckpoint> checkpoints, List<String> warnings) {
    }

    /** Where the scan of the entries begins: the start of the ledger, or a trusted checkpoint's size. */
    private record Start(long size, TreeBuilder tree, String prevHash) {
    }

    /** Runs the verification. Each call starts afresh: nothing carries over from an earlier one. */
    public VerificationReport verify() throws IOException {
        LedgerMetadata meta = LedgerMetadata.read(dir);
        List<String> warnings = new ArrayList<>();
        List<EntryCodec.KeyEpoch> epochs = new ArrayList<>();
        for (LedgerMetadata.Epoch e : meta.epochs()) {
            if (e.epoch() >= hmacKeys.size()) {
                throw new IOException("ledger " + dir + " is keyed; HMAC key " + e.epoch() + " is needed to verify it");
            }
            epochs.add(new EntryCodec.KeyEpoch(e.epoch(), e.firstSeq(), hmacKeys.get(e.epoch()).bytes()));
        }
        Optional<VerifierKey> vkey;
        if (key.isPresent()) {
            vkey = key;
        } else if (meta.publicKey().isPresent()) {
            vkey = Optional.of(VerifierKey.parse(meta.publicKey().get()));
            warnings.add("no key given: checkpoints were checked against the key named in the ledger itself, which"
                    + " proves the ledger is self-consistent, not who wrote it; pass the signer's public key");
        } else {
            vkey = Optional.empty();
            warnings.add("the ledger has no signing key: only the hash chain was checked; a rewrite that re-chains"
                    + " every entry cannot be detected without signed checkpoints");
        }
        CheckpointFile.Contents contents = CheckpointFile.read(FileLayout.of(dir).checkpoints());
        if (contents.tornBytes() > 0) {
            // An unfinished write, cut by the writer when it reopens.
            warnings.add("checkpoints.jsonl ends with " + contents.tornBytes() + " byte(s) of an unfinished checkpoint;"
                    + " it was ignored");
        }
        Run run = new Run(meta, epochs, vkey, contents.signed(), warnings);
        Start start = new Start(0, new TreeBuilder(), EntryCodec.genesis(meta.origin()));
        if (trusted.isPresent()) {
            SignedCheckpoint t = trusted.get();
            if (vkey.isPresent()) {
                try {
                    t.verify(vkey.get());
                } catch (CheckpointException e) {
                    return CheckpointCheck.fail(0, 0, 0, "the trusted checkpoint's signature is not valid: " + e.getMessage(), warnings);
                }
            }
            long startSize = t.checkpoint().size();
            try (FileNodeStore nodes = FileNodeStore.openReadOnly(FileLayout.of(dir).tree())) {
                if (nodes.size() < startSize || !Proofs.root(nodes, startSize).equals(t.checkpoint().root())) {
                    return CheckpointCheck.fail(0, 0, 0, "the stored tree does not reproduce the trusted checkpoint's root at size "
                            + startSize + "; run a full verification", warnings);
                }
                String prevHash = start.prevHash();
                if (startSize > 0) {
                    Hash lastLeaf = nodes.node(0, startSize - 1);
                    try {
                        Proofs.verifyInclusion(Proofs.inclusion(nodes, startSize - 1, startSize), lastLeaf,
                                t.checkpoint().root());
                    } catch (ProofException e) {
                        return CheckpointCheck.fail(startSize - 1, 0, 0, "the stored hash of seq " + (startSize - 1)
                                + " is not in the trusted checkpoint", warnings);
                    }
                    prevHash = lastLeaf.hex();
                }
                start = new Start(startSize, TreeBuilder.restore(nodes, startSize, NodeSink.NONE), prevHash);
            }
        }

        List<Long> segs = FileLayout.of(dir).segmentFirstSeqs();
        // Segments are hashed in parallel while this thread folds finished ones, in order, into the tree.
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(threads, segs.size())), r -> {
            Thread t = new Thread(r, "vigil-verify");
            t.setDaemon(true);
            return t;
        });
        try {
            return verifySegments(run, start, segs, pool);
        } finally {
            pool.shutdownNow();
        }
    }

    private VerificationReport verifySegments(Run run, Start start, List<Long> segs, ExecutorService pool)
            throws IOException {
        long startSize = start.size();
        TreeBuilder tree = start.tree();
        List<SignedCheckpoint> checkpoints = run.checkpoints();
        List<String> warnings = run.warnings();
        List<Future<SegmentResult>> pending = submitScans(segs, pool, run.epochs(), startSize);
        // Signatures need no entries: check them while the segments are scanned rather than after.
        String[] signatureErrors = CheckpointCheck.signatureErrors(checkpoints, run.key(), startSize);
        List<SegmentResult> results = new ArrayList<>();
        // merge in order: contiguity across segments, chain links across boundaries
        long expectedSeq = trusted.isPresent() ? startSize : segs.isEmpty() ? 0 : segs.get(0);
        if (trusted.isEmpty() && expectedSeq != 0) {
            return CheckpointCheck.fail(0, 0, 0, ChainCheck.outOfPlace(0, expectedSeq), warnings);
        }
        long entries = startSize;
        long badSeq = -1;
        String reason = null;
        String prevHash = start.prevHash();
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
                reason = ChainCheck.claimedTwice(r.first);
                break;
            }
            if (r.first != expectedSeq) {
                badSeq = expectedSeq;
                reason = ChainCheck.outOfPlace(expectedSeq, r.first);
                break;
            }
            long firstRead = Math.max(r.first, startSize);
            // the first entry that got as far as its link (even if its hash then failed): links come first, as in a segment
            if (r.firstPrevHash != null && !r.firstPrevHash.equals(prevHash)) {
                badSeq = firstRead;
                reason = ChainCheck.brokenLink(badSeq, ChainCheck.genesisLink(badSeq));
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
                    tree.appendSubtree(BLOCK_LEVEL, Hash.wrap(Arrays.copyOfRange(r.blockRoots, o, o + Hash.LENGTH)));
                    i += BLOCK;
                } else {
                    tree.append(Hash.wrap(Arrays.copyOfRange(r.leaves, 32 * i, 32 * i + 32)));
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
        VerificationReport report = CheckpointCheck.conclude(checkpoints, run.meta().origin(), signatureErrors,
                run.key(), false, new SegmentScan(startSize, entries, badSeq, reason, rootsAtSizes, results, tree),
                CheckpointCheck.Witnessed.of(witness), warnings);
        long unsigned = entries - lastCheckpointSize(checkpoints);
        if (report.intact() && unsigned > 0 && run.key().isPresent()) {
            List<String> more = new ArrayList<>(report.warnings());
            more.add(unsigned + " entr(ies) after the last checkpoint are protected by the hash chain only until the"
                    + " next checkpoint is signed");
            return new VerificationReport(report.entries(), report.checkpointsVerified(), report.firstBadSeq(),
                    report.reason(), more, report.root());
        }
        return report;
    }

    /** What the merge of the segment scans found, as the checkpoint checks read it. */
    private final class SegmentScan implements CheckpointCheck.Entries {
        private final long start;
        private final long count;
        private final long badSeq;
        private final String reason;
        private final List<Hash> rootsAtSizes;
        private final List<SegmentResult> results;
        private final TreeBuilder tree;

        SegmentScan(long start, long count, long badSeq, String reason, List<Hash> rootsAtSizes,
                    List<SegmentResult> results, TreeBuilder tree) {
            this.start = start;
            this.count = count;
            this.badSeq = badSeq;
            this.reason = reason;
            this.rootsAtSizes = rootsAtSizes;
            this.results = results;
            this.tree = tree;
        }

        @Override
        public long start() {
            return start;
        }

        @Override
        public long count() {
            return count;
        }

        @Override
        public long badSeq() {
            return badSeq;
        }

        @Override
        public String reason() {
            return reason;
        }

        @Override
        public Hash rootAt(int index, long size) {
            return rootsAtSizes.get(index);
        }

        @Override
        public long firstChangedLeaf(long from, long to) {
            return LedgerVerifier.this.firstChangedLeaf(from, to, results, start);
        }

        @Override
        public Hash rootAtSize(long size) {
            return LedgerVerifier.rootAt(results, start, size, tree);
        }

        @Override
        public Hash root() {
            return tree.root();
        }
    }

    private static long lastCheckpointSize(List<SignedCheckpoint> cps) {
        return cps.isEmpty() ? 0 : cps.get(cps.size() - 1).checkpoint().size();
    }

    private static Hash rootAt(List<SegmentResult> results, long startSize, long size, TreeBuilder full) {
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
                t.append(Hash.wrap(Arrays.copyOfRange(r.leaves, 32 * i, 32 * i + 32)));
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
                    if (!stored.equals(Hash.wrap(Arrays.copyOfRange(r.leaves, 32 * i, 32 * i + 32)))) {
                        return seq;
                    }
                }
            }
        } catch (IOException e) {
            return from;
        }
        return from;
    }

    private Path segmentPath(long first) {
        return FileLayout.of(dir).segment(first);
    }

    private List<Future<SegmentResult>> submitScans(List<Long> segs, ExecutorService pool,
                                                    List<EntryCodec.KeyEpoch> epochs, long startSize) {
        AtomicLong bytes = new AtomicLong();
        List<Future<SegmentResult>> futures = new ArrayList<>();
        for (int i = 0; i < segs.size(); i++) {
            long first = segs.get(i);
            long nextFirst = i + 1 < segs.size() ? segs.get(i + 1) : Long.MAX_VALUE;
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
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        }
    }

    private SegmentResult scan(long first, List<EntryCodec.KeyEpoch> epochs, long startSize, AtomicLong bytes)
            throws IOException {
        ChainCheck check = ChainCheck.unlinked(new EntryCodec(epochs), first, startSize).parseEvents(deep);
        SegmentResult r = new SegmentResult();
        r.first = first;
        byte[] leaves = new byte[32 * 4096];
        int leafBytes = 0;
        long reported = 0;
        try (LineReader lr = new LineReader(segmentPath(first), 0)) {
            while (lr.next()) {
                if (!check.accept(lr.buffer(), lr.lineStart(), lr.lineEnd())) {
                    r.badSeq = check.badSeq();
                    r.reason = check.reason().orElseThrow();
                    break;
                }
                byte[] h = check.leaf();
                if (h == null) {
                    continue; // before the trusted point: walked for seq order only
                }
                if (leafBytes == leaves.length) {
                    leaves = Arrays.copyOf(leaves, leaves.length * 2);
                }
                System.arraycopy(h, 0, leaves, leafBytes, 32);
                leafBytes += 32;
                r.count++;
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
        r.firstPrevHash = check.firstPrevHash().orElse(null);
        if (first < startSize) {
            // the part before the trusted point was only walked for seq order; count from the trusted size
            r.first = startSize;
        }
        r.leaves = Arrays.copyOf(leaves, leafBytes);
        if (r.count > 0) {
            r.lastHash = new String(check.hashHex(), StandardCharsets.US_ASCII);
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
