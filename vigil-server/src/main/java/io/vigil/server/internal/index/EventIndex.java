package io.vigil.server.internal.index;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.vigil.event.Actor;
import io.vigil.event.AuditEvent;
import io.vigil.event.Category;
import io.vigil.event.Outcome;
import io.vigil.event.Target;
import io.vigil.ledger.AuditQuery;
import io.vigil.ledger.LedgerEntry;
import io.vigil.ledger.LedgerReader;
import io.vigil.server.internal.Receipt;
import io.vigil.server.internal.Timeline;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * A tenant's query index: a row per ledger entry (seq, id, time, type, category, outcome, actor, ip, resource, hash)
 * and counts per minute and category, in an embedded SQLite database beside the ledgers. The ledger stays the truth:
 * the index only says which seqs to read, it is rebuilt from the ledger when it is missing, unreadable, behind or
 * does not match it, and nothing here ever writes to the ledger.
 *
 * <p>SQLite because it is the most used embedded database there is, keeps a whole index in one file, plans queries
 * over secondary indexes (an index on a column also orders its rows by seq, the rowid, which is what paging by seq
 * needs) and lets readers run beside the one writer (WAL). Commits are not synced: a crash can only leave the index
 * behind the ledger, and opening it catches up.
 *
 * <p>Rows live in segments of {@value #SEGMENT_ROWS} seqs, a table each ({@code seg_<n>}); a segment gets its
 * secondary indexes when it is full, built in one pass, which costs an event a third of what keeping them up to
 * date row by row does. A query walks the segments in seq order and stops once its page is full; in the newest
 * segment, not indexed yet, it scans at most that many rows. Event ids, for receipts, are in one table over all
 * segments.
 *
 * <p>One writer: {@link #add} and {@link #catchUp} are called with the tenant ledger's lock held, and the writer's
 * connection is used under this object's lock. Rows are committed in groups ({@value #COMMIT_ROWS} rows or
 * {@value #COMMIT_MILLIS} ms), since every commit rewrites each index page it touched and a page per batch per actor
 * and address would cost more than the ledger's own write; a read commits what is pending first, so it sees every
 * event acknowledged before it. Reads use a small pool of their own connections.
 */
public final class EventIndex implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EventIndex.class);
    private static final String FORMAT = "vigil-index/3";
    /** Seqs per segment table; see the class comment. */
    static final int SEGMENT_ROWS = 65_536;
    /** The columns a full segment indexes, one index each; outcome (four values, most common) is not. */
    private static final List<String> INDEXED = List.of("type", "category", "actor", "ip", "rtype, rid");
    private static final int CATCH_UP_BATCH = 10_000;
    private static final long PROGRESS_EVERY_NANOS = 5_000_000_000L;
    /** SQLite's default limit on parameters is far above this; batches of ids are looked up this many at a time. */
    private static final int IDS_PER_LOOKUP = 500;
    private static final HexFormat HEX = HexFormat.of();
    private static final int COMMIT_ROWS = 50_000;
    private static final long COMMIT_MILLIS = 1_000;
    /** Page cache of the writer, in KiB: it holds the pages a group of rows dirties until they are committed. */
    private static final int WRITER_CACHE_KIB = 64 * 1024;
    private static final int READER_CACHE_KIB = 8 * 1024;

    private final Path file;
    private final String tenant;
    private final Connection writer;
    private final int segmentRows;
    private final PreparedStatement insertId;
    private final PreparedStatement upsertMinute;
    /** The segment rows are being added to, and its insert; guarded by this. */
    private long segment = -1;
    private PreparedStatement insertRow;
    private final HikariDataSource readers;
    /** Entries indexed: the next seq to index. Written under the ledger's lock, read by anyone. */
    private volatile long indexed;
    /** The next seq to index as of the last commit: what readers see, and what a failed group leaves. */
    private volatile long committed;
    /** Rows added since the last commit, and when the first of them was. Guarded by this. */
    private int pending;
    private long pendingSinceNanos;

    private EventIndex(Path file, String tenant, Connection writer, HikariDataSource readers, long indexed,
                       int segmentRows) throws SQLException {
        this.file = file;
        this.tenant = tenant;
        this.writer = writer;
        this.readers = readers;
        this.indexed = indexed;
        this.committed = indexed;
        this.segmentRows = segmentRows;
        this.insertId = writer.prepareStatement("INSERT OR REPLACE INTO ids (id, seq, hash) VALUES (?, ?, ?)");
        this.upsertMinute = writer.prepareStatement("INSERT INTO timeline (minute, category, events, failures,"
                + " first_seq, last_seq) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (minute, category) DO UPDATE SET"
                + " events = events + excluded.events, failures = failures + excluded.failures,"
                + " first_seq = MIN(first_seq, excluded.first_seq), last_seq = MAX(last_seq, excluded.last_seq)");
    }

    /**
     * Opens the index in {@code file} for the ledger {@code ledger} reads, rebuilding it when it is missing, cannot
     * be read or was made from another ledger, and catching it up when it is behind.
     */
    public static EventIndex open(Path file, String tenant, LedgerReader ledger) throws IOException {
        return open(file, tenant, ledger, SEGMENT_ROWS);
    }

    /** As {@link #open(Path, String, LedgerReader)}, with segments of {@code segmentRows} (tests use small ones). */
    static EventIndex open(Path file, String tenant, LedgerReader ledger, int segmentRows) throws IOException {
        Files.createDirectories(file.getParent());
        String origin = ledger.origin();
        EventIndex index;
        try {
            index = openMatching(file, tenant, origin, ledger, segmentRows);
        } catch (SQLException e) {
            LOG.warn("tenant {}: the query index {} cannot be read ({}); rebuilding it from the ledger", tenant,
                    file.getFileName(), e.getMessage());
            delete(file);
            try {
                index = openMatching(file, tenant, origin, ledger, segmentRows);
            } catch (SQLException again) {
                throw new IOException("cannot create the query index " + file + ": " + again.getMessage(), again);
            }
        }
        try {
            index.catchUp(ledger);
        } catch (IOException | RuntimeException e) {
            index.close();
            throw e;
        }
        return index;
    }

    private static EventIndex openMatching(Path file, String tenant, String origin, LedgerReader ledger,
                                           int segmentRows) throws SQLException, IOException {
        Connection writer = connect(file, false);
        try {
            Map<String, String> meta = meta(writer);
            long indexed = Long.parseLong(meta.getOrDefault("indexed", "0"));
            String why = mismatch(meta, origin, indexed, ledger);
            if (why == null && !Integer.toString(segmentRows).equals(meta.get("segment_rows"))) {
                why = "its segments hold " + meta.get("segment_rows") + " rows, this server's " + segmentRows;
            }
            if (why != null) {
                if (!meta.isEmpty()) {
                    LOG.warn("tenant {}: rebuilding the query index from the ledger: {}", tenant, why);
                }
                // A new file rather than emptied tables: an index of another format may have other tables.
                writer.close();
                delete(file);
                writer = connect(file, false);
                createSchema(writer);
                writeMeta(writer, "format", FORMAT);
                writeMeta(writer, "origin", origin);
                writeMeta(writer, "segment_rows", Integer.toString(segmentRows));
                writeMeta(writer, "indexed", "0");
                writer.commit();
                indexed = 0;
            }
            writer.setAutoCommit(false); // rows are committed in groups
            // A crash while a full segment's indexes were being built leaves it without them: build them now.
            for (long full : segments(writer)) {
                if ((full + 1) * segmentRows <= indexed) {
                    indexSegment(writer, full);
                }
            }
            writer.commit();
            return new EventIndex(file, tenant, writer, readPool(file), indexed, segmentRows);
        } catch (SQLException | IOException | RuntimeException e) {
            try {
                writer.close();
            } catch (SQLException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    /** Why an index cannot be used for this ledger, or null when it can (perhaps behind). */
    private static String mismatch(Map<String, String> meta, String origin, long indexed, LedgerReader ledger)
            throws IOException {
        if (meta.isEmpty()) {
            return "there was none";
        }
        if (!FORMAT.equals(meta.get("format"))) {
            return "it has format " + meta.get("format") + ", this server writes " + FORMAT;
        }
        if (!origin.equals(meta.get("origin"))) {
            return "it was made from the ledger " + meta.get("origin") + ", not " + origin;
        }
        long size = ledger.size();
        if (indexed > size) {
            return "it holds " + indexed + " entries, the ledger " + size;
        }
        if (indexed > ledger.start() && !ledger.entry(indexed - 1).hash().equals(meta.get("last_hash"))) {
            return "its entry " + (indexed - 1) + " differs from the ledger's";
        }
        return null;
    }

    private static Connection connect(Path file, boolean readOnly) throws SQLException {
        return dataSource(file, readOnly).getConnection();
    }

    private static SQLiteDataSource dataSource(Path file, boolean readOnly) {
        SQLiteConfig config = new SQLiteConfig();
        config.setCacheSize(-(readOnly ? READER_CACHE_KIB : WRITER_CACHE_KIB));
        config.setTempStore(SQLiteConfig.TempStore.MEMORY);
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        // Not synced: the ledger is durable, and an index a crash left behind is caught up on open.
        config.setSynchronous(SQLiteConfig.SynchronousMode.OFF);
        config.setBusyTimeout(10_000);
        config.setReadOnly(readOnly);
        SQLiteDataSource ds = new SQLiteDataSource(config);
        ds.setUrl("jdbc:sqlite:" + file.toAbsolutePath());
        return ds;
    }

    private static HikariDataSource readPool(Path file) {
        HikariConfig config = new HikariConfig();
        config.setDataSource(dataSource(file, true));
        config.setPoolName("vigil-index-" + file.getFileName());
        config.setMaximumPoolSize(4);
        config.setMinimumIdle(0);
        config.setReadOnly(true);
        return new HikariDataSource(config);
    }

    private static void createSchema(Connection c) throws SQLException {
        c.setAutoCommit(false);
        try (Statement s = c.createStatement()) {
            s.executeUpdate("CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL)"
                    + " WITHOUT ROWID");
            s.executeUpdate("CREATE TABLE IF NOT EXISTS ids (id BLOB PRIMARY KEY, seq INTEGER NOT NULL,"
                    + " hash BLOB NOT NULL) WITHOUT ROWID");
            s.executeUpdate("CREATE TABLE IF NOT EXISTS timeline (minute INTEGER NOT NULL, category TEXT NOT NULL,"
                    + " events INTEGER NOT NULL, failures INTEGER NOT NULL, first_seq INTEGER NOT NULL,"
                    + " last_seq INTEGER NOT NULL, PRIMARY KEY (minute, category)) WITHOUT ROWID");
        }
        c.commit();
    }

    private static String table(long segment) {
        return "seg_" + segment;
    }

    /** The segments that have a table, in order. */
    private static List<Long> segments(Connection c) throws SQLException {
        List<Long> out = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT name FROM sqlite_master"
                + " WHERE type = 'table' AND name GLOB 'seg_[0-9]*'")) {
            while (rs.next()) {
                out.add(Long.parseLong(rs.getString(1).substring(4)));
            }
        }
        out.sort(null);
        return out;
    }

    private static void createSegment(Connection c, long segment) throws SQLException {
        try (Statement s = c.createStatement()) {
            // seq is the rowid, so every index of the segment also orders its rows by seq.
            s.executeUpdate("CREATE TABLE IF NOT EXISTS " + table(segment) + " (seq INTEGER PRIMARY KEY,"
                    + " ts INTEGER NOT NULL, type TEXT NOT NULL, category TEXT NOT NULL, outcome TEXT NOT NULL,"
                    + " actor TEXT, ip TEXT, rtype TEXT, rid TEXT)");
        }
    }

    private static void indexSegment(Connection c, long segment) throws SQLException {
        try (Statement s = c.createStatement()) {
            for (String column : INDEXED) {
                s.executeUpdate("CREATE INDEX IF NOT EXISTS " + table(segment) + "_" + column.replace(", ", "_")
                        + " ON " + table(segment) + " (" + column + ")");
            }
        }
    }

    /** The index's bookkeeping; empty when it has none (a new file). */
    private static Map<String, String> meta(Connection c) throws SQLException {
        Map<String, String> meta = new HashMap<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM sqlite_master"
                + " WHERE type = 'table' AND name = 'meta'")) {
            if (!rs.next() || rs.getInt(1) == 0) {
                return meta;
            }
        }
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT name, value FROM meta")) {
            while (rs.next()) {
                meta.put(rs.getString(1), rs.getString(2));
            }
        }
        return meta;
    }

    private static void writeMeta(Connection c, String name, String value) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("INSERT OR REPLACE INTO meta (name, value) VALUES (?, ?)")) {
            p.setString(1, name);
            p.setString(2, value);
            p.executeUpdate();
        }
    }

    private static void delete(Path file) throws IOException {
        for (String suffix : List.of("", "-wal", "-shm")) {
            Files.deleteIfExists(file.resolveSibling(file.getFileName() + suffix));
        }
    }

    /** The next seq to index as of the last commit: every entry before it is seen by every reader. */
    public long committed() {
        return committed;
    }

    /** The next seq to index: every entry before it is in the index. */
    public long indexed() {
        return indexed;
    }

    /** Indexes the entries the ledger holds beyond the index, logging progress when that takes a while. */
    public synchronized void catchUp(LedgerReader ledger) throws IOException {
        long size = ledger.size();
        long from = Math.max(indexed, ledger.start());
        if (from >= size) {
            return;
        }
        indexed = from; // entries before the ledger's start were pruned: there is nothing to read there
        long began = System.nanoTime();
        long lastLog = began;
        long total = size - from;
        try (Stream<LedgerEntry> entries = ledger.entries(from, size)) {
            Iterator<LedgerEntry> it = entries.iterator();
            List<Row> batch = new ArrayList<>(CATCH_UP_BATCH);
            while (it.hasNext()) {
                LedgerEntry e = it.next();
                batch.add(new Row(e.seq(), e.event(), e.hash()));
                if (batch.size() == CATCH_UP_BATCH || !it.hasNext()) {
                    add(batch);
                    batch.clear();
                    long now = System.nanoTime();
                    if (now - lastLog > PROGRESS_EVERY_NANOS) {
                        lastLog = now;
                        LOG.info("tenant {}: indexing the ledger: {} of {} entries ({}%)", tenant,
                                indexed - from, total, (indexed - from) * 100 / total);
                    }
                }
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        commitPending();
        long millis = (System.nanoTime() - began) / 1_000_000;
        if (millis > 1_000) {
            LOG.info("tenant {}: indexed {} entries of the ledger in {} ms", tenant, total, millis);
        }
    }

    /** An entry to index: its seq, event and hash (hex). */
    public record Row(long seq, AuditEvent event, String hash) {
    }

    /**
     * Adds entries just appended to the ledger, in seq order and starting at {@link #indexed()}; one transaction.
     *
     * @throws IOException when the index could not take them; it is then behind and {@link #catchUp} fills it in
     */
    public synchronized void add(List<Row> rows) throws IOException {
        if (rows.isEmpty()) {
            return;
        }
        if (rows.get(0).seq() != indexed) {
            throw new IllegalStateException("the index is at seq " + indexed + " but was given seq "
                    + rows.get(0).seq() + ": catch up first");
        }
        Map<Long, Map<Category, long[]>> minutes = new TreeMap<>();
        try {
            for (Row r : rows) {
                AuditEvent e = r.event();
                Optional<Actor> actor = e.actor();
                Optional<Target> target = e.target();
                long rowSegment = r.seq() / segmentRows;
                if (rowSegment != segment) {
                    startSegment(rowSegment);
                }
                insertRow.setLong(1, r.seq());
                insertRow.setLong(2, micros(e.timestamp()));
                insertRow.setString(3, e.type());
                insertRow.setString(4, e.category().jsonName());
                insertRow.setString(5, e.outcome().jsonName());
                insertRow.setString(6, actor.flatMap(Actor::id).orElse(null));
                insertRow.setString(7, actor.flatMap(Actor::ip).orElse(null));
                insertRow.setString(8, target.map(Target::type).orElse(null));
                insertRow.setString(9, target.flatMap(Target::id).orElse(null));
                insertRow.addBatch();
                insertId.setBytes(1, bytes(e.id()));
                insertId.setLong(2, r.seq());
                insertId.setBytes(3, HEX.parseHex(r.hash()));
                insertId.addBatch();
                if ((r.seq() + 1) % segmentRows == 0) {
                    // The segment is full: its rows in, then its indexes built in one pass.
                    insertRow.executeBatch();
                    indexSegment(writer, rowSegment);
                }
                long[] counts = minutes.computeIfAbsent(Math.floorDiv(e.timestamp().getEpochSecond(), 60L),
                        m -> new EnumMap<>(Category.class)).computeIfAbsent(e.category(),
                        c -> new long[] {0, 0, r.seq(), r.seq()});
                counts[0]++;
                counts[3] = r.seq(); // rows come in seq order: the first one seen is the first seq
                if (Timeline.failed(e.outcome())) {
                    counts[1]++;
                }
            }
            insertRow.executeBatch();
            insertId.executeBatch();
            for (Map.Entry<Long, Map<Category, long[]>> m : minutes.entrySet()) {
                for (Map.Entry<Category, long[]> c : m.getValue().entrySet()) {
                    upsertMinute.setLong(1, m.getKey());
                    upsertMinute.setString(2, c.getKey().jsonName());
                    upsertMinute.setLong(3, c.getValue()[0]);
                    upsertMinute.setLong(4, c.getValue()[1]);
                    upsertMinute.setLong(5, c.getValue()[2]);
                    upsertMinute.setLong(6, c.getValue()[3]);
                    upsertMinute.addBatch();
                }
            }
            upsertMinute.executeBatch();
            Row last = rows.get(rows.size() - 1);
            writeMeta(writer, "indexed", Long.toString(last.seq() + 1));
            writeMeta(writer, "last_hash", last.hash());
            indexed = last.seq() + 1;
            if (pending == 0) {
                pendingSinceNanos = System.nanoTime();
            }
            pending += rows.size();
            if (pending >= COMMIT_ROWS || System.nanoTime() - pendingSinceNanos >= COMMIT_MILLIS * 1_000_000) {
                commit();
            }
        } catch (SQLException e) {
            rollBack(e);
            throw new IOException("tenant " + tenant + ": the query index could not take seqs " + rows.get(0).seq()
                    + " to " + last(rows).seq() + ": " + e.getMessage(), e);
        }
    }

    /** Rows of {@code next} come now: its table is made (the statement of the one before is done with). */
    private void startSegment(long next) throws SQLException {
        if (insertRow != null) {
            insertRow.executeBatch();
            insertRow.close();
        }
        createSegment(writer, next);
        insertRow = writer.prepareStatement("INSERT OR REPLACE INTO " + table(next) + " (seq, ts, type, category,"
                + " outcome, actor, ip, rtype, rid) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
        segment = next;
    }

    /**
     * Undoes the rows not yet committed after {@code failure}: the index is where its last commit left it, and
     * catches up from the ledger.
     */
    private void rollBack(SQLException failure) {
        try {
            writer.rollback();
        } catch (SQLException suppressed) {
            failure.addSuppressed(suppressed);
        }
        forgetSegment();
        indexed = committed;
        pending = 0;
    }

    /** After a rollback the segment's table may be gone with it: start it afresh with the next row. */
    private void forgetSegment() {
        if (insertRow != null) {
            try {
                insertRow.close();
            } catch (SQLException e) {
                LOG.warn("tenant {}: closing an insert of the query index: {}", tenant, e.getMessage());
            }
        }
        insertRow = null;
        segment = -1;
    }

    private void commit() throws SQLException {
        writer.commit();
        committed = indexed;
        pending = 0;
    }

    /** Commits the rows added since the last commit, so that readers see them. */
    public synchronized void commitPending() throws IOException {
        if (pending == 0) {
            return;
        }
        try {
            commit();
        } catch (SQLException e) {
            rollBack(e);
            throw new IOException("tenant " + tenant + ": the query index could not commit: " + e.getMessage(), e);
        }
    }

    private static Row last(List<Row> rows) {
        return rows.get(rows.size() - 1);
    }

    /**
     * The receipts of the given event ids that the index has committed ({@link #committed()}), looked up with a
     * reader's connection, so that a lookup does not wait for rows being added.
     */
    public Map<UUID, Receipt> receipts(Collection<UUID> ids) throws IOException {
        Map<UUID, Receipt> found = new HashMap<>();
        List<UUID> all = new ArrayList<>(ids);
        try (Connection c = readers.getConnection()) {
            for (int from = 0; from < all.size(); from += IDS_PER_LOOKUP) {
                List<UUID> part = all.subList(from, Math.min(all.size(), from + IDS_PER_LOOKUP));
                found.putAll(lookUp(c, part));
            }
        } catch (SQLException e) {
            throw new IOException("tenant " + tenant + ": cannot look up event ids in the query index: "
                    + e.getMessage(), e);
        }
        return found;
    }

    /** The receipt of one event, looked up by any reader. */
    public Optional<Receipt> receipt(UUID id) throws IOException {
        commitPending();
        try (Connection c = readers.getConnection()) {
            return Optional.ofNullable(lookUp(c, List.of(id)).get(id));
        } catch (SQLException e) {
            throw new IOException("tenant " + tenant + ": cannot look up event " + id + ": " + e.getMessage(), e);
        }
    }

    private static Map<UUID, Receipt> lookUp(Connection c, List<UUID> ids) throws SQLException {
        Map<UUID, Receipt> found = new HashMap<>();
        String marks = String.join(", ", Collections.nCopies(ids.size(), "?"));
        try (PreparedStatement p = c.prepareStatement("SELECT id, seq, hash FROM ids WHERE id IN (" + marks
                + ")")) {
            for (int i = 0; i < ids.size(); i++) {
                p.setBytes(i + 1, bytes(ids.get(i)));
            }
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    UUID id = uuid(rs.getBytes(1));
                    found.put(id, new Receipt(id, rs.getLong(2), HEX.formatHex(rs.getBytes(3))));
                }
            }
        }
        return found;
    }

    /** A page of seqs the filters select, and whether more follow. */
    public record Page(List<Long> seqs, boolean more) {
    }

    /**
     * The seqs of the entries that match every filter of {@code query} (its cursor included) and the category and
     * outcome, at or after {@code start} (the oldest seq the ledger still holds), oldest first or newest first.
     */
    public Page select(AuditQuery query, Optional<Category> category, Optional<Outcome> outcome, boolean newestFirst,
                       long start) throws IOException {
        commitPending();
        try (Connection c = readers.getConnection()) {
            long first = start;
            long last = Long.MAX_VALUE;
            if (query.from().isPresent() || query.to().isPresent()) {
                Optional<long[]> range = seqRange(c, query.from(), query.to());
                if (range.isEmpty()) {
                    return new Page(List.of(), false);
                }
                first = Math.max(first, range.get()[0]);
                last = range.get()[1];
            }
            StringBuilder where = new StringBuilder(" WHERE seq >= ? AND seq <= ?");
            List<Object> args = new ArrayList<>();
            OptionalLong cursor = query.cursorSeq();
            if (cursor.isPresent()) {
                if (newestFirst) {
                    last = Math.min(last, cursor.getAsLong() - 1);
                } else {
                    first = Math.max(first, cursor.getAsLong() + 1);
                }
            }
            query.type().ifPresent(t -> {
                if (t.endsWith(".*")) {
                    String prefix = t.substring(0, t.length() - 1);
                    // Every type that starts with "a.b." sorts at or after it and before "a.b/" ('/' follows '.').
                    where.append(" AND type >= ? AND type < ?");
                    args.add(prefix);
                    args.add(prefix.substring(0, prefix.length() - 1) + '/');
                } else {
                    where.append(" AND type = ?");
                    args.add(t);
                }
            });
            equal(where, args, "category", category.map(Category::jsonName));
            equal(where, args, "outcome", outcome.map(Outcome::jsonName));
            equal(where, args, "actor", query.user());
            equal(where, args, "ip", query.ip());
            equal(where, args, "rtype", query.resourceType());
            equal(where, args, "rid", query.resourceId());
            query.from().ifPresent(f -> {
                where.append(" AND ts >= ?");
                args.add(micros(f));
            });
            query.to().ifPresent(t -> {
                where.append(" AND ts < ?");
                args.add(micros(t));
            });
            where.append(newestFirst ? " ORDER BY seq DESC" : " ORDER BY seq").append(" LIMIT ?");
            List<Long> seqs = new ArrayList<>(Math.min(query.limit() + 1, 1024));
            List<Long> tables = segments(c);
            if (newestFirst) {
                Collections.reverse(tables);
            }
            for (long seg : tables) {
                long segFirst = seg * segmentRows;
                long segLast = segFirst + segmentRows - 1;
                if (segLast < first || segFirst > last) {
                    continue;
                }
                try (PreparedStatement p = c.prepareStatement("SELECT seq FROM " + table(seg) + where)) {
                    int i = 1;
                    p.setLong(i++, Math.max(first, segFirst));
                    p.setLong(i++, Math.min(last, segLast));
                    for (Object arg : args) {
                        p.setObject(i++, arg);
                    }
                    p.setInt(i, query.limit() + 1 - seqs.size());
                    try (ResultSet rs = p.executeQuery()) {
                        while (rs.next()) {
                            seqs.add(rs.getLong(1));
                        }
                    }
                }
                if (seqs.size() > query.limit()) {
                    break;
                }
            }
            boolean more = seqs.size() > query.limit();
            return new Page(more ? seqs.subList(0, query.limit()) : seqs, more);
        } catch (SQLException e) {
            throw new IOException("tenant " + tenant + ": the query index failed: " + e.getMessage(), e);
        }
    }

    /**
     * The first and last seq of the events whose time can fall in [from, to): those of the minutes the range touches,
     * which the timeline keeps exactly whatever order the events' times came in. Empty when no event is there.
     */
    private static Optional<long[]> seqRange(Connection c, Optional<Instant> from, Optional<Instant> to)
            throws SQLException {
        long firstMinute = from.map(f -> Math.floorDiv(f.getEpochSecond(), 60L)).orElse(Long.MIN_VALUE);
        // to is exclusive: an instant exactly on a minute's start does not reach into that minute.
        long lastMinute = to.map(t -> Math.floorDiv(t.minusNanos(1).getEpochSecond(), 60L)).orElse(Long.MAX_VALUE);
        try (PreparedStatement p = c.prepareStatement("SELECT MIN(first_seq), MAX(last_seq), COUNT(*) FROM timeline"
                + " WHERE minute >= ? AND minute <= ?")) {
            p.setLong(1, firstMinute);
            p.setLong(2, lastMinute);
            try (ResultSet rs = p.executeQuery()) {
                rs.next();
                return rs.getLong(3) == 0 ? Optional.empty() : Optional.of(new long[] {rs.getLong(1), rs.getLong(2)});
            }
        }
    }

    private static void equal(StringBuilder sql, List<Object> args, String column, Optional<String> value) {
        value.ifPresent(v -> {
            sql.append(" AND ").append(column).append(" = ?");
            args.add(v);
        });
    }

    /** Events and failures (any outcome but success) of one category in one minute. */
    public record MinuteCount(long minute, Category category, long events, long failures) {
    }

    /** The first and last minute (epoch minutes) that hold events, when any does. */
    public Optional<long[]> minutes() throws IOException {
        commitPending();
        try (Connection c = readers.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT MIN(minute), MAX(minute), COUNT(*) FROM timeline")) {
            rs.next();
            return rs.getLong(3) == 0 ? Optional.empty() : Optional.of(new long[] {rs.getLong(1), rs.getLong(2)});
        } catch (SQLException e) {
            throw new IOException("tenant " + tenant + ": the query index failed: " + e.getMessage(), e);
        }
    }

    /**
     * Counts per category in buckets of {@code width} minutes from minute {@code first} (inclusive) to {@code end}
     * (exclusive); each row's {@code minute} is its bucket's first minute.
     */
    public List<MinuteCount> timeline(long first, long end, long width) throws IOException {
        List<MinuteCount> rows = new ArrayList<>();
        commitPending();
        try (Connection c = readers.getConnection();
             PreparedStatement p = c.prepareStatement("SELECT (minute - ?) / ? AS bucket, category, SUM(events),"
                     + " SUM(failures) FROM timeline WHERE minute >= ? AND minute < ? GROUP BY bucket, category"
                     + " ORDER BY bucket, category")) {
            p.setLong(1, first);
            p.setLong(2, width);
            p.setLong(3, first);
            p.setLong(4, end);
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    rows.add(new MinuteCount(first + rs.getLong(1) * width, Category.fromJson(rs.getString(2)),
                            rs.getLong(3), rs.getLong(4)));
                }
            }
        } catch (SQLException e) {
            throw new IOException("tenant " + tenant + ": the query index failed: " + e.getMessage(), e);
        }
        return rows;
    }

    private static long micros(Instant t) {
        return ChronoUnit.MICROS.between(Instant.EPOCH, t);
    }

    private static byte[] bytes(UUID id) {
        return ByteBuffer.allocate(16).putLong(id.getMostSignificantBits()).putLong(id.getLeastSignificantBits())
                .array();
    }

    private static UUID uuid(byte[] b) {
        ByteBuffer bb = ByteBuffer.wrap(b);
        return new UUID(bb.getLong(), bb.getLong());
    }

    /** The index's file. */
    public Path file() {
        return file;
    }

    @Override
    public synchronized void close() {
        try {
            commitPending();
        } catch (IOException e) {
            LOG.warn("{}; it catches up from the ledger when opened", e.getMessage());
        }
        readers.close();
        try {
            writer.close();
        } catch (SQLException e) {
            LOG.warn("tenant {}: closing the query index: {}", tenant, e.getMessage());
        }
    }
}
