package io.vigil.ledger.internal.read;

import io.vigil.ledger.AuditQuery;
import io.vigil.ledger.FileLayout;
import io.vigil.ledger.Hash;
import io.vigil.ledger.LedgerEntry;
import io.vigil.ledger.LedgerReader;
import io.vigil.ledger.QueryPage;
import io.vigil.ledger.StoredCheckpoint;
import io.vigil.ledger.internal.CheckpointFile;
import io.vigil.ledger.internal.Ranges;
import io.vigil.ledger.internal.store.LedgerMetadata;
import io.vigil.ledger.internal.tree.FileNodeStore;
import io.vigil.ledger.merkle.ConsistencyProof;
import io.vigil.ledger.merkle.InclusionProof;
import io.vigil.ledger.merkle.MemoryNodeStore;
import io.vigil.ledger.merkle.ProofException;
import io.vigil.ledger.merkle.Proofs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * A file ledger read beside its writer: no lock, nothing opened for writing, every file opened for one call only,
 * so each call sees the ledger as it is then. Only complete lines count as entries.
 */
public final class FileLedgerReader implements LedgerReader {
    private final FileLayout layout;
    private final LedgerMetadata metadata;
    private final SegmentLines segments;

    private FileLedgerReader(FileLayout layout, LedgerMetadata metadata) {
        this.layout = layout;
        this.metadata = metadata;
        this.segments = new SegmentLines(layout);
    }

    /**
     * A reader of the ledger in {@code dir}.
     *
     * @throws IOException when {@code dir} holds no ledger or its {@code ledger.json} cannot be read
     */
    public static FileLedgerReader open(Path dir) throws IOException {
        FileLayout layout = FileLayout.of(dir);
        if (!Files.isRegularFile(layout.metadata())) {
            throw new IOException(dir + " holds no ledger (it has no " + FileLayout.METADATA + ")");
        }
        return new FileLedgerReader(layout, LedgerMetadata.read(dir));
    }

    @Override
    public String origin() {
        return metadata.origin();
    }

    @Override
    public boolean keyed() {
        return "keyed".equals(metadata.mode());
    }

    @Override
    public long size() throws IOException {
        return segments.size();
    }

    /** A file ledger is never pruned: its older segment files are archived as they are. */
    @Override
    public long start() {
        return 0;
    }

