package io.vigil.sink;

import io.vigil.event.AuditEvent;
import io.vigil.internal.sink.HandlerSink;
import io.vigil.internal.sink.JsonlFileSink;
import io.vigil.internal.sink.PrintStreamSink;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Clock;
import java.util.Objects;
import java.util.function.Consumer;

/** Creates the built-in sinks. */
public final class Sinks {
    private Sinks() {
    }

    /**
     * A JSONL file sink; the file is opened (and its directory created, 0700) now.
     *
     * @throws IOException naming the path when it cannot be opened
     */
    public static AuditSink jsonlFile(FileSinkOptions options) throws IOException {
        return new JsonlFileSink(options, Clock.systemUTC());
    }

    /** A JSONL file sink that takes the date for daily rotation from {@code clock}. */
    public static AuditSink jsonlFile(FileSinkOptions options, Clock clock) throws IOException {
        return new JsonlFileSink(options, Objects.requireNonNull(clock, "clock"));
    }

    /** Pure JSONL on {@link System#out} as it is now. */
    public static AuditSink stdout() {
        return new PrintStreamSink(System.out);
    }

    /** Pure JSONL on the given stream. */
    public static AuditSink stream(PrintStream out) {
        return new PrintStreamSink(Objects.requireNonNull(out, "out"));
    }

    /** Hands every event to application code, from the writer thread. A handler that throws makes the write fail. */
    public static AuditSink handler(Consumer<AuditEvent> handler) {
        return new HandlerSink(Objects.requireNonNull(handler, "handler"));
    }
}
