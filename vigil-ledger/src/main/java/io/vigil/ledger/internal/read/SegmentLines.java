package io.vigil.ledger.internal.read;

import io.vigil.ledger.FileLayout;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.StandardOpenOption;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;

/**
 * The complete lines of a file ledger's segment files, read without a lock beside a writer: the ledger's size from
 * the newest segment's last complete line (read backwards from its end), and the lines of a seq range, found through
 * the writer's sparse {@code index.bin} when it has a point for them (a hint only: a stale one is ignored).
 */
final class SegmentLines {
    /** The writer's index records every 1024th seq as (seq, segment's first seq, byte offset), 24 bytes each. */
    private static final int INDEX_EVERY = 1024;
    private static final int INDEX_RECORD = 24;

    private final FileLayout layout;

    SegmentLines(FileLayout layout) {
        this.layout = layout;
    }

    /** The number of complete entries: one past the seq of the newest segment's last complete line. */
    long size() throws IOException {
        List<Long> firsts = layout.segmentFirstSeqs();
        if (firsts.isEmpty()) {
            return 0;
        }
        long first = firsts.get(firsts.size() - 1);
        // the writer starts a segment only after the previous one is complete, so an empty newest segment means
        // everything before its first seq is there
        Optional<String> last = lastCompleteLine(first);
        return last.isEmpty() ? first : EntryLines.seqOf(last.get()) + 1;
    }

    /** The complete lines of seqs {@code [fromSeq, toSeq)}, read lazily; the caller closes the iterator. */
    LineIterator lines(long fromSeq, long toSeq) throws IOException {
        return new LineIterator(fromSeq, toSeq);
    }

    /** The segment holding {@code seq}: the one with the greatest first seq at or below it. */
    private long segmentOf(long seq, List<Long> firsts) throws IOException {
        long found = -1;
        for (long f : firsts) {
            if (f <= seq) {
                found = f;
            }
        }
        if (found < 0) {
            throw new IOException("no segment file holds seq " + seq + " in " + layout.segments());
        }
        return found;
    }

    private Optional<String> lastCompleteLine(long segmentFirst) throws IOException {
        try (FileChannel ch = FileChannel.open(layout.segment(segmentFirst), StandardOpenOption.READ)) {
            long pos = ch.size();
            long end = -1;
            ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
            while (pos > 0) {
                int len = (int) Math.min(buf.capacity(), pos);
                pos -= len;
                buf.clear().limit(len);
                readFully(ch, buf, pos);
                for (int i = len - 1; i >= 0; i--) {
                    if (buf.get(i) != '\n') {
                        continue;
                    }
                    if (end < 0) {
                        end = pos + i; // the newline ending the last complete line; anything after is unfinished
                    } else {
                        return Optional.of(read(ch, pos + i + 1, end));
                    }
                }
            }
            return end < 0 ? Optional.empty() : Optional.of(read(ch, 0, end));
        }
    }

    private static String read(FileChannel ch, long from, long to) throws IOException {
        ByteBuffer text = ByteBuffer.allocate(Math.toIntExact(to - from));
        readFully(ch, text, from);
        return new String(text.array(), 0, text.limit(), StandardCharsets.UTF_8);
    }

    /** A point {seq, byte offset} in segment {@code segmentFirst} at or before {@code seq}, from the index. */
    private long[] indexPoint(long seq, long segmentFirst) throws IOException {
        long rec = seq / INDEX_EVERY;
        try (FileChannel ch = FileChannel.open(layout.index(), StandardOpenOption.READ)) {
            if ((rec + 1) * INDEX_RECORD > ch.size()) {
                return new long[] {segmentFirst, 0};
            }
            ByteBuffer bb = ByteBuffer.allocate(INDEX_RECORD);
            readFully(ch, bb, rec * INDEX_RECORD);
            long s = bb.getLong(0);
            long first = bb.getLong(8);
            long offset = bb.getLong(16);
            boolean usable = s == rec * INDEX_EVERY && first == segmentFirst && s >= segmentFirst && offset >= 0;
            return usable ? new long[] {s, offset} : new long[] {segmentFirst, 0};
        } catch (NoSuchFileException e) {
            return new long[] {segmentFirst, 0}; // no index (yet): scan the segment from its start
        }
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
     * Complete lines in seq order from one segment to the next. Each line's place is known by counting from a point
     * whose seq is known; whether the line there really is that seq is for the caller to check.
     */
    final class LineIterator implements Iterator<String>, AutoCloseable {
        private final long toSeq;
        private final List<Long> firsts;
        private long seq;
        private long segmentFirst;
        private LineCursor cursor;
        private String next;

        private LineIterator(long fromSeq, long toSeq) throws IOException {
            this.seq = fromSeq;
            this.toSeq = toSeq;
            this.firsts = layout.segmentFirstSeqs();
            if (fromSeq < toSeq) {
                segmentFirst = segmentOf(fromSeq, firsts);
                long[] point = indexPoint(fromSeq, segmentFirst);
                cursor = new LineCursor(layout.segment(segmentFirst), point[1]);
                for (long skip = point[0]; skip < fromSeq; skip++) {
                    if (cursor.next() == null) {
                        throw new IOException("segment " + layout.segment(segmentFirst) + " ends before seq " + fromSeq);
                    }
                }
            }
        }

        @Override
        public boolean hasNext() {
            if (next != null) {
                return true;
            }
            if (seq >= toSeq) {
                return false;
            }
            try {
                next = cursor.next();
                while (next == null) {
                    long following = firsts.stream().filter(f -> f > segmentFirst).findFirst().orElse(-1L);
                    if (following != seq) {
                        throw new IOException("the ledger's segments end before seq " + seq + " ("
                                + (following < 0 ? "no later segment" : "the next segment starts at seq " + following)
                                + ")");
                    }
                    cursor.close();
                    segmentFirst = following;
                    cursor = new LineCursor(layout.segment(following), 0);
                    next = cursor.next();
                }
                return true;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public String next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            String line = next;
            next = null;
            seq++;
            return line;
        }

        @Override
        public void close() throws IOException {
            if (cursor != null) {
                cursor.close();
            }
        }
    }
}
