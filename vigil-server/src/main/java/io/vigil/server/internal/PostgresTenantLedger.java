package io.vigil.server.internal;

import com.zaxxer.hikari.HikariDataSource;
import io.vigil.event.AuditEvent;
import io.vigil.event.Category;
import io.vigil.event.Outcome;
import io.vigil.ledger.AuditQuery;
import io.vigil.ledger.LedgerEntry;
import io.vigil.ledger.LedgerOptions;
import io.vigil.ledger.LedgerReader;
import io.vigil.ledger.LedgerStore;
import io.vigil.ledger.QueryPage;
import io.vigil.ledger.VerificationReport;
import io.vigil.ledger.checkpoint.VerifierKey;
import io.vigil.postgres.PostgresLedger;
import io.vigil.postgres.PostgresVerifier;
import io.vigil.server.internal.index.EventIndex;
import io.vigil.sink.EntryPosition;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.LongConsumer;

/**
 * One tenant's ledger in PostgreSQL, in a schema of its own ({@link PostgresTenants}): the store, a reader, and the
 * tenant's connection pool, whose connections search that schema alone. Queries use PostgreSQL's indexes through the
 * reader; event ids are looked up in the chain's unique index, so a re-post is answered with the receipt already
 * given. One writer at a time: appends are serialized here.
 */
public final class PostgresTenantLedger implements TenantLedger {
    private final String tenant;
    private final HikariDataSource pool;
    private final LedgerStore store;
    private final LedgerReader reader;

    private PostgresTenantLedger(String tenant, HikariDataSource pool, LedgerStore store, LedgerReader reader) {
        this.tenant = tenant;
        this.pool = pool;
        this.store = store;
        this.reader = reader;
    }

    /** Opens the ledger in the schema {@code pool} searches (migrated already); the pool is closed with it. */
    static PostgresTenantLedger open(String tenant, HikariDataSource pool, LedgerOptions options) throws IOException {
        LedgerStore store = PostgresLedger.open(pool, options);
        try {
            return new PostgresTenantLedger(tenant, pool, store, PostgresLedger.openReader(pool));
        } catch (IOException | RuntimeException e) {
            store.close();
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

    @Override
    public Optional<Receipt> receipt(UUID id) throws IOException {
        return Optional.ofNullable(PostgresLedger.positions(pool, List.of(id)).get(id))
                .map(p -> new Receipt(id, p.seq(), p.hash()));
    }

    /**
     * The reader's query, on PostgreSQL's indexes, oldest first; category and outcome, which it does not filter on,
     * are filtered here page by page (of the largest size, so a rare match costs few round trips) until the page is
     * full or the ledger ends.
     */
    @Override
    public Selected select(AuditQuery query, Optional<Category> category, Optional<Outcome> outcome,
                           boolean newestFirst) throws IOException {
        if (newestFirst) {
            throw new UnsupportedQuery("order=desc is not available when the tenants' ledgers are in PostgreSQL:"
                    + " page oldest first (order=asc) and narrow with since and until");
        }
        if (category.isEmpty() && outcome.isEmpty()) {
            QueryPage page = reader.query(query);
            return new Selected(page.entries(), page.nextCursor().isPresent());
        }
        List<LedgerEntry> found = new ArrayList<>();
        AuditQuery page = query.limit(AuditQuery.MAX_LIMIT);
        while (true) {
            QueryPage result = reader.query(page);
            for (LedgerEntry e : result.entries()) {
                if (category.map(c -> c == e.event().category()).orElse(true)
                        && outcome.map(o -> o == e.event().outcome()).orElse(true)) {
                    if (found.size() == query.limit()) {
                        return new Selected(found, true); // one more matches: there is a next page
                    }
                    found.add(e);
                }
            }
            if (result.nextCursor().isEmpty()) {
                return new Selected(found, false);
            }
            page = page.after(result.nextCursor().get());
        }
    }

    @Override
    public synchronized Appended append(List<AuditEvent> events) throws IOException {
        Map<UUID, Receipt> receipts = new HashMap<>();
        PostgresLedger.positions(pool, events.stream().map(AuditEvent::id).distinct().toList())
                .forEach((id, p) -> receipts.put(id, new Receipt(id, p.seq(), p.hash())));
        Map<UUID, AuditEvent> fresh = new LinkedHashMap<>();
        for (AuditEvent e : events) {
            if (!receipts.containsKey(e.id())) {
                fresh.putIfAbsent(e.id(), EventRedaction.apply(e));
            }
        }
        if (!fresh.isEmpty()) {
            List<AuditEvent> toWrite = new ArrayList<>(fresh.values());
            List<EntryPosition> positions = store.append(toWrite);
            for (int i = 0; i < toWrite.size(); i++) {
                UUID id = toWrite.get(i).id();
                receipts.put(id, new Receipt(id, positions.get(i).seq(), positions.get(i).hash()));
            }
        }
        List<Receipt> out = new ArrayList<>(events.size());
        for (AuditEvent e : events) {
            out.add(receipts.get(e.id()));
        }
        return new Appended(out, fresh.size());
    }

    /** Appends wait meanwhile, so the verifier reads a ledger that this server does not move under it. */
    @Override
    public synchronized VerificationReport verify(VerifierKey key, LongConsumer total, LongConsumer done)
            throws IOException {
        total.accept(reader.size()); // PostgreSQL's verifier counts entries, not bytes
        return PostgresVerifier.of(pool).key(key).progress(done).verify();
    }

    @Override
    public synchronized void checkpoint() throws IOException {
        TenantLedger.checkpointIfGrown(store, reader);
    }

    @Override
    public Optional<long[]> minutes() throws IOException {
        return PostgresLedger.minutes(pool).map(m -> new long[] {m.first(), m.last()});
    }

    @Override
    public List<EventIndex.MinuteCount> timeline(long first, long end, long width) throws IOException {
        return PostgresLedger.timeline(pool, first, end, width).stream()
                .map(r -> new EventIndex.MinuteCount(r.minute(), r.category(), r.events(), r.failures())).toList();
    }

    @Override
    public synchronized void close() throws IOException {
        try {
            store.close();
        } finally {
            try {
                reader.close();
            } finally {
                pool.close();
            }
        }
    }
}