    @Override
    public LedgerEntry entry(long seq) throws IOException {
        Ranges.requireSeq(seq, size());
        try (Stream<LedgerEntry> one = stream(seq, seq + 1)) {
            return one.findFirst().orElseThrow();
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    @Override
    public Stream<LedgerEntry> entries(long fromSeq, long toSeq) throws IOException {
        Ranges.requireRange(fromSeq, toSeq, size());
        return stream(fromSeq, toSeq);
    }

    private Stream<LedgerEntry> stream(long fromSeq, long toSeq) throws IOException {
        SegmentLines.LineIterator lines = segments.lines(fromSeq, toSeq);
        Iterator<LedgerEntry> entries = new Iterator<>() {
            private long seq = fromSeq;

            @Override
            public boolean hasNext() {
                return lines.hasNext();
            }

            @Override
            public LedgerEntry next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                try {
                    return EntryLines.parse(lines.next(), seq++);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        };
        return StreamSupport.stream(Spliterators.spliterator(entries, toSeq - fromSeq,
                Spliterator.ORDERED | Spliterator.NONNULL), false).onClose(() -> {
                    try {
                        lines.close();
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
    }

    /** Reads the entries after the cursor in seq order and keeps those that match; a file has no index to ask. */
    @Override
    public QueryPage query(AuditQuery query) throws IOException {
        long size = size();
        long from = query.cursorSeq().isPresent() ? Math.min(query.cursorSeq().getAsLong() + 1, size) : 0;
        List<LedgerEntry> page = new ArrayList<>();
        boolean more = false;
        try (Stream<LedgerEntry> all = stream(from, size)) {
            Iterator<LedgerEntry> it = all.iterator();
            while (it.hasNext()) {
                LedgerEntry e = it.next();
                if (!query.matches(e.seq(), e.event())) {
                    continue;
                }
                if (page.size() == query.limit()) {
                    more = true;
                    break;
                }
                page.add(e);
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        return QueryPage.of(page, more);
    }

    @Override
    public Hash root(long size) throws IOException {
        Ranges.requireSize(size, size());
        try (FileNodeStore stored = storedTree()) {
            return root(tree(stored, size), size);
        }
    }

    @Override
    public InclusionProof inclusionProof(long seq, long treeSize) throws IOException {
        Ranges.requireInclusion(seq, treeSize, size());
        Hash leaf = Hash.fromHex(entry(seq).hash());
        try (FileNodeStore stored = storedTree()) {
            EntryTree tree = tree(stored, treeSize);
            InclusionProof proof = Proofs.inclusion(tree, seq, treeSize);
            try {
                Proofs.verifyInclusion(proof, leaf, root(tree, treeSize));
                return proof;
            } catch (ProofException e) {
                return Proofs.inclusion(tree.fromLeaves(), seq, treeSize);
            }
        }
    }

    @Override
    public ConsistencyProof consistencyProof(long size1, long size2) throws IOException {
        Ranges.requireConsistency(size1, size2, size());
        try (FileNodeStore stored = storedTree()) {
            EntryTree tree = tree(stored, size2);
            ConsistencyProof proof = Proofs.consistency(tree, size1, size2);
            try {
                Proofs.verifyConsistency(proof, root(tree, size1), root(tree, size2));
                return proof;
            } catch (ProofException e) {
                return Proofs.consistency(tree.fromLeaves(), size1, size2);
            }
        }
    }

    /** The root of {@code tree} at {@code size}, recomputed from the leaves when a signed checkpoint disagrees. */
    private Hash root(EntryTree tree, long size) throws IOException {
        Hash root = Proofs.root(tree, size);
        Optional<StoredCheckpoint> signed = checkpointOfSize(size);
        return signed.isPresent() && !signed.get().checkpoint().checkpoint().root().equals(root)
                ? Proofs.root(tree.fromLeaves(), size) : root;
    }

    private Optional<StoredCheckpoint> checkpointOfSize(long size) throws IOException {
        return checkpoints().stream().filter(c -> c.size() == size).reduce((a, b) -> b);
    }

    @Override
    public List<StoredCheckpoint> checkpoints() throws IOException {
        List<StoredCheckpoint> out = new ArrayList<>();
        for (CheckpointFile.Stored s : CheckpointFile.read(layout.checkpoints()).checkpoints()) {
            Optional<Instant> time;
            try {
                time = s.time().map(Instant::parse);
            } catch (DateTimeParseException e) {
                throw new IOException(layout.checkpoints() + ": the time of the checkpoint of size "
                        + s.checkpoint().checkpoint().size() + " is not an instant: " + e.getMessage(), e);
            }
            out.add(new StoredCheckpoint(s.checkpoint(), time));
        }
        return out;
    }

    /** The writer's tree as it is now, or an empty one when it has written none yet. */
    private FileNodeStore storedTree() throws IOException {
        return Files.isDirectory(layout.tree()) ? FileNodeStore.openReadOnly(layout.tree()) : null;
    }

    /** The tree of the first {@code size} entries: the stored nodes and the hashes of entries the tree lacks. */
    private EntryTree tree(FileNodeStore stored, long size) throws IOException {
        long have = stored == null ? 0 : Math.min(stored.size(), size);
        List<Hash> later = new ArrayList<>();
        if (have < size) {
            try (Stream<LedgerEntry> rest = stream(have, size)) {
                rest.forEach(e -> later.add(Hash.fromHex(e.hash())));
            } catch (UncheckedIOException e) {
                throw e.getCause();
            }
        }
        return new EntryTree(stored == null ? new MemoryNodeStore() : stored, later, size, true);
    }

    /** Nothing to release: every call opens and closes its own files. */
    @Override
    public void close() {
        // files are opened per call
    }
}
