package io.vigil.detect;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.vigil.AuditLog;
import io.vigil.detect.internal.BruteForceDetector;
import io.vigil.detect.internal.DetectionEngine;
import io.vigil.detect.internal.Detector;
import io.vigil.detect.internal.SuccessAfterFailureDetector;
import io.vigil.event.AuditEvent;
import io.vigil.sink.AuditSink;
import io.vigil.sink.EntryPosition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * Runs detectors over everything an {@link AuditLog} records and records their findings through that same log, so
 * they are redacted, filtered and written, into the same ledger, like any other event.
 *
 * <p>The stage is an {@link AuditSink}: registered on the log, it is called on the log's writer thread, after the
 * caller has returned, and sees each event the log keeps exactly once, in record order. It never fails a batch (a
 * failing detector is counted and logged, and the event is written by the other sinks regardless). Windows are
 * measured on the events' own timestamps and each finding carries the timestamp of the event that completed it, so
 * replaying the same events gives the same findings.
 *
 * <pre>{@code
 * DetectionStage detection = DetectionStage.builder()
 *         .bruteForce(BruteForceRule.DEFAULT)
 *         .successAfterFailure(SuccessAfterFailureRule.DEFAULT)
 *         .build();
 * AuditLog audit = AuditLog.builder().sink("ledger", ledgerSink).sink("detect", detection).build();
 * detection.bind(audit);
 * }</pre>
 *
 * <p>Findings are not fed back: the stage chooses each finding's id, remembers it until the finding comes past, and
 * does not show it to the detectors.
 */
public final class DetectionStage implements AuditSink {
    private static final Logger LOG = LoggerFactory.getLogger(DetectionStage.class);

    /** Findings held while no log is bound; only the log's own start event can arrive then, so this is generous. */
    private static final int MAX_PENDING = 1_000;
    /** Own findings remembered until they come past; more than can be in flight in any queue the log allows. */
    private static final long MAX_OWN_IDS = 1_000_000;
    private static final Duration OWN_ID_EXPIRY = Duration.ofMinutes(10);
    private static final long DEFAULT_MAXIMUM_KEYS = 100_000;

    private final DetectionEngine engine;
    private final Cache<UUID, Boolean> ownIds;
    private final AtomicReference<AuditLog> log = new AtomicReference<>();
    private final List<AuditEvent> pending = new ArrayList<>();
    private final LongAdder inspected = new LongAdder();
    private final LongAdder findings = new LongAdder();
    private final LongAdder ownSkipped = new LongAdder();
    private final LongAdder lost = new LongAdder();
    private final LongAdder errors = new LongAdder();

    private DetectionStage(DetectionEngine engine) {
        this.engine = engine;
        this.ownIds = Caffeine.newBuilder().maximumSize(MAX_OWN_IDS).expireAfterWrite(OWN_ID_EXPIRY).build();
    }

    /** A builder with no detector yet; add at least one. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Names the log findings are recorded through: the log this stage is registered on. Findings made before (only
     * the log's own start event can come past before) are recorded now.
     *
     * @throws IllegalStateException when the stage is already bound to a log
     */
    public void bind(AuditLog auditLog) {
        Objects.requireNonNull(auditLog, "auditLog");
        if (!log.compareAndSet(null, auditLog)) {
            throw new IllegalStateException("the detection stage is already bound to a log");
        }
        List<AuditEvent> held;
        synchronized (pending) {
            held = List.copyOf(pending);
            pending.clear();
        }
        held.forEach(f -> record(auditLog, f));
    }

    /**
     * Waits until everything recorded before this call has been written, and the findings it caused too. One
     * {@code AuditLog.flush} is not enough: findings are recorded while the writer handles their triggering events,
     * so they queue behind that flush; a second one covers them, and no more are needed because findings cause none.
     *
     * @return false when the timeout passed first, or no log is bound
     */
    public boolean flush(Duration timeout) {
        AuditLog bound = log.get();
        return bound != null && bound.flush(timeout) && bound.flush(timeout);
    }

    /** Counters since the stage was built. */
    public DetectionStats stats() {
        return new DetectionStats(inspected.sum(), findings.sum(), ownSkipped.sum(), lost.sum(), errors.sum());
    }

    /** The names of the detectors this stage runs, as recorded in {@code details.detector}. */
    public List<String> detectors() {
        return engine.detectorNames();
    }

