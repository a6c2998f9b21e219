package io.vigil.server.internal;

import io.vigil.event.AuditEvent;
import io.vigil.event.EventCatalog;
import io.vigil.ledger.FileLedger;
import io.vigil.ledger.Hash;
import io.vigil.ledger.LedgerEntry;
import io.vigil.ledger.LedgerReader;
import io.vigil.ledger.VerificationReport;
import io.vigil.ledger.checkpoint.VerifierKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * Verification runs of the tenants' ledgers: each run on a thread of its own, so that what the caller does with the
 * progress (stream it to a client who may leave) never holds up or breaks the run, and the last run of each tenant,
 * kept in memory and rebuilt at start from the server's own audit trail, where every run is recorded.
 */
public final class Verifications implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Verifications.class);
    /** How often the caller hears of progress at most, unless it moved by {@link #STEP_PERCENT}. */
    private static final long WATCH_EVERY_MS = 250;
    private static final int STEP_PERCENT = 5;
    private static final long POLL_MS = 50;
    /** How often the server's log says how far a run is. */
    private static final long LOG_EVERY_MS = 5_000;

    // The details of an audit.verification.* event in the system ledger.
    static final String SIZE = "size";
    static final String CHECKPOINTS = "checkpointsVerified";
    static final String SEQ = "seq";
    static final String ROOT = "root";
    static final String WARNINGS = "warnings";
    static final String MILLIS = "millis";

    /** A finished run: when it finished, the id of the key that asked for it, how long it took and what it found. */
    public record Run(Instant at, String by, long millis, VerificationReport report) {
    }

    /** How far a run is: bytes of entries read of the bytes it reads, in whole percent. */
    public record Progress(long bytes, long of, int percent) {
        static Progress of(long bytes, long total) {
            long read = Math.min(bytes, total);
            return new Progress(read, total, total == 0 ? 100 : (int) (read * 100 / total));
        }
    }

    /** Hears a run's progress; when it throws, it is not called again, and the run goes on. */
    @FunctionalInterface
    public interface ProgressWatcher {
        void progress(Progress progress) throws IOException;
    }

    private final SystemAudit audit;
    private final VerifierKey key;
    private final Clock clock;
    private final Map<String, Run> last;
    private final ExecutorService runner;

    private Verifications(SystemAudit audit, VerifierKey key, Clock clock, Map<String, Run> last) {
        this.audit = audit;
        this.key = key;
        this.clock = clock;
        this.last = new ConcurrentHashMap<>(last);
        AtomicInteger n = new AtomicInteger();
        this.runner = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "vigil-verify-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Reads the last run of every tenant from the system ledger in {@code systemDir} (none when it does not exist yet).
     */
    public static Verifications open(Path systemDir, SystemAudit audit, VerifierKey key, Clock clock)
            throws IOException {
        Map<String, Run> found = new ConcurrentHashMap<>();
        if (Files.isDirectory(systemDir)) {
            try (LedgerReader reader = FileLedger.openReader(systemDir);
                 Stream<LedgerEntry> entries = reader.entries(reader.start(), reader.size())) {
                entries.map(LedgerEntry::event).filter(Verifications::isVerification).forEach(e ->
                        found.put(e.tenant().orElseThrow(), run(e)));
            } catch (UncheckedIOException e) {
                throw e.getCause();
            }
        }
        return new Verifications(audit, key, clock, found);
    }

    private static boolean isVerification(AuditEvent e) {
        return (e.type().equals(EventCatalog.AUDIT_VERIFICATION_PASSED.name())
                || e.type().equals(EventCatalog.AUDIT_VERIFICATION_FAILED.name())) && e.tenant().isPresent();
    }

    /** A run as its audit event recorded it; details an older server did not record read as none. */
    private static Run run(AuditEvent e) {
        Map<String, Object> d = e.details();
        OptionalLong seq = d.get(SEQ) instanceof Number n ? OptionalLong.of(n.longValue()) : OptionalLong.empty();
        Optional<Hash> root = d.get(ROOT) instanceof String hex ? Optional.of(Hash.fromHex(hex)) : Optional.empty();
        List<String> warnings = new ArrayList<>();
        if (d.get(WARNINGS) instanceof List<?> list) {
            list.forEach(w -> warnings.add(String.valueOf(w)));
        }
        VerificationReport report = new VerificationReport(number(d, SIZE), (int) number(d, CHECKPOINTS), seq,
                e.reason(), warnings, root);
        String by = e.actor().flatMap(a -> a.id()).orElse("");
        return new Run(e.timestamp(), by, number(d, MILLIS), report);
    }

    private static long number(Map<String, Object> details, String name) {
        return details.get(name) instanceof Number n ? n.longValue() : 0;
    }

    /** The last run on the tenant's ledger, by this server or an earlier one on the same directory. */
    public Optional<Run> last(String tenant) {
        return Optional.ofNullable(last.get(tenant));
    }

    /**
     * Verifies the tenant's whole ledger for {@code by}, telling {@code watcher}, on the calling thread, how far it is:
     * as soon as the size is known, then at most every 250 ms or every 5 %, and last 100 %. The run is recorded in
     * the server's audit trail and becomes the tenant's {@link #last}, whether or not the watcher stayed.
     */
    public Run verify(TenantLedger ledger, Principal by, ProgressWatcher watcher) throws IOException {
        AtomicLong total = new AtomicLong(-1);
        AtomicLong read = new AtomicLong();
        long started = System.nanoTime();
        Future<VerificationReport> running = runner.submit(() -> ledger.verify(key, total::set,
                n -> read.accumulateAndGet(n, Math::max)));
        Watch watch = new Watch(ledger.tenant(), watcher);
        VerificationReport report;
        while (true) {
            try {
                report = running.get(POLL_MS, TimeUnit.MILLISECONDS);
                break;
            } catch (TimeoutException e) {
                if (total.get() >= 0) {
                    watch.update(Progress.of(read.get(), total.get()));
                }
            } catch (InterruptedException e) {
                // The run goes on to its end and releases the ledger; only this caller stops waiting for it.
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while verifying tenant " + ledger.tenant(), e);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof IOException io) {
                    throw io;
                }
                if (e.getCause() instanceof RuntimeException r) {
                    throw r;
                }
                throw new IllegalStateException("verifying tenant " + ledger.tenant() + " failed", e.getCause());
            }
        }
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        long size = Math.max(total.get(), 0);
        watch.finish(Progress.of(size, size));
        // Millisecond precision, as the audit event keeps it, so the run read back after a restart is the same.
        Run run = new Run(clock.instant().truncatedTo(ChronoUnit.MILLIS), by.keyId(), millis, report);
        audit.verified(by, report, run.at(), millis);
        last.put(ledger.tenant(), run);
        LOG.info("tenant {}: verification {} after {} ms: {} entries, {} checkpoints", ledger.tenant(),
                report.intact() ? "passed" : "FAILED at seq " + report.firstBadSeq().orElse(-1) + ": "
                        + report.reason().orElse(""), millis, report.entries(), report.checkpointsVerified());
        return run;
    }

    /** Passes progress on to one watcher, spaced out, and to the server's log, less often. */
    private static final class Watch {
        private final String tenant;
        private final ProgressWatcher watcher;
        private boolean watching = true;
        private int shownPercent = -1;
        private long shownAt;
        private long loggedAt = System.nanoTime();

        Watch(String tenant, ProgressWatcher watcher) {
            this.tenant = tenant;
            this.watcher = watcher;
        }

        void update(Progress p) {
            long now = System.nanoTime();
            boolean due = shownPercent < 0 || p.percent() >= shownPercent + STEP_PERCENT
                    || now - shownAt >= TimeUnit.MILLISECONDS.toNanos(WATCH_EVERY_MS);
            if (p.percent() > shownPercent && due) {
                show(p, now);
            }
            if (now - loggedAt >= TimeUnit.MILLISECONDS.toNanos(LOG_EVERY_MS)) {
                LOG.info("tenant {}: verifying, {} % ({} of {} bytes)", tenant, p.percent(), p.bytes(), p.of());
                loggedAt = now;
            }
        }

        void finish(Progress p) {
            if (shownPercent < 0) {
                show(Progress.of(0, p.of()), System.nanoTime());
            }
            if (shownPercent < 100) {
                show(p, System.nanoTime());
            }
        }

        private void show(Progress p, long now) {
            shownPercent = p.percent();
            shownAt = now;
            if (!watching) {
                return;
            }
            try {
                watcher.progress(p);
            } catch (IOException e) {
                watching = false;
                LOG.info("tenant {}: the client watching the verification left ({}); the run goes on", tenant,
                        e.toString());
            }
        }
    }

    /** Stops the runner; a run still going is left to finish on its daemon thread. */
    @Override
    public void close() {
        runner.shutdown();
    }
}
