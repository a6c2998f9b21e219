package io.vigil.ledger.internal.read;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Reads complete lines from a file, from a byte offset. A last line without its newline is not returned: it is still
 * being written, or was torn by a crash.
 */
final class LineCursor implements Closeable {
    private final FileChannel channel;
    private byte[] buf = new byte[64 * 1024];
    private int start;
    private int end;
    /** File offset of {@code buf[start]}: the start of the next line to return. */
    private long offset;

    LineCursor(Path file, long fromOffset) throws IOException {
        this.channel = FileChannel.open(file, StandardOpenOption.READ);
        this.offset = fromOffset;
    }

    /** The next complete line (without its newline), or null when there is none. */
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

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
