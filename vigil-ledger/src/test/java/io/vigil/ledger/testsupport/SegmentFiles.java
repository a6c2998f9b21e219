package io.vigil.ledger.testsupport;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The entry lines of a file ledger ({@code segments/<first seq, 20 digits>.jsonl}), loaded into memory to be read
 * or edited the way someone with write access to the directory would: line by line, without touching the derived
 * files ({@code tree/}, {@code index.bin}) or the checkpoints. Positions are physical: the entry "at seq n" is the
 * line at index {@code n - first} of the segment whose name is the largest first seq not above {@code n}.
 * Edits are kept in memory until {@link #save()}.
 */
public final class SegmentFiles {
    private final Path segmentsDir;
    private final List<Segment> segments = new ArrayList<>();

    private static final class Segment {
        final long first;
        final Path path;
        final List<String> lines;
        boolean dirty;
        boolean deleted;

        Segment(long first, Path path, List<String> lines) {
            this.first = first;
            this.path = path;
            this.lines = lines;
        }
    }

    private SegmentFiles(Path segmentsDir) {
        this.segmentsDir = segmentsDir;
    }

    /** Loads every segment of the ledger in {@code ledgerDir}. */
    public static SegmentFiles load(Path ledgerDir) throws IOException {
        SegmentFiles f = new SegmentFiles(ledgerDir.resolve("segments"));
        for (Path p : segmentPaths(ledgerDir)) {
            f.segments.add(new Segment(firstSeqOf(p), p,
                    new ArrayList<>(List.of(Files.readString(p, StandardCharsets.UTF_8).split("\n", -1)))));
        }
        for (Segment s : f.segments) {
            // split leaves one empty string after the final newline (and one for an empty file)
            if (!s.lines.isEmpty() && s.lines.get(s.lines.size() - 1).isEmpty()) {
                s.lines.remove(s.lines.size() - 1);
            }
        }
        return f;
    }

    /** The segment files of a ledger, in seq order. */
    public static List<Path> segmentPaths(Path ledgerDir) throws IOException {
        Path dir = ledgerDir.resolve("segments");
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".jsonl"))
                    .sorted((a, b) -> Long.compare(firstSeqOf(a), firstSeqOf(b))).toList();
        }
    }

    /** The newest segment file (where appends go). */
    public static Path lastSegment(Path ledgerDir) throws IOException {
        List<Path> all = segmentPaths(ledgerDir);
        if (all.isEmpty()) {
            throw new IllegalStateException("no segment in " + ledgerDir);
        }
        return all.get(all.size() - 1);
    }

    static long firstSeqOf(Path segment) {
        String name = segment.getFileName().toString();
        return Long.parseLong(name.substring(0, name.length() - ".jsonl".length()));
    }

    /** The first seq of every segment, in order. */
    public List<Long> firstSeqs() {
        return segments.stream().filter(s -> !s.deleted).map(s -> s.first).toList();
    }

    /** Every line of every segment, in order. */
    public List<String> lines() {
        List<String> out = new ArrayList<>();
        for (Segment s : segments) {
            if (!s.deleted) {
                out.addAll(s.lines);
            }
        }
        return out;
    }

    public String line(long seq) {
        Segment s = segmentOf(seq);
        return s.lines.get(index(s, seq));
    }

    public void setLine(long seq, String line) {
        Segment s = segmentOf(seq);
        s.lines.set(index(s, seq), line);
        s.dirty = true;
    }

    public void remove(long seq) {
        Segment s = segmentOf(seq);
        s.lines.remove(index(s, seq));
        s.dirty = true;
    }

    /** Puts {@code line} right after the entry at {@code seq}, in the same segment file. */
    public void insertAfter(long seq, String line) {
        Segment s = segmentOf(seq);
        s.lines.add(index(s, seq) + 1, line);
        s.dirty = true;
    }

    /**
     * Removes the entries from {@code seq} on: later segment files are deleted, the segment holding {@code seq} is
     * cut (and deleted too when that empties it, unless it is the first segment).
     */
    public void cutFrom(long seq) {
        Segment at = segmentOf(seq);
        int idx = index(at, seq);
        at.lines.subList(idx, at.lines.size()).clear();
        at.dirty = true;
        boolean after = false;
        for (Segment s : segments) {
            if (s == at) {
                after = true;
                at.deleted = at.lines.isEmpty() && at.first > 0;
            } else if (after) {
                s.deleted = true;
            }
        }
    }

    /** Writes every changed segment back and deletes the removed ones. */
    public void save() throws IOException {
        for (Segment s : segments) {
            if (s.deleted) {
                Files.deleteIfExists(s.path);
            } else if (s.dirty) {
                StringBuilder b = new StringBuilder();
                for (String l : s.lines) {
                    b.append(l).append('\n');
                }
                Files.writeString(s.path, b, StandardCharsets.UTF_8);
                s.dirty = false;
            }
        }
    }

    private Segment segmentOf(long seq) {
        Segment found = null;
        for (Segment s : segments) {
            if (!s.deleted && s.first <= seq) {
                found = s;
            }
        }
        if (found == null || seq - found.first >= found.lines.size()) {
            throw new IllegalArgumentException("no entry at seq " + seq + " in " + segmentsDir);
        }
        return found;
    }

    private static int index(Segment s, long seq) {
        return Math.toIntExact(seq - s.first);
    }
}
