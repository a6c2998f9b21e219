package io.vigil.server.internal;

import io.vigil.event.AuditEvent;
import io.vigil.internal.Redactor;
import io.vigil.ledger.FileLedger;
import io.vigil.ledger.LedgerEntry;
import io.vigil.ledger.LedgerOptions;
import io.vigil.ledger.LedgerReader;
import io.vigil.ledger.LedgerStore;
import io.vigil.ledger.LedgerVerifier;
import io.vigil.ledger.StoredCheckpoint;
import io.vigil.ledger.VerificationReport;
import io.vigil.ledger.checkpoint.VerifierKey;
import io.vigil.redact.RedactionPolicy;
import io.vigil.sink.EntryPosition;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * One tenant's ledger, a file ledger of its own: its writer, a reader, and the index of event ids that makes a
 * re-post answer with the receipt already given instead of writing the event twice. One writer at a time: appends
 * are serialized here.
 */
public final class TenantLedger implements AutoCloseable {
    private final String tenant;
    private final Path dir;
    private final LedgerStore store;
    private final LedgerReader reader;
    private final Redactor redactor = new Redactor(RedactionPolicy.DEFAULT, true);
    /** Every event id in the ledger, with its receipt; read from the ledger on open. */
    private final Map<UUID, Receipt> receipts = new ConcurrentHashMap<>();

    private TenantLedger(String tenant, Path dir, LedgerStore store, LedgerReader reader) {
        this.tenant = tenant;
        this.dir = dir;
        this.store = store;
        this.reader = reader;
    }

    /** Opens (or creates) the ledger in {@code dir} and reads its event ids. */
    static TenantLedger open(String tenant, Path dir, LedgerOptions options) throws IOException {
        LedgerStore store = FileLedger.open(dir, options);
        LedgerReader reader;
        try {
            reader = FileLedger.openReader(dir);
        } catch (IOException | RuntimeException e) {
            store.close();
            throw e;
        }
        TenantLedger ledger = new TenantLedger(tenant, dir, store, reader);
        long size = reader.size();
        if (size > reader.start()) {
            try (Stream<LedgerEntry> entries = reader.entries(reader.start(), size)) {
                entries.forEach(e -> ledger.receipts.put(e.event().id(), new Receipt(e.event().id(), e.seq(),
                        e.hash())));
            }
        }
        return ledger;
    }

    public String tenant() {
        return tenant;
    }

    public Path dir() {
        return dir;
    }

    public LedgerReader reader() {
        return reader;
    }

    /** The receipt of an event already in the ledger. */
    public Optional<Receipt> receipt(UUID id) {
        return Optional.ofNullable(receipts.get(id));
    }

    /** Events and failures per category over time, for the viewer's chart ({@link Timeline#scan}). */
    public Timeline timeline(Optional<Instant> since, Optional<Instant> until, int buckets) throws IOException {
        return Timeline.scan(reader, since, until, buckets);
    }

    /** The receipts of a batch, one per event in order, and how many of its events were new to the ledger. */
    public record Appended(List<Receipt> receipts, int written) {
    }

    /**
     * Appends the events not yet in the ledger, redacted as any Vigil log redacts, and returns once they are durable:
     * a receipt per event, in order; an event whose id is already in the ledger (or earlier in the same batch) gets the
     * receipt it already has and is not written again.
     *
     * @throws IOException when they could not be made durable; none of them is then in the ledger
     */
    public synchronized Appended append(List<AuditEvent> events) throws IOException {
        Map<UUID, AuditEvent> fresh = new LinkedHashMap<>();
        for (AuditEvent e : events) {
            if (!receipts.containsKey(e.id())) {
                fresh.putIfAbsent(e.id(), redactor.apply(e));
            }
        }
        if (!fresh.isEmpty()) {
            List<AuditEvent> toWrite = new ArrayList<>(fresh.values());
            List<EntryPosition> positions = store.append(toWrite);
            Map<UUID, Receipt> written = new HashMap<>();
            for (int i = 0; i < toWrite.size(); i++) {
                EntryPosition p = positions.get(i);
                UUID id = toWrite.get(i).id();
                written.put(id, new Receipt(id, p.seq(), p.hash()));
            }
            receipts.putAll(written);
        }
        List<Receipt> out = new ArrayList<>(events.size());
        for (AuditEvent e : events) {
            out.add(receipts.get(e.id()));
        }
        return new Appended(out, fresh.size());
    }

    /**
     * Verifies the whole ledger against the server's key. Appends wait meanwhile, so the verifier reads a ledger that
     * does not move under it.
     */
    public synchronized VerificationReport verify(VerifierKey key) throws IOException {
        return LedgerVerifier.of(dir).key(key).verify();
    }

    /** Signs a checkpoint of the current size now, when entries were added since the last. */
    public synchronized void checkpoint() throws IOException {
        // The store signs whenever asked; reads and the timer ask often, and an unchanged ledger needs no new note.
        List<StoredCheckpoint> cps = reader.checkpoints();
        long signed = cps.isEmpty() ? 0 : cps.get(cps.size() - 1).size();
        if (store.size() > signed) {
            store.checkpoint();
        }
    }

    @Override
    public synchronized void close() throws IOException {
        try {
            store.close();
        } finally {
            reader.close();
        }
    }
}
