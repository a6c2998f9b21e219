package io.vigil.cli;

import io.vigil.ledger.internal.CheckpointFile;
import io.vigil.ledger.FileLayout;
import io.vigil.ledger.checkpoint.SignedCheckpoint;
import io.vigil.ledger.internal.LineScanner;
import io.vigil.ledger.internal.store.LedgerMetadata;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;

/**
 * Read-only access to the files of a file ledger ({@code ledger.json}, {@code segments/*.jsonl},
 * {@code checkpoints.jsonl}). Nothing here opens a file for writing or takes a lock, so it is safe to point at a
 * ledger that a running application is appending to: only complete lines (ending in a newline) are ever returned,
 * so an entry being written is seen once it is whole.
 */
final class LedgerFiles {
    static final String METADATA = FileLayout.METADATA;
    private static final int INDEX_EVERY = 1024;
    private static final int INDEX_RECORD = 24;

    /** One segment file: the entries from {@code firstSeq} on. */
    record Segment(long firstSeq, Path path) {
    }

    /** One stored checkpoint and the time the writer recorded with it, if any. */
    record StoredCheckpoint(SignedCheckpoint checkpoint, Optional<String> time) {
        long size() {
            return checkpoint.checkpoint().size();
        }
    }

    /** Receives lines in ledger order; returns false to stop. */
    @FunctionalInterface
    interface LineVisitor {
        boolean visit(String line) throws IOException;
    }

    private final Path dir;

    LedgerFiles(Path dir) {
        this.dir = dir;
    }

    Path dir() {
        return dir;
    }

    /**
     * The ledger named by a command-line argument, checked to be a file ledger directory.
     *
     * @throws ParameterException (exit 2) when the argument names no ledger, or a database (not supported yet)
     */
    static LedgerFiles fromArgument(CommandLine cl, String arg) {
        if (arg.regionMatches(true, 0, "jdbc:", 0, 5)) {
            throw new ParameterException(cl, "ledgers in a database (" + arg.substring(0, Math.min(arg.length(), 16))
                    + "...) are not supported by this command yet; give the directory of a file ledger");
        }
        Path dir;
        try {
            dir = Path.of(arg);
        } catch (InvalidPathException e) {
            throw new ParameterException(cl, "'" + arg + "' is not a valid path: " + e.getMessage());
        }
        if (!Files.exists(dir)) {
            throw new ParameterException(cl, "ledger directory " + dir + " does not exist");
        }
        if (!Files.isDirectory(dir)) {
            throw new ParameterException(cl, dir + " is not a directory; give the directory of a file ledger");
        }
        if (!isLedger(dir)) {
            throw new ParameterException(cl, dir + " is not a ledger directory (it has no " + METADATA
                    + "); 'vigil demo --out " + dir + "' writes a demo ledger there");
        }
        return new LedgerFiles(dir);
    }

    /** The ledger's {@code ledger.json}. */
    LedgerMetadata metadata() throws IOException {
        return LedgerMetadata.read(dir);
    }

    /** Whether {@code dir} holds a file ledger (its {@code ledger.json}). */
    static boolean isLedger(Path dir) {
        return Files.isRegularFile(dir.resolve(METADATA));
    }

    /** The segment files, oldest first. */
    List<Segment> segments() throws IOException {
        FileLayout layout = FileLayout.of(dir);
        List<Segment> out = new ArrayList<>();
        for (long first : layout.segmentFirstSeqs()) {
            out.add(new Segment(first, layout.segment(first)));
        }
        return out;
    }

    /** Total bytes of the segment files. */
    long segmentBytes() throws IOException {
        long total = 0;
        for (Segment s : segments()) {
            total += Files.size(s.path());
        }
        return total;
    }

