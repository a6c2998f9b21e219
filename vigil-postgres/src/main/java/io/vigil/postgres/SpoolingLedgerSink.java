package io.vigil.postgres;

import io.vigil.event.AuditEvent;
import io.vigil.ledger.LedgerStore;
import io.vigil.postgres.internal.PostgresStore;
import io.vigil.postgres.internal.Spool;
import io.vigil.sink.AuditSink;
import io.vigil.sink.EntryPosition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * A PostgreSQL ledger sink that survives the database going away: a batch the database cannot take because it is
 * unreachable goes to a local {@link Spool} (forced to disk before the batch's receipts complete), and so does every
 * batch after it, to keep the order; the spool is replayed, oldest first, as soon as the database answers again, and
 * only then do new batches go straight to the database. Replay skips events whose id the ledger already holds, so an
 * append whose commit succeeded but whose answer was lost is not written twice. Receipts of spooled events carry no
 * seq (it is assigned at replay). Errors other than an unreachable database (a missing privilege, a missing schema)
 * are not spooled: they fail the batch as any sink failure does.
 */
public final class SpoolingLedgerSink implements AuditSink {
    private static final Logger LOG = LoggerFactory.getLogger(SpoolingLedgerSink.class);
    private static final int REPLAY_CHUNK = 500;

    private final PostgresStore store;
    private final Spool spool;
    private final Path dir;
    private final Duration retryEvery;
    private final Clock clock;
    private Instant nextAttempt = Instant.MIN;
    private boolean down;
    private long spooled;
    private long replayed;
    private long skipped;
    private long outages;

    /**
     * A sink for {@code store} (from {@link PostgresLedger#open}) that spools to {@code spoolDir} (created 0700) while
     * the database is unreachable, trying it again at most every 5 seconds and on every {@code flush()}. Events left
     * in the spool by an earlier run are replayed first.
     */
    public static SpoolingLedgerSink open(LedgerStore store, Path spoolDir) throws IOException {
        return open(store, spoolDir, Duration.ofSeconds(5), Clock.systemUTC());
    }

    /** As {@link #open(LedgerStore, Path)}, trying the database again at most every {@code retryEvery}. */
    public static SpoolingLedgerSink open(LedgerStore store, Path spoolDir, Duration retryEvery, Clock clock)
            throws IOException {
        if (!(store instanceof PostgresStore pg)) {
            throw new IllegalArgumentException("a spooling sink needs a store from PostgresLedger.open, not "
                    + store.getClass().getSimpleName());
        }
        if (retryEvery.isNegative() || retryEvery.isZero()) {
            throw new IllegalArgumentException("retryEvery must be positive, was " + retryEvery);
        }
        return new SpoolingLedgerSink(pg, spoolDir, retryEvery, clock);
    }

    private SpoolingLedgerSink(PostgresStore store, Path spoolDir, Duration retryEvery, Clock clock) throws IOException {
        this.store = store;
        this.dir = spoolDir;
        this.spool = new Spool(spoolDir);
        this.retryEvery = retryEvery;
        this.clock = clock;
        if (!spool.isEmpty()) {
            LOG.warn("PostgreSQL ledger {}: {} spooled event(s) in {} from an earlier outage will be replayed first",
                    store.origin(), spool.pending(), dir);
        }
    }

    @Override
    public List<EntryPosition> write(List<AuditEvent> batch) throws IOException {
        if (!spool.isEmpty()) {
            replay();
        }
        if (spool.isEmpty()) {
            try {
                return store.append(batch);
            } catch (IOException e) {
                if (!unreachable(e)) {
                    throw e;
                }
                wentDown(e, batch);
            }
        }
        spool.append(batch);
        spooled += batch.size();
        return List.of();
    }

    /** Replays what the spool holds while the database takes it; stops quietly at the first connection failure. */
    private void replay() throws IOException {
        Instant now = clock.instant();
        if (down && now.isBefore(nextAttempt)) {
            return;
        }
        long before = replayed;
        try {
            while (true) {
                Spool.Chunk chunk = spool.next(REPLAY_CHUNK);
                if (chunk.events().isEmpty()) {
                    break;
                }
                Set<UUID> present = store.existingIds(chunk.events().stream().map(AuditEvent::id).toList());
                List<AuditEvent> missing = new ArrayList<>(chunk.events().size());
                for (AuditEvent e : chunk.events()) {
                    if (!present.contains(e.id())) {
                        missing.add(e);
                    }
                }
                if (!missing.isEmpty()) {
                    store.append(missing);
                }
                skipped += chunk.events().size() - missing.size();
                replayed += missing.size();
                spool.replayed(chunk);
            }
        } catch (IOException e) {
            if (!unreachable(e)) {
                throw e;
            }
            down = true;
            nextAttempt = now.plus(retryEvery);
            return;
        }
        if (down || replayed > before) {
            LOG.warn("PostgreSQL ledger {}: the database is back; {} spooled event(s) replayed in order ({} already"
                    + " there, skipped), writing directly again", store.origin(), replayed - before, skipped);
        }
        down = false;
    }

    private void wentDown(IOException e, List<AuditEvent> batch) {
        outages++;
        down = true;
        nextAttempt = clock.instant().plus(retryEvery);
        AuditEvent first = batch.get(0);
        LOG.error("PostgreSQL ledger {}: the database is unreachable ({}); spooling to {} and replaying when it"
                        + " returns; first spooled event id={} type={} requestId={} sessionId={} traceId={}",
                store.origin(), e.getMessage(), dir, first.id(), first.type(), first.requestId().orElse("-"),
                first.sessionId().orElse("-"), first.traceId().orElse("-"));
    }

    /** True for failures that mean "the database is not there right now", which waiting can cure. */
    static boolean unreachable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && sql.getSQLState() != null) {
                String s = sql.getSQLState();
                // 08: connection exceptions; 57P01-57P03: shut down, crashed, not yet accepting; 53300: too many
                if (s.startsWith("08") || s.startsWith("57P") || s.equals("53300")) {
                    return true;
                }
            }
            if (t instanceof ConnectException || t instanceof SocketException) {
                return true;
            }
        }
        return false;
    }

    /** Tries to empty the spool (the pipeline calls this on {@code flush()}). */
    @Override
    public void flush() throws IOException {
        if (!spool.isEmpty()) {
            down = false; // a flush asks for an attempt now
            replay();
        }
    }

    /** What the sink has spooled and replayed, for monitoring. */
    public SpoolStats stats() {
        return new SpoolStats(spooled, replayed, skipped, spool.pending(), outages, down);
    }

    @Override
    public void close() throws IOException {
        try {
            flush();
            if (!spool.isEmpty()) {
                LOG.warn("PostgreSQL ledger {}: closing with {} event(s) still spooled in {}; they are replayed when"
                        + " the ledger is next opened with this spool", store.origin(), spool.pending(), dir);
            }
        } finally {
            spool.close();
            store.close();
        }
    }

}
