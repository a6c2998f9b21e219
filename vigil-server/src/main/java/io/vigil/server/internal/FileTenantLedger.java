package io.vigil.server.internal;

import io.vigil.event.AuditEvent;
import io.vigil.event.Category;
import io.vigil.event.Outcome;
import io.vigil.ledger.AuditQuery;
import io.vigil.ledger.FileLedger;
import io.vigil.ledger.LedgerEntry;
import io.vigil.ledger.LedgerOptions;
import io.vigil.ledger.LedgerReader;
import io.vigil.ledger.LedgerStore;
import io.vigil.ledger.LedgerVerifier;
import io.vigil.ledger.VerificationReport;
import io.vigil.ledger.checkpoint.VerifierKey;
import io.vigil.server.internal.index.EventIndex;
import io.vigil.sink.EntryPosition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongConsumer;
import java.util.stream.Stream;

/**
 * A tenant's ledger as a file ledger of its own: its writer, a reader, and its query index, which also finds the
 * event ids already written so a re-post is answered with the receipt already given instead of writing the event
 * twice. One writer at a time: appends are serialized here.
 */
public final class FileTenantLedger implements TenantLedger {
    private static final Logger LOG = LoggerFactory.getLogger(FileTenantLedger.class);
    private final String tenant;
    private final Path dir;
    private final LedgerStore store;
    private final LedgerReader reader;
    /** Seqs at most this far apart are read in one pass instead of two seeks. */
    private static final int READ_TOGETHER = 256;
    private final EventIndex index;
    /**
     * Ids appended but not yet committed in the index, with their receipts: still known when a re-post comes
     * meanwhile.
     */
    private final Map<UUID, Receipt> unindexed = new ConcurrentHashMap<>();
    /** Taken to add to the index, so batches are indexed one at a time, in seq order. */
    private final Object indexTurn = new Object();
    /** The committed seq up to which {@link #unindexed} was last swept. Guarded by indexTurn. */
    private long forgotten;
    /** The index failed to take rows: the next append catches it up from the ledger. Guarded by indexTurn. */
    private volatile boolean indexBehind;

    private FileTenantLedger(String tenant, Path dir, LedgerStore store, LedgerReader reader, EventIndex index) {
        this.tenant = tenant;
        this.dir = dir;
        this.store = store;
        this.reader = reader;
        this.index = index;
    }

    /** Opens (or creates) the ledger in {@code dir}, and its query index in {@code indexFile}, caught up. */
    static FileTenantLedger open(String tenant, Path dir, Path indexFile, LedgerOptions options)
            throws IOException {
        LedgerStore store = FileLedger.open(dir, options);
        LedgerReader reader = null;
        try {
            reader = FileLedger.openReader(dir);
            return new FileTenantLedger(tenant, dir, store, reader, EventIndex.open(indexFile, tenant, reader));
        } catch (IOException | RuntimeException e) {
            store.close();
            if (reader != null) {
                reader.close();
            }
            throw e;
        }
    }

    @Override
    public String tenant() {
        return tenant;
    }

    @Override
    public LedgerReader reader() {
        return reader;
    }

    /** The receipt of an event already in the ledger. */
    @Override
    public Optional<Receipt> receipt(UUID id) throws IOException {
        Receipt pending = unindexed.get(id);
        return pending != null ? Optional.of(pending) : index.receipt(id);
    }

    /** The query index: which seqs match a query, and the timeline's counts. */
    public EventIndex index() {
        return index;
    }

    /**
     * The entries that match every filter, read from the ledger at the seqs the index selects, oldest first or newest
     * first.
     */
    @Override
    public Selected select(AuditQuery query, Optional<Category> category, Optional<Outcome> outcome,
                           boolean newestFirst) throws IOException {
        EventIndex.Page page = index.select(query, category, outcome, newestFirst, reader.start());
        return new Selected(read(page.seqs()), page.more());
    }

    /**
     * The entries at {@code seqs}, in that order. Seqs close together are read in one pass, since the ledger finds a
     * seq by scanning from the nearest point of its sparse index.
     */
    private List<LedgerEntry> read(List<Long> seqs) throws IOException {
        if (seqs.isEmpty()) {
            return List.of();
        }
        long[] sorted = seqs.stream().mapToLong(Long::longValue).sorted().toArray();
        Map<Long, LedgerEntry> found = new HashMap<>();
        int i = 0;
        while (i < sorted.length) {
            int j = i;
            while (j + 1 < sorted.length && sorted[j + 1] - sorted[j] <= READ_TOGETHER) {
                j++;
            }
            try (Stream<LedgerEntry> run = reader.entries(sorted[i], sorted[j] + 1)) {
                int from = i;
                int to = j;
                run.filter(e -> Arrays.binarySearch(sorted, from, to + 1, e.seq()) >= 0)
                        .forEach(e -> found.put(e.seq(), e));
            } catch (UncheckedIOException e) {
                throw e.getCause();
            }
            i = j + 1;
        }
        List<LedgerEntry> out = new ArrayList<>(seqs.size());
        for (long seq : seqs) {
            out.add(found.get(seq));
        }
        return out;
    }

    @Override
    public Optional<long[]> minutes() throws IOException {
        return index.minutes();
    }

