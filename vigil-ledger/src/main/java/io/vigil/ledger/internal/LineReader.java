package io.vigil.ledger.internal;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Reads a segment file line by line into a reused buffer, from a byte offset. A final line without a newline is
 * reported as torn rather than returned. Not thread-safe.
 */
public final class LineReader implements AutoCloseable {
    private final FileChannel channel;
    private byte[] buf = new byte[1 << 17]; // small enough to stay in the CPU cache while a line is scanned and hashed
    private int bufStart;
    private int bufEnd;
    private long bufFileOffset;
    private int lineStart;
    private int lineEnd;
    private long lineOffset;
    private boolean eof;
    private long tornBytes;

    public LineReader(Path file, long fromOffset) throws IOException {
        this.channel = FileChannel.open(file, StandardOpenOption.READ);
        this.bufFileOffset = fromOffset;
    }

    /** Advances to the next complete line; false at the end (check {@link #tornBytes()} for a partial last line). */
    public boolean next() throws IOException {
        while (true) {
            int i = Swar.indexOfNewline(buf, bufStart, bufEnd);
            if (i >= 0) {
                lineStart = bufStart;
                lineEnd = i;
                lineOffset = bufFileOffset + bufStart;
                bufStart = i + 1;
                return true;
            }
            if (eof) {
                tornBytes = bufEnd - bufStart;
                return false;
            }
            fill();
        }
    }

    private void fill() throws IOException {
        int remaining = bufEnd - bufStart;
        if (bufStart > 0) {
            System.arraycopy(buf, bufStart, buf, 0, remaining);
            bufFileOffset += bufStart;
            bufStart = 0;
            bufEnd = remaining;
        }
        if (bufEnd == buf.length) {
            byte[] bigger = new byte[buf.length * 2]; // a line longer than the buffer: grow, lines are bounded
            System.arraycopy(buf, 0, bigger, 0, bufEnd);
            buf = bigger;
        }
        int n = channel.read(ByteBuffer.wrap(buf, bufEnd, buf.length - bufEnd), bufFileOffset + bufEnd);
        if (n < 0) {
            eof = true;
        } else {
            bufEnd += n;
        }
    }

    public byte[] buffer() {
        return buf;
    }

    public int lineStart() {
        return lineStart;
    }

    /** Exclusive; the newline is not part of the line. */
    public int lineEnd() {
        return lineEnd;
    }

    /** The file offset of the current line's first byte. */
    public long lineOffset() {
        return lineOffset;
    }

    /** The file offset just past the current line's newline. */
    public long nextOffset() {
        return lineOffset + (lineEnd - lineStart) + 1;
    }

    /** Bytes after the last newline at the end of the file (a torn write), once {@link #next()} returned false. */
    public long tornBytes() {
        return tornBytes;
    }

    /** Reads exactly one line at {@code offset}; fails when there is none. */
    public static String lineAt(Path file, long offset) throws IOException {
        try (LineReader r = new LineReader(file, offset)) {
            if (!r.next()) {
                throw new EOFException("no complete line at offset " + offset + " of " + file);
            }
            return new String(r.buffer(), r.lineStart(), r.lineEnd() - r.lineStart(), StandardCharsets.UTF_8);
        }
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
