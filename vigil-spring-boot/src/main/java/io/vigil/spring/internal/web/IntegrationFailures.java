package io.vigil.spring.internal.web;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts the failures of Vigil's Spring integration (a listener, the request filter, a tenant resolver) and logs
 * them at most once per interval, saying how many were folded into the report. The integration never throws into
 * the application's request; this is where what it swallowed becomes visible.
 */
public final class IntegrationFailures {
    private static final Logger LOG = LoggerFactory.getLogger("io.vigil.spring");
    private static final long INTERVAL_NANOS = 10_000_000_000L;

    private final AtomicLong count = new AtomicLong();
    private final AtomicLong nextReport = new AtomicLong(Long.MIN_VALUE);
    private final AtomicLong folded = new AtomicLong();

    /** Counts one failure of {@code what} and logs it unless a report was written less than ten seconds ago. */
    public void failed(String what, Throwable cause) {
        count.incrementAndGet();
        long now = System.nanoTime();
        long next = nextReport.get();
        if ((next == Long.MIN_VALUE || now - next >= 0) && nextReport.compareAndSet(next, now + INTERVAL_NANOS)) {
            long also = folded.getAndSet(0);
            // The exception's class and message only: a stack trace per failure would flood the log it protects.
            LOG.warn("Vigil could not audit ({}): {}{}", what, cause.toString(),
                    also == 0 ? "" : " (" + also + " more failures since the last report)");
            LOG.debug("Vigil audit failure in {}", what, cause);
        } else {
            folded.incrementAndGet();
        }
    }

    /** Failures since start. */
    public long count() {
        return count.get();
    }
}
