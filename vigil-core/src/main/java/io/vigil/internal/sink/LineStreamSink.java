package io.vigil.internal.sink;

import io.vigil.event.AuditEvent;
import io.vigil.json.CanonicalBuffer;
import io.vigil.sink.AuditSink;
import io.vigil.sink.EntryPosition;
import io.vigil.sink.EventFormat;

import java.io.IOException;
import java.io.PrintStream;
import java.util.List;
import java.util.Optional;

/**
 * Writes one line per event in one format, and nothing else, to a print stream, normally standard output; by default
 * pure JSONL (one canonical JSON object per line).
 */
public final class LineStreamSink implements AuditSink {
    private final PrintStream out;
    private final EventFormat format;
    private final CanonicalBuffer buffer = new CanonicalBuffer(16 * 1024);

    public LineStreamSink(PrintStream out, EventFormat format) {
        this.out = out;
        this.format = format;
    }

    @Override
    public List<EntryPosition> write(List<AuditEvent> batch) throws IOException {
        buffer.reset();
        for (AuditEvent e : batch) {
            format.append(e, Optional.empty(), buffer);
            buffer.appendAscii('\n');
        }
        out.write(buffer.array(), 0, buffer.length());
        out.flush();
        if (out.checkError()) {
            throw new IOException("standard output reported an error; audit lines may not have been written");
        }
        return List.of();
    }

    @Override
    public void flush() {
        out.flush();
    }

    @Override
    public void close() {
        out.flush();
    }
}
