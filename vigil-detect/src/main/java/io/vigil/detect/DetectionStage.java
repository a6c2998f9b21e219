package io.vigil.detect;

import io.vigil.AuditLog;
import io.vigil.detect.internal.AbnormalRateDetector;
import io.vigil.detect.internal.AccountLocks;
import io.vigil.detect.internal.BruteForceDetector;
import io.vigil.detect.internal.DenialBurstDetector;
import io.vigil.detect.internal.DetectionEngine;
import io.vigil.detect.internal.DetectionWorker;
import io.vigil.detect.internal.Detector;
import io.vigil.detect.internal.FindingRecorder;
import io.vigil.detect.internal.ImpossibleTravelDetector;
import io.vigil.detect.internal.KnownBadIpDetector;
import io.vigil.detect.internal.NewUserAgentDetector;
import io.vigil.detect.internal.OwnEvents;
import io.vigil.detect.internal.PasswordSprayingDetector;
import io.vigil.detect.internal.SuccessAfterFailureDetector;
import io.vigil.event.AuditEvent;
import io.vigil.internal.RateLimitedLog;
import io.vigil.internal.time.Ticker;
import io.vigil.sink.AuditSink;
import io.vigil.sink.EntryPosition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * Runs detectors over everything an {@link AuditLog} records and records their findings through that same log, so
 * they are redacted, filtered and written, into the same ledger, like any other event.
 *
 * <p>The stage is an {@link AuditSink}: registered on the log, it is handed each batch on the log's writer thread,
 * after the caller has returned, and queues it for a detection thread of its own ({@value #DETECTION_QUEUE} batches
 * at most; when detection falls behind, the writer waits for room, so no event goes unseen). The detectors so see each
 * event the log keeps exactly once, in record order, one event at a time, beside the ledger's writing rather than in
 * its way. The stage never fails a batch (a failing detector is counted and logged, and the event is written by the
 * other sinks regardless). Windows are measured on the events' own timestamps and each finding carries the timestamp
 * of the event that completed it, so replaying the same events gives the same findings.
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
 *
 * <p>Findings have a bounded queue of their own ({@value #FINDINGS_QUEUE} findings), drained by one recorder thread
 * the stage starts on {@link #bind} and stops on {@link #close}: neither the writer nor the detection thread ever waits
 * on the log's queue, which only the writer empties. A finding that does not fit is counted in {@link DetectionStats#findingsLost()} and logged.
 */
public final class DetectionStage implements AuditSink {
    private static final Logger LOG = LoggerFactory.getLogger(DetectionStage.class);

    /**
     * Findings waiting for the recorder. A burst of attacks makes a few findings per hundred events, and the recorder
     * empties the queue as fast as the log takes events, so this only fills when the log itself is stuck.
     */
    static final int FINDINGS_QUEUE = 10_000;
    /**
     * Batches waiting for the detection thread: up to 32 of the log's batches (1,024 events each by default), about
     * as many events as the log's own queue holds.
     */
    static final int DETECTION_QUEUE = 32;
    /**
     * How long {@link #close} lets the detection thread finish the queued batches, and then the recorder hand queued
     * findings to the log; as long as the log's own default.
     */
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);
    private static final long DEFAULT_MAXIMUM_KEYS = 100_000;

    private final DetectionEngine engine;
    private final OwnEvents own = new OwnEvents();
    private final FindingRecorder recorder;
    private final DetectionWorker worker;
    private final Ticker ticker = Ticker.system();
    /** A detector failing on every event would otherwise log once per event. */
    private final RateLimitedLog failureLog = new RateLimitedLog(LOG, Duration.ofSeconds(1), 1, ticker);
    private final AtomicReference<AuditLog> log = new AtomicReference<>();
    private final LongAdder inspected = new LongAdder();
    private final LongAdder findings = new LongAdder();
    private final LongAdder ownSkipped = new LongAdder();
    private final LongAdder errors = new LongAdder();

    private DetectionStage(DetectionEngine engine, Optional<AccountLocker> locker) {
        this.engine = engine;
        this.recorder = new FindingRecorder(FINDINGS_QUEUE, own, locker.map(AccountLocks::new),
                FindingRecorder.daemonThreads(), ticker);
        this.worker = new DetectionWorker(DETECTION_QUEUE, this::inspect, DetectionWorker.daemonThreads(), ticker);
    }

    /** A builder with no detector yet; add at least one, or all with {@link Builder#allDefaults()}. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Names the log findings are recorded through: the log this stage is registered on, and starts the recorder
     * thread. Findings made before (only the log's own start event can come past before) are recorded now.
     *
     * @throws IllegalStateException when the stage is already bound to a log
     */
    public void bind(AuditLog auditLog) {
        Objects.requireNonNull(auditLog, "auditLog");
        if (!log.compareAndSet(null, auditLog)) {
            throw new IllegalStateException("the detection stage is already bound to a log");
        }
        recorder.start(auditLog);
    }

    /**
     * Waits until everything recorded before this call has been written, and the findings and account locks it
     * caused too: first the log (so the writer has handed those events to the stage), then the detection thread (so
     * the detectors have seen them and queued their findings), then the findings queue (so the recorder has handed
     * them to the log), then the log again (so they are written). Findings cause no findings, so no more rounds are
     * needed.
     *
     * @return false when the timeout passed first, or no log is bound
     */
    public boolean flush(Duration timeout) {
        AuditLog bound = log.get();
        long deadline = ticker.read() + timeout.toNanos();
        return bound != null && bound.flush(timeout) && worker.awaitInspected(left(deadline))
                && recorder.awaitRecorded(left(deadline)) && bound.flush(left(deadline));
    }

    private Duration left(long deadline) {
        return Duration.ofNanos(Math.max(0, deadline - ticker.read()));
    }

    /** Counters since the stage was built. */
    public DetectionStats stats() {
        return new DetectionStats(inspected.sum(), findings.sum(), ownSkipped.sum(), recorder.lost(), errors.sum(),
                recorder.lockErrors());
    }

    /** The names of the detectors this stage runs, as recorded in {@code details.detector}. */
    public List<String> detectors() {
        return engine.detectorNames();
    }

    /** Queues the batch for the detection thread; waits only when it is {@value #DETECTION_QUEUE} batches behind. */
    @Override
    public List<EntryPosition> write(List<AuditEvent> batch) {
        worker.submit(batch);
        return List.of();
    }

    /** Shows a batch to the detectors and queues their findings; on the detection thread. */
    private void inspect(List<AuditEvent> batch) {
        boolean found = false;
        for (AuditEvent event : batch) {
            if (own.recognise(event.id())) {
                ownSkipped.increment();
                continue;
            }
            inspected.increment();
            List<AuditEvent> made;
            try {
                made = engine.inspect(event);
            } catch (RuntimeException e) {
                // One event's failure must not keep the detectors from the rest of the batch; the event is in the
                // ledger either way.
                errors.increment();
                failureLog.warn("{} detection failure(s); for example on event {} of type {}: {}", event.id(),
                        event.type(), e.toString(), e);
                continue;
            }
            for (AuditEvent f : made) {
                findings.increment();
                recorder.offer(f); // never waits: the recorder thread, not this one, waits for room in the log
                found = true;
            }
        }
        if (found) {
            recorder.wake();
        }
    }

    /**
     * Stops the detection thread after it has inspected the queued batches, then the recorder after it has handed the
     * queued findings to the log, waiting at most ten seconds for each. The log calls this when it closes; findings
     * handed to a closing log are refused and counted lost, so flush the stage before closing the log. Batches written
     * after close are inspected on the caller's thread. The state belongs to the builder or to the caller and holds no
     * resources.
     */
    @Override
    public void close() {
        worker.close(CLOSE_TIMEOUT);
        recorder.close(CLOSE_TIMEOUT);
    }

    /** Builds a {@link DetectionStage}; validates in {@link #build()}. */
    public static final class Builder {
        private final List<Detector> detectors = new ArrayList<>();
        private final List<Duration> windows = new ArrayList<>();
        private DetectorState state;
        private long maxKeys = DEFAULT_MAXIMUM_KEYS;
        private Optional<AccountLocker> accountLocker = Optional.empty();

        private Builder() {
        }

        /**
         * Adds every detector this builder offers, each with its {@code DEFAULT} rule, except the known bad ip detector,
         * which needs a list of its own ({@link #knownBadIps}); impossible travel judges by networks alone. Adding one
         * of them again
         * afterwards is an error, as with any detector added twice. A detector added to the builder belongs here too:
         * {@code vigil-bench} measures detection's cost through this method.
         */
        public Builder allDefaults() {
            return bruteForce(BruteForceRule.DEFAULT)
                    .successAfterFailure(SuccessAfterFailureRule.DEFAULT)
                    .passwordSpraying(PasswordSprayingRule.DEFAULT)
                    .impossibleTravel(ImpossibleTravelRule.DEFAULT)
                    .newUserAgent(NewUserAgentRule.DEFAULT)
                    .abnormalRate(AbnormalRateRule.DEFAULT)
                    .denialBurst(DenialBurstRule.DEFAULT);
        }

        /** Adds the brute force detector ({@link BruteForceRule}). */
        public Builder bruteForce(BruteForceRule rule) {
            Objects.requireNonNull(rule, "rule");
            return add(new BruteForceDetector(rule), rule.window(), "bruteForce");
        }

        /** Adds the success-after-failures detector ({@link SuccessAfterFailureRule}). */
        public Builder successAfterFailure(SuccessAfterFailureRule rule) {
            Objects.requireNonNull(rule, "rule");
            return add(new SuccessAfterFailureDetector(rule), rule.window(), "successAfterFailure");
        }

        /** Adds the password spraying / credential stuffing detector ({@link PasswordSprayingRule}). */
        public Builder passwordSpraying(PasswordSprayingRule rule) {
            Objects.requireNonNull(rule, "rule");
            return add(new PasswordSprayingDetector(rule), rule.window(), "passwordSpraying");
        }

        /** Adds the impossible travel detector ({@link ImpossibleTravelRule}), judging by network prefixes alone. */
        public Builder impossibleTravel(ImpossibleTravelRule rule) {
            Objects.requireNonNull(rule, "rule");
            return add(new ImpossibleTravelDetector(rule, Optional.empty()), rule.window(), "impossibleTravel");
        }

        /**
         * Adds the impossible travel detector ({@link ImpossibleTravelRule}), judging by distance and speed where
         * {@code resolver} locates both addresses, and by network prefixes where it does not.
         */
        public Builder impossibleTravel(ImpossibleTravelRule rule, GeoResolver resolver) {
            Objects.requireNonNull(rule, "rule");
            Objects.requireNonNull(resolver, "resolver");
            return add(new ImpossibleTravelDetector(rule, Optional.of(resolver)), rule.window(), "impossibleTravel");
        }

        /** Adds the new user agent detector ({@link NewUserAgentRule}). */
        public Builder newUserAgent(NewUserAgentRule rule) {
            Objects.requireNonNull(rule, "rule");
            return add(new NewUserAgentDetector(rule), rule.forgetAfter(), "newUserAgent");
        }

        /** Adds the abnormal rate detector ({@link AbnormalRateRule}). */
        public Builder abnormalRate(AbnormalRateRule rule) {
            Objects.requireNonNull(rule, "rule");
            return add(new AbnormalRateDetector(rule), rule.window(), "abnormalRate");
        }

        /** Adds the denial burst detector ({@link DenialBurstRule}). */
        public Builder denialBurst(DenialBurstRule rule) {
            Objects.requireNonNull(rule, "rule");
            return add(new DenialBurstDetector(rule), rule.window(), "denialBurst");
        }

        /** Adds the known bad ip detector: activity from an address in {@code list}, reported as {@code rule} says. */
        public Builder knownBadIps(KnownBadIps list, KnownBadIpRule rule) {
            Objects.requireNonNull(list, "list");
            Objects.requireNonNull(rule, "rule");
            return add(new KnownBadIpDetector(list, rule), rule.window(), "knownBadIps");
        }

        /** Adds a detector, at most one of each kind (told apart by name). */
        private Builder add(Detector detector, Duration window, String what) {
            once(detectors.stream().anyMatch(d -> d.name().equals(detector.name())), what);
            detectors.add(detector);
            windows.add(window);
            return this;
        }

        /**
         * What to call when the brute force detector finds an attack on an account; see {@link AccountLocker}. None
         * by default: findings are recorded and nothing is locked.
         */
        public Builder accountLocker(AccountLocker value) {
            accountLocker = Optional.of(Objects.requireNonNull(value, "accountLocker"));
            return this;
        }

        /**
         * Where detectors keep what they have seen. Default: {@link DetectorState#inMemory} with 100,000 subjects, each
         * expiring after the longest window of the detectors added.
         */
        public Builder state(DetectorState value) {
            state = Objects.requireNonNull(value, "state");
            return this;
        }

        /**
         * The bound of the default in-memory state: at most this many subjects (accounts, addresses, networks), each
         * expiring after the longest window of the detectors added. Ignored when {@link #state} is given.
         *
         * @throws IllegalArgumentException when not positive
         */
        public Builder maxKeys(long value) {
            if (value < 1) {
                throw new IllegalArgumentException("maxKeys " + value + " must be at least 1");
            }
            maxKeys = value;
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
                    : DetectorState.inMemory(maxKeys, windows.stream().max(Duration::compareTo).orElseThrow());
            return new DetectionStage(new DetectionEngine(detectors, s), accountLocker);
        }

        private static boolean once(boolean already, String what) {
            if (already) {
                throw new IllegalStateException(what + " was already added");
            }
            return true;
        }
    }
}
