package io.vigil.ledger;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The files of a file ledger's directory, a documented contract ({@code docs/ledger-format.md}, "A ledger
 * directory") that the store, the verifier, the command line and other readers share, so that each name is written
 * once:
 * <ul>
 *   <li>{@code ledger.json}: the metadata (origin, format, key epochs);</li>
 *   <li>{@code segments/<first seq as 20 digits>.jsonl}: the entries, one stored line each, append-only;</li>
 *   <li>{@code tree/}: the persisted Merkle tree;</li>
 *   <li>{@code index.bin}: the sparse index from seq to segment offset;</li>
 *   <li>{@code checkpoints.jsonl}: the signed checkpoints, one per line.</li>
 * </ul>
 *
 * @param dir the ledger directory
 */
public record FileLayout(Path dir) {
    /** The metadata file's name. */
    public static final String METADATA = "ledger.json";
    /** The segments directory's name. */
    public static final String SEGMENTS = "segments";
    /** The Merkle tree directory's name. */
    public static final String TREE = "tree";
    /** The sparse index file's name. */
    public static final String INDEX = "index.bin";
    /** The checkpoints file's name. */
    public static final String CHECKPOINTS = "checkpoints.jsonl";
    /** Every name above: what a directory holding a ledger contains. */
    public static final List<String> NAMES = List.of(METADATA, SEGMENTS, TREE, INDEX, CHECKPOINTS);

    private static final String SEGMENT_SUFFIX = ".jsonl";
    private static final Pattern SEGMENT_NAME = Pattern.compile("[0-9]+\\.jsonl");

    public FileLayout {
        Objects.requireNonNull(dir, "dir");
    }

    /** The layout of the ledger in {@code dir}. */
    public static FileLayout of(Path dir) {
        return new FileLayout(dir);
    }

    public Path metadata() {
        return dir.resolve(METADATA);
    }

    public Path segments() {
        return dir.resolve(SEGMENTS);
    }

    public Path tree() {
        return dir.resolve(TREE);
    }

    public Path index() {
        return dir.resolve(INDEX);
    }

    public Path checkpoints() {
        return dir.resolve(CHECKPOINTS);
    }

    /** The segment file whose first entry has seq {@code firstSeq}. */
    public Path segment(long firstSeq) {
        if (firstSeq < 0) {
            throw new IllegalArgumentException("a segment's first seq must not be negative, was " + firstSeq);
        }
        return segments().resolve(String.format("%020d%s", firstSeq, SEGMENT_SUFFIX));
    }

    /**
     * The first seqs of the segment files, in seq order; empty when there is no segments directory.
     *
     * @throws IOException when the directory cannot be listed, or holds a {@code .jsonl} file that is not named as a
     *                     segment
     */
    public List<Long> segmentFirstSeqs() throws IOException {
        List<Long> out = new ArrayList<>();
        Path segDir = segments();
        if (!Files.isDirectory(segDir)) {
            return out;
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(segDir, "*" + SEGMENT_SUFFIX)) {
            for (Path p : ds) {
                String name = p.getFileName().toString();
                if (!SEGMENT_NAME.matcher(name).matches()) {
                    throw new IOException("unexpected file in " + segDir + ": " + name + " (segment files are named"
                            + " by their first seq, e.g. 00000000000000000000.jsonl)");
                }
                out.add(Long.parseLong(name.substring(0, name.length() - SEGMENT_SUFFIX.length())));
            }
        }
        out.sort(null);
        return out;
    }
}
