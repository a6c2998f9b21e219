package io.vigil.ledger;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.internal.PrivateFiles;
import io.vigil.ledger.checkpoint.SignedCheckpoint;
import io.vigil.ledger.internal.LineScanner;
import io.vigil.ledger.merkle.InclusionProof;
import io.vigil.ledger.merkle.MerkleHashes;
import io.vigil.ledger.merkle.TreeBuilder;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * An export of a ledger's oldest entries into a directory that proves itself, from any store's {@link LedgerReader}.
 *
 * <p>An export of seqs {@code [from, to)} ({@code from} is {@link LedgerReader#start()}: 0, or where the ledger was
 * last pruned) holds {@value #ENTRIES} (the stored lines) and {@value #MANIFEST}: the Merkle frontier at {@code from},
 * the hash the first entry chains to with its inclusion proof, the signed checkpoint of the smallest size
 * {@code N >= to}, and a consistency proof from {@code to} to {@code N}. Checking it needs only the directory and the
 * signer's public key: the chain and the root at {@code to} are recomputed from the frontier and the entries, and
 * that root is proven a prefix of the signed one.
 */
public final class LedgerArchive {
    /** The exported entries' file. */
    public static final String ENTRIES = "entries.jsonl";
    /** The manifest's file. */
    public static final String MANIFEST = "archive.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private LedgerArchive() {
    }

    /**
     * Exports the entries from the ledger's start up to (not including) {@code to} into {@code dir} (created 0700,
     * must not hold an export already).
     *
     * @return the number of entries exported
     * @throws IOException when no signed checkpoint covers {@code to - 1} yet, {@code to} is not within the ledger, or
     *                     the store or the files fail
     */
    public static long export(LedgerReader reader, long to, Path dir) throws IOException {
        if (Files.exists(dir.resolve(MANIFEST))) {
            throw new IOException(dir + " already holds an export (" + MANIFEST + ")");
        }
        long from = reader.start();
        long size = reader.size();
        if (to <= from || to > size) {
            throw new IOException("cannot export up to seq " + to + ": the ledger holds seqs " + from + ".."
                    + (size - 1));
        }
        Optional<SignedCheckpoint> covering = reader.checkpoints().stream().map(StoredCheckpoint::checkpoint)
                .filter(c -> c.checkpoint().size() >= to)
                .min((a, b) -> Long.compare(a.checkpoint().size(), b.checkpoint().size()));
        if (covering.isEmpty()) {
            throw new IOException("no signed checkpoint covers seq " + (to - 1) + " yet; export only entries a"
                    + " checkpoint covers (wait for the next one, or sign one with the writer)");
        }
        SignedCheckpoint checkpoint = covering.get();
        long n = checkpoint.checkpoint().size();
        String firstPrevHash = prevHashOf(reader.entry(from));
        PrivateFiles.directory(dir);
        long count = 0;
        try (BufferedWriter out = Files.newBufferedWriter(PrivateFiles.file(dir.resolve(ENTRIES)),
                StandardCharsets.UTF_8); Stream<LedgerEntry> entries = reader.entries(from, to)) {
            Iterator<LedgerEntry> it = entries.iterator();
            while (it.hasNext()) {
                out.write(it.next().line());
                out.write('\n');
                count++;
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        ObjectNode m = JSON.createObjectNode();
        m.put("format", 1);
        m.put("origin", reader.origin());
        m.put("from", from);
        m.put("to", to);
        m.put("firstPrevHash", firstPrevHash);
        ArrayNode frontier = m.putArray("frontier");
        if (from > 0) {
            for (TreeBuilder.FrontierNode f : frontier(reader.inclusionProof(from - 1, from),
                    Hash.fromHex(firstPrevHash))) {
                frontier.addObject().put("level", f.level()).put("hash", f.hash().hex());
            }
            m.set("firstPrevHashInclusion", hashes(reader.inclusionProof(from - 1, n).path()));
        }
        m.put("checkpoint", checkpoint.encode());
        m.set("consistency", hashes(reader.consistencyProof(to, n).path()));
        Path tmp = PrivateFiles.file(dir.resolve(MANIFEST + ".tmp"));
        Files.writeString(tmp, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(m) + "\n");
        PrivateFiles.atomicReplace(tmp, dir.resolve(MANIFEST));
        return count;
    }

    private static String prevHashOf(LedgerEntry entry) throws IOException {
        byte[] line = entry.line().getBytes(StandardCharsets.UTF_8);
        LineScanner s = LineScanner.scan(line, 0, line.length);
        if (s.error() != null) {
            throw new IOException("the entry at seq " + entry.seq() + " is not a well-formed ledger line: " + s.error());
        }
        return s.prevHash();
    }

    /**
     * The frontier of the tree of {@code n} leaves (one complete subtree per set bit of {@code n}, largest first),
     * from the inclusion proof of its last leaf: every hash on that path is a left sibling. The first
     * {@code b} of them ({@code b} the lowest set bit) build, with the leaf, the smallest subtree; each later one is
     * the subtree of the next set bit up.
     */
    static List<TreeBuilder.FrontierNode> frontier(InclusionProof lastLeaf, Hash leaf) {
        long n = lastLeaf.treeSize();
        int lowest = Long.numberOfTrailingZeros(n);
        List<Hash> path = lastLeaf.path();
        Hash r = leaf;
        for (int i = 0; i < lowest; i++) {
            r = MerkleHashes.nodeHash(path.get(i), r);
        }
        List<TreeBuilder.FrontierNode> out = new ArrayList<>();
        out.add(new TreeBuilder.FrontierNode(lowest, r));
        int at = lowest;
        for (int level = lowest + 1; level < 63; level++) {
            if ((n & (1L << level)) != 0) {
                out.add(0, new TreeBuilder.FrontierNode(level, path.get(at++)));
            }
        }
        return out;
    }

    private static ArrayNode hashes(List<Hash> path) {
        ArrayNode a = JSON.createArrayNode();
        for (Hash h : path) {
            a.add(h.hex());
        }
        return a;
    }
}
