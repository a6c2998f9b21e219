package io.vigil.internal.sink;

import io.vigil.event.AuditEvent;
import io.vigil.json.CanonicalBuffer;
import io.vigil.json.EventJson;
import io.vigil.sink.AuditSink;
import io.vigil.sink.EntryPosition;

import java.io.IOException;
import java.io.PrintStream;
import java.util.List;

/** Writes pure JSONL (one canonical JSON object per line, nothing else) to a print stream, normally standard output. */
public final class PrintStreamSink implements AuditSink {
    private final PrintStream out;
    private final CanonicalBuffer buffer = new CanonicalBuffer(16 * 1024);

    public PrintStreamSink(PrintStream out) {
        this.out = out;
    }

    @Override
    public List<EntryPosition> write(List<AuditEvent> batch) throws IOException {
        buffer.reset();
        for (AuditEvent e : batch) {
            EventJson.writeCanonical(e, buffer);
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
