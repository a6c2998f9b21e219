package io.vigil.internal;

import io.vigil.event.AuditEvent;
import io.vigil.internal.time.Ticker;
import org.slf4j.Logger;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What the writer thread says about events it could not write: one ERROR line per failed batch (the sink, the cause,
 * the count, the first few ids with their correlation ids), rate-limited per sink with a count of the lines held
 * back, and one DEBUG line per event. A disk that fails for an hour thus writes a bounded number of lines, however
 * many events it refuses. Retry warnings are limited the same way.
 *
 * <p>Used by the writer thread only.
 */
final class WriteFailureLog {
    /** Events named by id in a batch's failure line. */
    static final int IDS_NAMED = 3;
    /** Failure lines per sink that pass at once; afterwards one per {@link #INTERVAL}. */
    static final int BURST = 5;
    static final Duration INTERVAL = Duration.ofMinutes(1);

    private final Logger log;
    private final Map<String, RateLimitedLog> failures = new HashMap<>();
    private final Map<String, RateLimitedLog> retries = new HashMap<>();
    private final RateLimitedLog writerFailures;
    private final RateLimitedLog redactionFailures;
    private final Ticker ticker;

    WriteFailureLog(Logger log, Ticker ticker) {
        this.log = log;
        this.ticker = ticker;
        this.writerFailures = new RateLimitedLog(log, INTERVAL, BURST, ticker);
        this.redactionFailures = new RateLimitedLog(log, INTERVAL, BURST, ticker);
    }

    /** A sink gave up on a batch after its retries. */
    void sinkFailed(String sink, int attempts, List<AuditEvent> events, Throwable cause) {
        String what = "audit sink '" + sink + "' failed to write " + events.size() + " event(s) after " + attempts
                + " attempt(s); they were NOT written";
        error(limiter(failures, sink), what, events, cause, false);
        debugEach(events, "by sink '" + sink + "'", cause);
    }

    /** A sink failed one attempt and is retried; the line names the first event of the batch. */
    void retrying(String sink, int events, int attempt, int maxAttempts, AuditEvent first, Duration wait,
                  Throwable cause) {
        long held = limiter(retries, sink).admit();
        if (held >= 0) {
            log.warn("audit sink '{}' failed to write {} event(s) (attempt {}/{}, first id={}); retrying in {} ms: {}{}",
                    sink, events, attempt, maxAttempts, first.id(), wait.toMillis(), cause.toString(),
                    suppressedNote(held));
        }
    }

    /** The writer itself failed on a batch (a sink or handler threw something unexpected). */
    void writerFailed(List<AuditEvent> events, Throwable cause) {
        error(writerFailures, "the audit writer failed; " + events.size() + " event(s) were NOT written",
                events, cause, false);
        debugEach(events, "because the writer failed", cause);
    }

    /** Events whose redaction threw; the first cause is logged with its stack trace, it is a bug to find. */
    void redactionFailed(List<AuditEvent> events, Throwable firstCause) {
        error(redactionFailures, events.size() + " audit event(s) could not be redacted and were NOT written",
                events, firstCause, true);
        debugEach(events, "because redaction failed", firstCause);
    }

    private void error(RateLimitedLog limiter, String what, List<AuditEvent> events, Throwable cause,
                       boolean withTrace) {
        long held = limiter.admit();
        if (held < 0) {
            return;
        }
        StringBuilder ids = new StringBuilder();
        int named = Math.min(IDS_NAMED, events.size());
        for (int i = 0; i < named; i++) {
            ids.append(i == 0 ? "" : ", ").append(correlation(events.get(i)));
        }
        if (events.size() > named) {
            ids.append(", ...");
        }
        String line = what + ": " + cause + "; first ids: " + ids + suppressedNote(held);
        if (withTrace) {
            log.error(line, cause);
        } else {
            log.error(line);
        }
    }

    private void debugEach(List<AuditEvent> events, String how, Throwable cause) {
        if (!log.isDebugEnabled()) {
            return;
        }
        for (AuditEvent e : events) {
            log.debug("audit event {} was NOT written {}: {}", correlation(e), how, cause.toString());
        }
    }

    private RateLimitedLog limiter(Map<String, RateLimitedLog> limiters, String sink) {
        return limiters.computeIfAbsent(sink, k -> new RateLimitedLog(log, INTERVAL, BURST, ticker));
    }

    private static String suppressedNote(long held) {
        return held == 0 ? "" : " (" + held + " similar failures suppressed)";
    }

    /**
     * An event as failure lines name it: id, type and the correlation ids. Never details, actor or reason: those may
     * hold what redaction exists to hide.
     */
    static String correlation(AuditEvent e) {
        return e.id() + " type=" + e.type() + " requestId=" + e.requestId().orElse("-") + " sessionId="
                + e.sessionId().orElse("-") + " traceId=" + e.traceId().orElse("-");
    }
}