    /** Visits every complete line of every segment, in order, until the visitor returns false. */
    void forEachLine(LineVisitor visitor) throws IOException {
        for (Segment s : segments()) {
            try (LineCursor c = new LineCursor(s.path(), 0)) {
                String line;
                while ((line = c.next()) != null) {
                    if (!visitor.visit(line)) {
                        return;
                    }
                }
            }
        }
    }

    /** The last {@code n} complete lines of the ledger, oldest first. */
    List<String> lastLines(int n) throws IOException {
        return lastLines(segments(), n).lines();
    }

    /** Lines read from the end of a file: the last complete lines, oldest first, and where the last one ends. */
    record Tail(List<String> lines, long end) {
    }

    /**
     * The last {@code n} complete lines of the given segments, oldest first; {@code end} is where the newest
     * segment's last complete line ends (0 when it has none).
     */
    static Tail lastLines(List<Segment> segs, int n) throws IOException {
        Deque<String> out = new ArrayDeque<>();
        long end = 0;
        for (int i = segs.size() - 1; i >= 0; i--) {
            Tail t = lastLinesOf(segs.get(i).path(), n - out.size());
            if (i == segs.size() - 1) {
                end = t.end();
            }
            for (int j = t.lines().size() - 1; j >= 0; j--) {
                out.addFirst(t.lines().get(j));
            }
            if (out.size() >= n) {
                break;
            }
        }
        return new Tail(new ArrayList<>(out), end);
    }

