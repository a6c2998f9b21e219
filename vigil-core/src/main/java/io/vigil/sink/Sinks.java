package io.vigil.sink;

import io.vigil.event.AuditEvent;
import io.vigil.internal.sink.HandlerSink;
import io.vigil.internal.sink.LineFileSink;
import io.vigil.internal.sink.LineStreamSink;

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
        return new LineFileSink(options, EventFormats.jsonl(), Clock.systemUTC());
    }

    /** A JSONL file sink that takes the date for daily rotation from {@code clock}. */
    public static AuditSink jsonlFile(FileSinkOptions options, Clock clock) throws IOException {
        return new LineFileSink(options, EventFormats.jsonl(), Objects.requireNonNull(clock, "clock"));
    }

    /** Pure JSONL on {@link System#out} as it is now. */
    public static AuditSink stdout() {
        return new LineStreamSink(System.out, EventFormats.jsonl());
    }

    /** Pure JSONL on the given stream. */
    public static AuditSink stream(PrintStream out) {
        return new LineStreamSink(Objects.requireNonNull(out, "out"), EventFormats.jsonl());
    }

    /**
     * A file sink writing lines of {@code format} ({@code EventFormats.require("ocsf")}, say); the file is opened now.
     *
     * @throws IOException naming the path when it cannot be opened
     */
    public static AuditSink file(FileSinkOptions options, EventFormat format, Clock clock) throws IOException {
        return new LineFileSink(options, Objects.requireNonNull(format, "format"), Objects.requireNonNull(clock, "clock"));
    }

    /** One line of {@code format} per event on the given stream. */
    public static AuditSink stream(PrintStream out, EventFormat format) {
        return new LineStreamSink(Objects.requireNonNull(out, "out"), Objects.requireNonNull(format, "format"));
    }

    /** Hands every event to application code, from the writer thread. A handler that throws makes the write fail. */
    public static AuditSink handler(Consumer<AuditEvent> handler) {
        return new HandlerSink(Objects.requireNonNull(handler, "handler"));
    }
}