    @Override
    public List<EntryPosition> write(List<AuditEvent> batch) {
        for (AuditEvent event : batch) {
            if (ownIds.asMap().remove(event.id()) != null) {
                ownSkipped.increment();
                continue;
            }
            inspected.increment();
            List<AuditEvent> found;
            try {
                found = engine.inspect(event);
            } catch (RuntimeException e) {
                // Throwing would make the pipeline retry the batch here and count every event twice; the event
                // reaches the other sinks either way.
                errors.increment();
                LOG.warn("detection failed on event {} of type {}: {}", event.id(), event.type(), e.toString(), e);
                continue;
            }
            for (AuditEvent f : found) {
                findings.increment();
                ownIds.put(f.id(), Boolean.TRUE);
                AuditLog bound = log.get();
                if (bound != null) {
                    record(bound, f);
                } else {
                    hold(f);
                }
            }
        }
        return List.of();
    }

    private void hold(AuditEvent finding) {
        synchronized (pending) {
            if (pending.size() < MAX_PENDING) {
                pending.add(finding);
                return;
            }
        }
        lost.increment();
        LOG.warn("detection finding {} dropped: the stage is not bound to a log (DetectionStage.bind)", finding.type());
    }

    private void record(AuditLog auditLog, AuditEvent finding) {
        try {
            auditLog.record(finding).whenComplete((receipt, failure) -> {
                if (failure != null) {
                    lostFinding(finding, failure);
                }
            });
        } catch (RuntimeException e) {
            lostFinding(finding, e); // the log's overflow policy is FAIL and its queue is full
        }
    }

    private void lostFinding(AuditEvent finding, Throwable why) {
        lost.increment();
        ownIds.invalidate(finding.id());
        LOG.warn("detection finding {} {} could not be recorded: {}", finding.type(), finding.id(), why.toString());
    }

    @Override
    public void close() {
        // Nothing to release: the state belongs to the stage's builder or to the caller, and holds no resources.
    }

    /** Builds a {@link DetectionStage}; validates in {@link #build()}. */
    public static final class Builder {
        private final List<Detector> detectors = new ArrayList<>();
        private final List<Duration> windows = new ArrayList<>();
        private DetectorState state;
        private boolean bruteForce;
        private boolean successAfterFailure;

        private Builder() {
        }

        /** Adds the brute force detector ({@link BruteForceRule}). */
        public Builder bruteForce(BruteForceRule rule) {
            Objects.requireNonNull(rule, "rule");
            bruteForce = once(bruteForce, "bruteForce");
            detectors.add(new BruteForceDetector(rule));
            windows.add(rule.window());
            return this;
        }

        /** Adds the success-after-failures detector ({@link SuccessAfterFailureRule}). */
        public Builder successAfterFailure(SuccessAfterFailureRule rule) {
            Objects.requireNonNull(rule, "rule");
            successAfterFailure = once(successAfterFailure, "successAfterFailure");
            detectors.add(new SuccessAfterFailureDetector(rule));
            windows.add(rule.window());
            return this;
        }

        /**
         * Where detectors keep what they have seen. Default: {@link DetectorState#inMemory} with 100,000 keys, each
         * expiring after the longest window of the detectors added.
         */
        public Builder state(DetectorState value) {
            state = Objects.requireNonNull(value, "state");
            return this;
        }

        /**
         * Builds a replay: the same detectors over stored events, one at a time, with nothing to bind and no log
         * involved, for a program that reads a ledger or a file of events (as {@code vigil detect} does). The state
         * is the one {@link #build()} would use: a new default one, or the one given to {@link #state}.
         *
         * @throws IllegalStateException when no detector was added
         */
        public DetectionReplay buildReplay() {
            return new DetectionReplay(build().engine);
        }

        /** @throws IllegalStateException when no detector was added */
        public DetectionStage build() {
            if (detectors.isEmpty()) {
                throw new IllegalStateException("a detection stage needs at least one detector "
                        + "(DetectionStage.builder().bruteForce(BruteForceRule.DEFAULT))");
            }
            DetectorState s = state != null ? state
                    : DetectorState.inMemory(DEFAULT_MAXIMUM_KEYS, windows.stream().max(Duration::compareTo).orElseThrow());
            return new DetectionStage(new DetectionEngine(detectors, s));
        }

        private static boolean once(boolean already, String what) {
            if (already) {
                throw new IllegalStateException(what + " was already added");
            }
            return true;
        }
    }
}
