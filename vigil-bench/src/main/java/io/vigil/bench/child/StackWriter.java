package io.vigil.bench.child;

import io.vigil.bench.workload.SampleEvent;

import java.nio.file.Path;

/** One logging stack under test, driven by {@link ChildMain}. */
interface StackWriter {
    /** Configures the stack to write to {@code file}; not timed. */
    void open(Path file) throws Exception;

    /** Records one event; called concurrently from the producer threads. */
    void write(SampleEvent event);

    /** Returns once every event written so far is in the file and the stack is stopped; timed. */
    void finish() throws Exception;

    /** Events the stack itself admits it did not write (counters), or -1 when it keeps no such count. */
    long reportedLost();
}
