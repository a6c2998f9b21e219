package io.vigil.spring.internal.actuator;

import io.vigil.AuditLog;
import io.vigil.AuditStats;
import io.vigil.spring.internal.ledger.VigilLedger;
import io.vigil.spring.internal.ledger.WriteMonitor;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** What the health indicator and the endpoint report about the log and its ledger, computed in one place. */
public final class LedgerStatus {
    private final AuditLog log;
    private final VigilLedger ledger;
    private final Clock clock;

    public LedgerStatus(AuditLog log, VigilLedger ledger, Clock clock) {
        this.log = log;
        this.ledger = ledger;
        this.clock = clock;
    }

    /** Why the ledger cannot be written now, if it cannot. */
    public Optional<String> problem() {
        WriteMonitor.State s = ledger.sink().state();
        if (s.failing()) {
            return Optional.of("the newest write to the ledger failed: " + s.lastError().orElse("unknown error"));
        }
        return ledger.outage().get();
    }

    /** Seconds since this process saw the newest checkpoint signed, if it saw one. */
    public Optional<Double> checkpointAgeSeconds() {
        return ledger.checkpoints().lastCheckpointAt()
                .map(at -> Duration.between(at, clock.instant()).toMillis() / 1000.0);
    }

    /** The status as a JSON-friendly map (no secret in it: the location has no credentials). */
    public Map<String, Object> describe() {
        Map<String, Object> out = new LinkedHashMap<>();
        Optional<String> problem = problem();
        out.put("status", problem.isPresent() ? "DOWN" : "UP");
        problem.ifPresent(p -> out.put("problem", p));
        out.put("store", ledger.kind());
        out.put("location", ledger.location());
        out.put("origin", ledger.store().origin());
        out.put("size", ledger.sink().size());
        out.put("publicKey", ledger.verifierKey().encode());
        Map<String, Object> checkpoint = new LinkedHashMap<>();
        ledger.checkpoints().lastCheckpointSize().ifPresent(n -> checkpoint.put("size", n));
        checkpointAgeSeconds().ifPresent(a -> checkpoint.put("ageSeconds", a));
        out.put("lastCheckpoint", checkpoint);
        WriteMonitor.State w = ledger.sink().state();
        Map<String, Object> writes = new LinkedHashMap<>();
        w.lastSuccess().map(Instant::toString).ifPresent(t -> writes.put("lastSuccess", t));
        w.lastFailure().map(Instant::toString).ifPresent(t -> writes.put("lastFailure", t));
        w.lastError().ifPresent(e -> writes.put("lastError", e));
        writes.put("failedAttempts", w.failedAttempts());
        out.put("writes", writes);
        AuditStats st = log.stats();
        Map<String, Object> events = new LinkedHashMap<>();
        events.put("recorded", st.recorded());
        events.put("written", st.written());
        events.put("filtered", st.filtered());
        events.put("dropped", st.dropped());
        events.put("failed", st.failed());
        events.put("sinkRetries", st.sinkRetries());
        events.put("queueDepth", st.queueDepth());
        events.put("queueCapacity", st.queueCapacity());
        out.put("events", events);
        return out;
    }
}