    /** The last {@code n} complete lines of one file, read backwards from its end, and where they end. */
    static Tail lastLinesOf(Path file, int n) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long pos = ch.size();
            long end = -1;
            long start = 0;
            int newlines = 0;
            ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
            outer:
            while (pos > 0) {
                int len = (int) Math.min(buf.capacity(), pos);
                pos -= len;
                buf.clear().limit(len);
                readFully(ch, buf, pos);
                for (int i = len - 1; i >= 0; i--) {
                    if (buf.get(i) == '\n') {
                        if (end < 0) {
                            end = pos + i + 1; // the end of the last complete line; anything after is unfinished
                            if (n <= 0) {
                                break outer;
                            }
                            continue;
                        }
                        if (++newlines == n) {
                            start = pos + i + 1;
                            break outer;
                        }
                    }
                }
            }
            if (end < 0) {
                return new Tail(List.of(), 0);
            }
            if (n <= 0) {
                return new Tail(List.of(), end);
            }
            ByteBuffer text = ByteBuffer.allocate((int) (end - start));
            readFully(ch, text, start);
            String s = new String(text.array(), 0, text.limit() - 1, StandardCharsets.UTF_8);
            return new Tail(List.of(s.split("\n", -1)), end);
        }
    }

    /** The stored line of {@code seq}, if the ledger has it. */
    Optional<String> line(long seq) throws IOException {
        List<Segment> segs = segments();
        Segment seg = null;
        for (Segment s : segs) {
            if (s.firstSeq() <= seq) {
                seg = s;
            }
        }
        if (seg == null || seq < 0) {
            return Optional.empty();
        }
        long[] point = indexPoint(seq, seg.firstSeq());
        if (point != null) {
            Optional<String> found = scanFor(seg, seq, point[0], point[1]);
            if (found.isPresent()) {
                return found;
            }
        }
        return scanFor(seg, seq, seg.firstSeq(), 0);
    }

    private Optional<String> scanFor(Segment seg, long seq, long fromSeq, long offset) throws IOException {
        long at = fromSeq;
        try (LineCursor c = new LineCursor(seg.path(), offset)) {
            String line;
            while ((line = c.next()) != null) {
                if (at == seq) {
                    byte[] b = line.getBytes(StandardCharsets.UTF_8);
                    LineScanner s = LineScanner.scan(b, 0, b.length);
                    return s.error() == null && s.seq() == seq ? Optional.of(line) : Optional.empty();
                }
                at++;
            }
        }
        return Optional.empty();
    }

    /** A position from the writer's sparse index: {seq, byte offset} in the segment, or null. Only a hint. */
    private long[] indexPoint(long seq, long segmentFirst) {
        Path file = FileLayout.of(dir).index();
        long rec = seq / INDEX_EVERY;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            if ((rec + 1) * INDEX_RECORD > ch.size()) {
                return null;
            }
            ByteBuffer bb = ByteBuffer.allocate(INDEX_RECORD);
            readFully(ch, bb, rec * INDEX_RECORD);
            long s = bb.getLong(0);
            long first = bb.getLong(8);
            long offset = bb.getLong(16);
            return s == rec * INDEX_EVERY && first == segmentFirst && offset >= 0 ? new long[] {s, offset} : null;
        } catch (IOException e) {
            return null;
        }
    }

    /** The checkpoints in {@code checkpoints.jsonl}, oldest first. */
    List<StoredCheckpoint> checkpoints() throws IOException {
        // Only complete lines: a checkpoint being written beside us is not read half written.
        List<StoredCheckpoint> out = new ArrayList<>();
        for (CheckpointFile.Stored s : CheckpointFile.read(FileLayout.of(dir).checkpoints()).checkpoints()) {
            out.add(new StoredCheckpoint(s.checkpoint(), s.time()));
        }
        return out;
    }

    private static void readFully(FileChannel ch, ByteBuffer buf, long position) throws IOException {
        long at = position;
        while (buf.hasRemaining()) {
            int r = ch.read(buf, at);
            if (r < 0) {
                throw new IOException("unexpected end of file at byte " + at);
            }
            at += r;
        }
        buf.flip();
    }

    /**
     * Reads complete lines from a file, from a byte offset. A last line without its newline is not returned (it is
     * still being written, or was torn by a crash); {@link #offset()} then stays at its start, so a later
     * {@link #next()} after the file grew returns it once it is whole.
     */
    static final class LineCursor implements Closeable {
        private final FileChannel channel;
        private byte[] buf = new byte[256 * 1024];
        private int start;
        private int end;
        /** File offset of {@code buf[start]}: the start of the next line to return. */
        private long offset;

        LineCursor(Path file, long fromOffset) throws IOException {
            this.channel = FileChannel.open(file, StandardOpenOption.READ);
            this.offset = fromOffset;
        }

        /** The offset just after the last line returned. */
        long offset() {
            return offset;
        }

        /** The file offset just after the bytes read so far (the last line returned and an unfinished one). */
        long readEnd() {
            return offset + (end - start);
        }

        /** The file's current size. */
        long size() throws IOException {
            return channel.size();
        }

        /** The next complete line (without its newline), or null when there is none yet. */
        String next() throws IOException {
            int scanFrom = start;
            while (true) {
                for (int i = scanFrom; i < end; i++) {
                    if (buf[i] == '\n') {
                        String line = new String(buf, start, i - start, StandardCharsets.UTF_8);
                        offset += i + 1 - start;
                        start = i + 1;
                        return line;
                    }
                }
                int scanned = end - start; // after fill() these bytes sit at the front of the buffer
                if (!fill()) {
                    return null;
                }
                scanFrom = scanned;
            }
        }

        /** Reads more bytes after the buffered ones; false at the end of the file. */
        private boolean fill() throws IOException {
            if (start > 0) {
                System.arraycopy(buf, start, buf, 0, end - start);
                end -= start;
                start = 0;
            }
            if (end == buf.length) {
                byte[] bigger = new byte[buf.length * 2];
                System.arraycopy(buf, 0, bigger, 0, end);
                buf = bigger;
            }
            int n = channel.read(ByteBuffer.wrap(buf, end, buf.length - end), offset + end);
            if (n <= 0) {
                return false;
            }
            end += n;
            return true;
        }

        /** Forgets buffered bytes and continues from {@code newOffset} (after the file was cut back). */
        void reset(long newOffset) {
            start = 0;
            end = 0;
            offset = newOffset;
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }
}
