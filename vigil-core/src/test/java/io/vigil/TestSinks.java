package io.vigil;

import io.vigil.event.AuditEvent;
import io.vigil.sink.AuditSink;
import io.vigil.sink.EntryPosition;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/** Real sinks for tests: one that keeps what it receives, one that fails on demand, one that waits for a latch. */
final class TestSinks {
    private TestSinks() {
    }

    /** Keeps every event; safe to read from the test thread after flush. */
    static final class Collecting implements AuditSink {
        final List<AuditEvent> events = new ArrayList<>();

        @Override
        public synchronized List<EntryPosition> write(List<AuditEvent> batch) {
            events.addAll(batch);
            return List.of();
        }

        synchronized List<AuditEvent> snapshot() {
            return new ArrayList<>(events);
        }

        @Override
        public void close() {
        }
    }

    /** Fails the first {@code failures} writes with an IOException, then keeps events. */
    static final class Failing implements AuditSink {
        final AtomicInteger remainingFailures;
        final Collecting delegate = new Collecting();
        final AtomicInteger attempts = new AtomicInteger();

        Failing(int failures) {
            remainingFailures = new AtomicInteger(failures);
        }

        @Override
        public List<EntryPosition> write(List<AuditEvent> batch) throws IOException {
            attempts.incrementAndGet();
            if (remainingFailures.getAndDecrement() > 0) {
                throw new IOException("disk on fire (injected)");
            }
            return delegate.write(batch);
        }

        @Override
        public void close() {
        }
    }

    /** Blocks every write until released. */
    static final class Gate implements AuditSink {
        final CountDownLatch open = new CountDownLatch(1);
        final CountDownLatch entered = new CountDownLatch(1);
        final Collecting delegate = new Collecting();

        @Override
        public List<EntryPosition> write(List<AuditEvent> batch) {
            entered.countDown();
            try {
                open.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return delegate.write(batch);
        }

        @Override
        public void close() {
            open.countDown();
        }
    }
}
