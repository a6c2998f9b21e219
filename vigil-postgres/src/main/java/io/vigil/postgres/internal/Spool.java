package io.vigil.postgres.internal;

import io.vigil.event.AuditEvent;
import io.vigil.internal.PrivateFiles;
import io.vigil.json.EventJson;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/**
 * Events waiting on local disk for the database to come back, oldest first: files {@code spool-<n>.jsonl} of canonical
 * event JSON, one per line, forced before a write returns; a position file that records, durably, how far replay has
 * got. Replay can repeat an event after a crash between committing it and recording the position; the caller makes
 * replay idempotent by event id. Used from one thread.
 */
public final class Spool implements AutoCloseable {
    private static final String POSITION = "replayed.pos";

    private final Path dir;
    private FileChannel writing;
    private long writingIndex = -1;
    private long pending;
    /** The replay position, as in the position file (read once; this object is its only writer). */
    private long[] position;

    /** A chunk read for replay, and where the replay position goes once it is in the database. */
    public record Chunk(List<AuditEvent> events, long fileIndex, long endOffset, boolean endOfFile) {
    }

    public Spool(Path dir) throws IOException {
        this.dir = PrivateFiles.directory(dir);
        position = readPosition();
        pending = countPending();
    }

    /** Events spooled and not yet replayed. */
    public long pending() {
        return pending;
    }

    public boolean isEmpty() {
        return pending == 0;
    }

    /** Appends the events and forces them to disk. */
    public void append(List<AuditEvent> events) throws IOException {
        if (writing == null) {
            List<Long> files = files();
            writingIndex = files.isEmpty() ? 0 : files.get(files.size() - 1) + 1;
            Path p = PrivateFiles.file(file(writingIndex));
            writing = FileChannel.open(p, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
            PrivateFiles.forceDirectory(dir);
        }
        StringBuilder sb = new StringBuilder(events.size() * 400);
        for (AuditEvent e : events) {
            sb.append(EventJson.toCanonicalString(e)).append('\n');
        }
        ByteBuffer bb = ByteBuffer.wrap(sb.toString().getBytes(StandardCharsets.UTF_8));
        long before = writing.size();
        try {
            while (bb.hasRemaining()) {
                writing.write(bb);
            }
            writing.force(false);
        } catch (IOException e) {
            writing.truncate(before); // no partial line for replay to trip on
            throw e;
        }
        pending += events.size();
    }

    /** Up to {@code max} events from the replay position, or empty when everything was replayed. */
    public Chunk next(int max) throws IOException {
        while (true) {
            List<Long> files = files();
            if (files.isEmpty()) {
                return new Chunk(List.of(), -1, 0, true);
            }
            long index = files.get(0);
            long[] pos = position();
            long offset = pos[0] == index ? pos[1] : pos[0] > index ? Long.MAX_VALUE : 0;
            List<AuditEvent> events = new ArrayList<>();
            long at;
            long size;
            // Read from the replay position on, only as far as the chunk needs: replaying a long spool chunk by
            // chunk must not read the file from its start for every chunk.
            try (FileChannel ch = FileChannel.open(file(index), StandardOpenOption.READ)) {
                size = ch.size();
                at = Math.min(offset, size);
                byte[] buf = new byte[1 << 16];
                int filled = 0;
                long bufStart = at;
                while (events.size() < max) {
                    int nl = -1;
                    for (int i = (int) (at - bufStart); i < filled; i++) {
                        if (buf[i] == '\n') {
                            nl = i;
                            break;
                        }
                    }
                    if (nl >= 0) {
                        int from = (int) (at - bufStart);
                        events.add(EventJson.parse(new String(buf, from, nl - from, StandardCharsets.UTF_8)));
                        at = bufStart + nl + 1;
                        continue;
                    }
                    // no complete line in the buffer: keep the partial one, read more
                    int keep = (int) (bufStart + filled - at);
                    System.arraycopy(buf, (int) (at - bufStart), buf, 0, keep);
                    bufStart = at;
                    filled = keep;
                    if (filled == buf.length) {
                        buf = Arrays.copyOf(buf, buf.length * 2);
                    }
                    int n = ch.read(ByteBuffer.wrap(buf, filled, buf.length - filled), bufStart + filled);
                    if (n <= 0) {
                        break; // end of file; an unfinished line was cut by a crash during append, never acknowledged
                    }
                    filled += n;
                }
            }
            boolean end = at >= size || events.isEmpty();
            if (events.isEmpty() && index != writingIndex && files.size() > 1) {
                Files.delete(file(index)); // fully replayed earlier
                continue;
            }
            return new Chunk(events, index, at, end);
        }
    }

    /** Records that {@code chunk} is in the database; deletes its file when it was the file's last chunk. */
    public void replayed(Chunk chunk) throws IOException {
        pending = Math.max(0, pending - chunk.events().size());
        boolean last = chunk.endOfFile() && chunk.fileIndex() != writingIndex;
        if (last) {
            Files.deleteIfExists(file(chunk.fileIndex()));
            writePosition(chunk.fileIndex() + 1, 0);
        } else {
            writePosition(chunk.fileIndex(), chunk.endOffset());
        }
        if (pending == 0 && writing != null) {
            // everything is in the database: start the next outage with a fresh file
            writing.close();
            writing = null;
            Files.deleteIfExists(file(writingIndex));
            writePosition(writingIndex + 1, 0);
        }
    }

    private void writePosition(long index, long offset) throws IOException {
        Path tmp = PrivateFiles.file(dir.resolve(POSITION + ".tmp"));
        Files.writeString(tmp, index + " " + offset + "\n", StandardCharsets.US_ASCII);
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
        PrivateFiles.atomicReplace(tmp, dir.resolve(POSITION));
        position = new long[] {index, offset};
    }

    private long[] position() {
        return position;
    }

    private long[] readPosition() throws IOException {
        Path p = dir.resolve(POSITION);
        if (!Files.exists(p)) {
            return new long[] {-1, 0};
        }
        String[] parts = Files.readString(p, StandardCharsets.US_ASCII).trim().split(" ");
        try {
            return new long[] {Long.parseLong(parts[0]), Long.parseLong(parts[1])};
        } catch (RuntimeException e) {
            throw new IOException("spool position file " + p + " is damaged: '" + String.join(" ", parts) + "'");
        }
    }

    private long countPending() throws IOException {
        long n = 0;
        long[] pos = position();
        for (long index : files()) {
            byte[] all = Files.readAllBytes(file(index));
            int from = pos[0] == index ? (int) Math.min(pos[1], all.length) : 0;
            if (pos[0] > index) {
                from = all.length;
            }
            for (int i = from; i < all.length; i++) {
                if (all[i] == '\n') {
                    n++;
                }
            }
        }
        return n;
    }

    private List<Long> files() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.matches("spool-\\d{20}\\.jsonl"))
                    .map(n -> Long.parseLong(n.substring(6, 26))).sorted().toList();
        }
    }

    private Path file(long index) {
        return dir.resolve(String.format("spool-%020d.jsonl", index));
    }

    @Override
    public void close() throws IOException {
        if (writing != null) {
            writing.close();
            writing = null;
        }
    }
}
