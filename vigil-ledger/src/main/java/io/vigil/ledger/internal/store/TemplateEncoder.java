package io.vigil.ledger.internal.store;

import io.vigil.event.AuditEvent;
import io.vigil.json.CanonicalBuffer;
import io.vigil.ledger.internal.EntryCodec;

import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * Serializes the events of a batch into ledger templates ({@link EntryCodec#writeTemplate}) on its own thread,
 * while the appending thread chains, hashes and writes the templates already done. Serializing is most of an
 * append's work and does not depend on the chain; running it alongside the chaining lets a durable ledger use a
 * second CPU. One batch at a time; the appending thread is the only caller.
 */
final class TemplateEncoder implements AutoCloseable {
    /** Spins before yielding while waiting for a template; a template takes about a microsecond to write. */
    private static final int SPINS = 200;

    private final Thread thread;
    private final CanonicalBuffer buffer = new CanonicalBuffer(1 << 16);
    private int[] starts = new int[1025];
    private int[] slots = new int[3 * 1024];
    /**
     * The buffer's array as it was when template i was complete. The buffer may grow (a new array) while the caller
     * reads earlier templates; reading the array recorded before {@link #ready} was published is what the memory
     * model guarantees to hold the template's bytes.
     */
    private byte[][] arrays = new byte[1024][];

    /** The batch being encoded, or null when the thread is idle. Written by the caller, cleared by the thread. */
    private volatile List<AuditEvent> batch;
    /** Templates of the current batch that are complete. */
    private volatile int ready;
    /** The index of the event that could not be serialized, or -1. */
    private volatile int failedAt = -1;
    private volatile RuntimeException failure;
    private volatile boolean stopping;

    TemplateEncoder(String name) {
        thread = new Thread(this::run, name);
        thread.setDaemon(true);
        thread.start();
    }

    /** Starts encoding {@code events}, once the thread is done with the previous batch. */
    void start(List<AuditEvent> events) {
        finish();
        if (!thread.isAlive()) {
            throw new IllegalStateException("the ledger's encoder thread has stopped");
        }
        int n = events.size();
        if (starts.length < n + 1) {
            starts = new int[n + 1];
            slots = new int[3 * n];
            arrays = new byte[n][];
        }
        ready = 0;
        failedAt = -1;
        failure = null;
        batch = events; // publishes the resets above
        LockSupport.unpark(thread);
    }

    /**
     * Waits until template {@code i} is written.
     *
     * @throws RuntimeException the serialization error of event {@code i}, if it had one
     */
    void await(int i) {
        int spins = 0;
        while (ready <= i) {
            int bad = failedAt;
            if (bad >= 0 && bad <= i) {
                throw failure;
            }
            if (!thread.isAlive()) {
                throw new IllegalStateException("the ledger's encoder thread has stopped");
            }
            if (++spins < SPINS) {
                Thread.onSpinWait();
            } else {
                Thread.yield();
            }
        }
    }

    /** After {@link #await}: template i's bytes (valid until the next {@link #start}), bounds and slots. */
    byte[] bytes(int i) {
        return arrays[i];
    }

    int templateStart(int i) {
        return starts[i];
    }

    int templateEnd(int i) {
        return starts[i + 1];
    }

    int[] slots() {
        return slots;
    }

    /** Waits until the thread has finished the current batch (or stopped at a failure). */
    private void finish() {
        int spins = 0;
        while (batch != null && thread.isAlive()) {
            if (++spins < SPINS) {
                Thread.onSpinWait();
            } else {
                Thread.yield();
            }
        }
    }

    private void run() {
        while (!stopping) {
            List<AuditEvent> events = batch;
            if (events == null) {
                LockSupport.park(this);
                continue;
            }
            buffer.reset();
            int n = events.size();
            int i = 0;
            try {
                for (; i < n; i++) {
                    starts[i] = buffer.length();
                    EntryCodec.writeTemplate(events.get(i), buffer, slots, 3 * i);
                    starts[i + 1] = buffer.length();
                    arrays[i] = buffer.array();
                    ready = i + 1;
                }
            } catch (RuntimeException e) {
                failure = e;
                failedAt = i;
            }
            batch = null;
        }
    }

    @Override
    public void close() {
        stopping = true;
        LockSupport.unpark(thread);
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