    @Override
    public List<EventIndex.MinuteCount> timeline(long first, long end, long width) throws IOException {
        return index.timeline(first, end, width);
    }

    /**
     * Appends the events not yet in the ledger, redacted as any Vigil log redacts, and returns once they are durable:
     * a receipt per event, in order; an event whose id is already in the ledger (or earlier in the same batch) gets the
     * receipt it already has and is not written again.
     *
     * @throws IOException when they could not be made durable; none of them is then in the ledger
     */
    @Override
    public Appended append(List<AuditEvent> events) throws IOException {
        Map<UUID, Receipt> receipts;
        List<EventIndex.Row> rows = new ArrayList<>();
        int written;
        // Redacted before the ledger's lock is taken, so that the lock is held for the lookup and the append only.
        List<AuditEvent> redacted = new ArrayList<>(events.size());
        for (AuditEvent e : events) {
            redacted.add(EventRedaction.apply(e));
        }
        synchronized (this) {
            if (indexBehind) {
                catchUpIndex();
            }
            receipts = index.receipts(events.stream().map(AuditEvent::id).toList());
            Map<UUID, AuditEvent> fresh = new LinkedHashMap<>();
            for (AuditEvent e : redacted) {
                Receipt pending = unindexed.get(e.id());
                if (pending != null) {
                    receipts.put(e.id(), pending);
                } else if (!receipts.containsKey(e.id())) {
                    fresh.putIfAbsent(e.id(), e);
                }
            }
            written = fresh.size();
            if (!fresh.isEmpty()) {
                List<AuditEvent> toWrite = new ArrayList<>(fresh.values());
                List<EntryPosition> positions = store.append(toWrite);
                for (int i = 0; i < toWrite.size(); i++) {
                    EntryPosition p = positions.get(i);
                    AuditEvent e = toWrite.get(i);
                    Receipt r = new Receipt(e.id(), p.seq(), p.hash());
                    receipts.put(e.id(), r);
                    unindexed.put(e.id(), r);
                    rows.add(new EventIndex.Row(p.seq(), e, p.hash()));
                }
            }
        }
        // Indexed after the ledger's lock is let go, so the next batch's append and force overlap this one's indexing;
        // answered only once indexed, so whoever reads next sees it.
        index(rows);
        List<Receipt> out = new ArrayList<>(events.size());
        for (AuditEvent e : events) {
            out.add(receipts.get(e.id()));
        }
        return new Appended(out, written);
    }

    /**
     * Adds rows just appended to the index, in seq order: a batch waits for the batches appended before it. Rows the
     * index already holds (a catch-up read them from the ledger) are not added twice. When the index fails, the rows
     * stay durable in the ledger and known by id, and the next append catches the index up from the ledger.
     */
    private void index(List<EventIndex.Row> rows) {
        if (rows.isEmpty()) {
            return;
        }
        long first = rows.get(0).seq();
        synchronized (indexTurn) {
            try {
                while (index.indexed() < first && !indexBehind) {
                    indexTurn.wait();
                }
                if (!indexBehind && index.indexed() == first) {
                    index.add(rows);
                }
                forgetCommitted();
            } catch (IOException e) {
                indexBehind = true;
                LOG.error("{}; it will catch up from the ledger before the next append", e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                indexBehind = true;
                LOG.error("tenant {}: interrupted while waiting to index seqs {} to {}; the index will catch up",
                        tenant, first, rows.get(rows.size() - 1).seq());
            } finally {
                indexTurn.notifyAll();
            }
        }
    }

    /**
     * Forgets the appended ids the index has committed: lookups read committed rows only, so an id stays here from
     * its append until then.
     */
    private void forgetCommitted() {
        long committed = index.committed();
        if (committed > forgotten) { // commits come every 50,000 rows or so: the sweep is rare
            unindexed.values().removeIf(r -> r.seq() < committed);
            forgotten = committed;
        }
    }

    /** With the ledger's lock held: indexes what the ledger holds beyond the index, from the ledger itself. */
    private void catchUpIndex() throws IOException {
        synchronized (indexTurn) {
            index.catchUp(reader);
            forgetCommitted();
            indexBehind = false;
            indexTurn.notifyAll();
        }
    }

    /**
     * Verifies the whole ledger against the server's key. Appends wait meanwhile, so the verifier reads a ledger that
     * does not move under it. {@code totalBytes} hears once, before the reading starts, how many bytes it will read;
     * {@code bytesRead} hears now and then how many it has read, from the verifier's threads.
     */
    @Override
    public synchronized VerificationReport verify(VerifierKey key, LongConsumer totalBytes, LongConsumer bytesRead)
            throws IOException {
        LedgerVerifier verifier = LedgerVerifier.of(dir).key(key).progress(bytesRead);
        totalBytes.accept(verifier.totalBytes());
        return verifier.verify();
    }

    /** Signs a checkpoint of the current size now, when entries were added since the last. */
    @Override
    public synchronized void checkpoint() throws IOException {
        TenantLedger.checkpointIfGrown(store, reader);
    }

    @Override
    public synchronized void close() throws IOException {
        try {
            store.close();
        } finally {
            try {
                reader.close();
            } finally {
                index.close();
            }
        }
    }
}
