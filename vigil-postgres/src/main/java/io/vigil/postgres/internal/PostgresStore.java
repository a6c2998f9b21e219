package io.vigil.postgres.internal;

import io.vigil.event.AuditEvent;
import io.vigil.json.CanonicalBuffer;
import io.vigil.ledger.Hash;
import io.vigil.ledger.LedgerOptions;
import io.vigil.ledger.LedgerStore;
import io.vigil.ledger.checkpoint.SignedCheckpoint;
import io.vigil.ledger.internal.CheckpointPublisher;
import io.vigil.ledger.internal.EntryCodec;
import io.vigil.ledger.internal.Ranges;
import io.vigil.ledger.merkle.ConsistencyProof;
import io.vigil.ledger.merkle.InclusionProof;
import io.vigil.ledger.merkle.MerkleHashes;
import io.vigil.ledger.merkle.Proofs;
import io.vigil.ledger.merkle.TreeBuilder;
import io.vigil.postgres.PostgresLedger;
import io.vigil.sink.EntryPosition;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The ledger in PostgreSQL. Any number of stores, in any number of processes, may append to the same database: each
 * append is one transaction that copies in its events' query rows, then takes a transaction-scoped advisory lock,
 * reads the chain head, copies in the chain rows and the Merkle nodes they complete ({@code COPY ... FROM STDIN}), and
 * commits. The lock serializes appenders, so seqs are gapless and the chain
 * has no fork; a transaction that fails leaves nothing behind, and the lock goes with it. A receipt is returned
 * after the commit, which with PostgreSQL's default {@code synchronous_commit = on} is durable.
 */
public final class PostgresStore implements LedgerStore {
    private static final Logger LOG = LoggerFactory.getLogger(PostgresStore.class);
    /** The step of a plain append: nothing beyond the entries. */
    private static final PostgresLedger.AppendStep NO_STEP = c -> { };
    /** The advisory lock every appender takes ("VIGIL_LG"); one ledger per database. */
    static final long APPEND_LOCK = 0x5649_4749_4C5F_4C47L;
    /** The ledger's size: one past the last entry, or where it was last pruned to, or 0. */
    private static final String SIZE = "coalesce((SELECT seq + 1 FROM security_audit_chain ORDER BY seq DESC LIMIT 1),"
            + " (SELECT upto FROM security_audit_pruned ORDER BY upto DESC LIMIT 1), 0)";
    /**
     * The appender's lock; the chain head (the last entry, else the last cut), newest first; and the Merkle frontier
     * at the ledger's size: the node of each set bit of the size, read by the primary key.
     */
    private static final String LOCK_AND_HEAD = "SELECT pg_advisory_xact_lock(" + APPEND_LOCK + ");"
            + " SELECT * FROM (SELECT 0 AS src, seq + 1, hash FROM security_audit_chain ORDER BY seq DESC LIMIT 1) h"
            + " UNION ALL SELECT * FROM (SELECT 1, upto, last_hash FROM security_audit_pruned ORDER BY upto DESC LIMIT 1) p"
            + " ORDER BY src;"
            + " SELECT l.level, n.hash FROM (SELECT " + SIZE + " AS size) s CROSS JOIN generate_series(0, 62) AS l(level)"
            + " JOIN security_audit_merkle_node n ON n.level = l.level AND n.idx = (s.size >> l.level) - 1"
            + " WHERE ((s.size >> l.level) & 1) = 1";
    /** Bytes of rows sent to the server at a time while an append computes the chain. */
    private static final int COPY_CHUNK = 64 * 1024;

    private final DataSource dataSource;
    private final LedgerOptions options;
    private final String genesis;
    private final EntryCodec codec = new EntryCodec(List.of());
    private final CanonicalBuffer lineBuffer = new CanonicalBuffer(1024);
    private final CopyBinary copyChunk = new CopyBinary(COPY_CHUNK + 4096);
    private final CheckpointPublisher publisher;
    private long knownSize;
    private boolean closed;

    private PostgresStore(DataSource dataSource, LedgerOptions options, long lastCheckpointSize, long size) {
        this.dataSource = dataSource;
        this.options = options;
        this.genesis = EntryCodec.genesis(options.origin());
        this.publisher = new CheckpointPublisher(options, new CheckpointTable(), lastCheckpointSize, options.origin());
        this.knownSize = size;
    }

    /**
     * Opens the ledger in the database behind {@code dataSource}, recording its origin on first use.
     *
     * @throws IOException when the schema is missing, the database holds another ledger, or it cannot be reached
     */
    public static PostgresStore open(DataSource dataSource, LedgerOptions options) throws IOException {
        Objects.requireNonNull(dataSource, "dataSource");
        Objects.requireNonNull(options, "options");
        if (!options.hmacKeys().isEmpty()) {
            throw new IllegalArgumentException("keyed mode (HMAC key epochs) is not available in the PostgreSQL store;"
                    + " open it in plain mode");
        }
        try (Connection c = dataSource.getConnection()) {
            Optional<String> origin = readOrigin(c);
            if (origin.isEmpty()) {
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO security_audit_ledger (origin, format)"
                        + " VALUES (?, 1) ON CONFLICT DO NOTHING")) {
                    ps.setString(1, options.origin());
                    ps.executeUpdate();
                }
                origin = readOrigin(c);
            }
            if (!origin.orElseThrow().equals(options.origin())) {
                throw new IOException("the database holds the ledger of origin '" + origin.get() + "', not '"
                        + options.origin() + "'");
            }
            long lastCheckpoint;
            try (Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT coalesce(max(tree_size), 0) FROM security_audit_checkpoint")) {
                rs.next();
                lastCheckpoint = rs.getLong(1);
            }
            return new PostgresStore(dataSource, options, lastCheckpoint, size(c));
        } catch (SQLException e) {
            throw failure("cannot open the ledger", e);
        }
    }

    private static Optional<String> readOrigin(Connection c) throws SQLException {
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT origin FROM security_audit_ledger")) {
            return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
        }
    }

    @Override
    public String origin() {
        return options.origin();
    }

    /**
     * The ledger's size now, read from the database (other writers may have appended since this store did).
     *
     * @throws java.io.UncheckedIOException when the database cannot be read
     */
    @Override
    public long size() {
        try (Connection c = dataSource.getConnection()) {
            knownSize = size(c);
            return knownSize;
        } catch (SQLException e) {
            throw new UncheckedIOException(failure("cannot read the ledger's size", e));
        }
    }

    /** The ledger's size as {@code c} sees it: one past the last seq, or where it was last pruned to. */
    public static long sizeOf(Connection c) throws SQLException {
        return size(c);
    }

    static long size(Connection c) throws SQLException {
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT seq FROM security_audit_chain ORDER BY seq DESC LIMIT 1")) {
            if (rs.next()) {
                return rs.getLong(1) + 1;
            }
        }
        return Cut.latest(c).map(Cut::upto).orElse(0L);
    }

    @Override
    public List<EntryPosition> append(List<AuditEvent> events) throws IOException {
        return append(events, NO_STEP);
    }

    /**
     * Appends events as {@link #append(List)} does, and runs {@code beforeCommit} in the same transaction, after the
     * rows are in and before the commit, so that what it writes is durable together with the entries or not at all.
     * With no events the step alone runs in a transaction of its own.
     *
     * @throws IOException when the step or the append fails; the transaction is then rolled back
     */
    public List<EntryPosition> append(List<AuditEvent> events, PostgresLedger.AppendStep beforeCommit)
            throws IOException {
        requireOpen();
        Objects.requireNonNull(beforeCommit, "beforeCommit");
        if (events.isEmpty()) {
            if (beforeCommit != NO_STEP) {
                stepAlone(beforeCommit);
            }
            return List.of();
        }
        List<EntryPosition> positions = new ArrayList<>(events.size());
        long first = -1;
        // Everything that does not depend on the chain is done before the lock, so that writers overlap on it:
        // the query columns in binary COPY form, and the event's canonical bytes (a template with slots for prevHash, seq
        // and hash).
        int n = events.size();
        CopyBinary eventRows = new CopyBinary(256 * n).header();
        CanonicalBuffer templates = new CanonicalBuffer(512 * n);
        int[] starts = new int[n + 1];
        int[] slots = new int[3 * n];
        for (int i = 0; i < n; i++) {
            AuditEvent e = events.get(i);
            Columns.appendEventRow(e, eventRows);
            starts[i] = templates.length();
            EntryCodec.writeTemplate(e, templates, slots, 3 * i);
        }
        eventRows.trailer();
        starts[n] = templates.length();
        try (Connection c = dataSource.getConnection()) {
            boolean autoCommit = c.getAutoCommit();
            c.setAutoCommit(false);
            CopyIn copy = null;
            try {
                // The events' rows (their query columns and indexes: most of the server's work) go in first, while
                // other appenders do the same; the lock is taken only to chain them.
                copy = c.unwrap(PGConnection.class).getCopyAPI().copyIn(Columns.COPY_EVENTS);
                copy.writeToCopy(eventRows.array(), 0, eventRows.length());
                copy.endCopy();
                copy = null;
                // One round trip while others wait: the lock, then (each statement seeing what committed before it
                // ran, so after the lock) the chain head or the cut the chain goes on from, then the Merkle frontier.
                long seq = -1;
                String prev = null;
                Map<Integer, Hash> frontierNodes = new HashMap<>();
                try (Statement st = c.createStatement()) {
                    st.execute(LOCK_AND_HEAD);
                    for (int result = 0; result < 3; result++) {
                        if (result > 0 && !st.getMoreResults()) {
                            throw new SQLException("the lock-and-head query returned " + result + " results, not 3");
                        }
                        try (ResultSet rs = st.getResultSet()) {
                            while (rs.next()) {
                                if (result == 1 && seq < 0) {
                                    seq = rs.getLong(2);
                                    prev = rs.getString(3);
                                } else if (result == 2) {
                                    frontierNodes.put(rs.getInt(1), Hash.wrap(rs.getBytes(2)));
                                }
                            }
                        }
                    }
                }
                if (seq < 0) {
                    seq = 0; // a new ledger
                    prev = genesis;
                }
                first = seq;
                CopyBinary nodes = new CopyBinary(100 * n).header();
                TreeBuilder tree = new TreeBuilder(MerkleNodes.frontier(seq, frontierNodes),
                        (level, index, hash) -> MerkleNodes.appendCopyRow(level, index, hash.bytes(), nodes));
                // The rows stream to the server while the chain is computed, so that it parses and indexes one
                // chunk while the next is hashed: the lock is held for the server's work, not for ours too.
                copy = c.unwrap(PGConnection.class).getCopyAPI().copyIn(Columns.COPY_CHAIN);
                CopyBinary chunk = copyChunk.reset().header();
                byte[] t = templates.array();
                byte[] prevHex = prev.getBytes(StandardCharsets.US_ASCII);
                for (int i = 0; i < n; i++) {
                    lineBuffer.reset();
                    byte[] h = codec.encodeTemplate(t, starts[i], starts[i + 1], slots, 3 * i, seq, prevHex,
                            lineBuffer);
                    byte[] hashHex = codec.lastHashHexBytes();
                    Columns.appendChainRow(seq, events.get(i).id(), lineBuffer.array(), lineBuffer.length() - 1,
                            prevHex, hashHex, chunk);
                    tree.append(Hash.wrap(h));
                    positions.add(new EntryPosition(seq, new String(hashHex, StandardCharsets.US_ASCII)));
                    prevHex = hashHex;
                    seq++;
                    if (i == n - 1) {
                        chunk.trailer();
                    }
                    if (chunk.length() >= COPY_CHUNK || i == n - 1) {
                        copy.writeToCopy(chunk.array(), 0, chunk.length());
                        chunk.reset();
                    }
                }
                copy.endCopy();
                copy = c.unwrap(PGConnection.class).getCopyAPI().copyIn(MerkleNodes.COPY);
                nodes.trailer();
                copy.writeToCopy(nodes.array(), 0, nodes.length());
                copy.endCopy();
                copy = null;
                beforeCommit.run(c);
                c.commit();
                knownSize = seq;
            } catch (SQLException | RuntimeException e) {
                try {
                    if (copy != null && copy.isActive()) {
                        copy.cancelCopy();
                    }
                    c.rollback();
                } catch (SQLException again) {
                    e.addSuppressed(again);
                }
                throw e;
            } finally {
                restoreAutoCommit(c, autoCommit);
            }
        } catch (SQLException e) {
            throw failure("cannot append " + events.size() + " entries" + (first >= 0 ? " at seq " + first : ""), e);
        }
        try {
            publisher.afterAppend(knownSize);
        } catch (IOException | RuntimeException e) {
            LOG.error("ledger {}: could not write a checkpoint at size {} ({}); the next append tries again",
                    options.origin(), knownSize, e.toString());
        }
        return positions;
    }

    private void stepAlone(PostgresLedger.AppendStep step) throws IOException {
        try (Connection c = dataSource.getConnection()) {
            boolean autoCommit = c.getAutoCommit();
            c.setAutoCommit(false);
            try {
                step.run(c);
                c.commit();
            } catch (SQLException | RuntimeException e) {
                try {
                    c.rollback();
                } catch (SQLException again) {
                    e.addSuppressed(again);
                }
                throw e;
            } finally {
                restoreAutoCommit(c, autoCommit);
            }
        } catch (SQLException e) {
            throw failure("cannot run a statement in a transaction of its own", e);
        }
    }

    private static void restoreAutoCommit(Connection c, boolean autoCommit) {
        try {
            c.setAutoCommit(autoCommit);
        } catch (SQLException e) {
            LOG.warn("could not restore auto-commit on a ledger connection: {}", e.toString());
        }
    }

    @Override
    public Optional<SignedCheckpoint> checkpoint() throws IOException {
        return publisher.publish();
    }

    /** Keeps this store's checkpoints: a row each in {@code security_audit_checkpoint}. */
    private final class CheckpointTable implements CheckpointPublisher.Store {
        @Override
        public long size() throws IOException {
            try (Connection c = dataSource.getConnection()) {
                return PostgresStore.size(c);
            } catch (SQLException e) {
                throw failure("cannot read the ledger's size", e);
            }
        }

        @Override
        public Hash root(long treeSize) throws IOException {
            return PostgresStore.this.root(treeSize);
        }

        @Override
        public void keep(SignedCheckpoint signed, Instant at) throws IOException {
            try (Connection c = dataSource.getConnection();
                 PreparedStatement ps = c.prepareStatement("INSERT INTO security_audit_checkpoint (tree_size, root,"
                         + " note, created_at) VALUES (?, ?, ?, ?) ON CONFLICT (tree_size) DO NOTHING")) {
                ps.setLong(1, signed.checkpoint().size());
                ps.setString(2, signed.checkpoint().root().hex());
                ps.setString(3, signed.encode());
                // The time the publisher signed it by the store's clock, as the file store records it.
                ps.setObject(4, OffsetDateTime.ofInstant(at, ZoneOffset.UTC));
                ps.executeUpdate();
            } catch (SQLException e) {
                throw failure("cannot write a checkpoint", e);
            }
            knownSize = signed.checkpoint().size();
        }

        @Override
        public ConsistencyProof consistencyProof(long size1, long size2) throws IOException {
            return PostgresStore.this.consistencyProof(size1, size2);
        }
    }

    @Override
    public List<SignedCheckpoint> checkpoints() throws IOException {
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT note FROM security_audit_checkpoint ORDER BY tree_size")) {
            List<SignedCheckpoint> out = new ArrayList<>();
            while (rs.next()) {
                out.add(SignedCheckpoint.parse(rs.getString(1)));
            }
            return out;
        } catch (SQLException e) {
            throw failure("cannot read the checkpoints", e);
        }
    }

    @Override
    public Hash root(long treeSize) throws IOException {
        try (Connection c = dataSource.getConnection()) {
            Ranges.requireSize(treeSize, size(c));
            return treeSize == 0 ? MerkleHashes.emptyRoot() : Proofs.root(new MerkleNodes(c, treeSize), treeSize);
        } catch (SQLException e) {
            throw failure("cannot read the root at size " + treeSize, e);
        }
    }

    @Override
    public Hash entryHash(long seq) throws IOException {
        return Hash.fromHex(column("hash", seq));
    }

    @Override
    public String line(long seq) throws IOException {
        return column("entry", seq);
    }

    private String column(String column, long seq) throws IOException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT " + column + " FROM security_audit_chain WHERE seq = ?")) {
            ps.setLong(1, seq);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    Ranges.requireSeq(seq, size(c)); // within the size and still absent: pruned
                    throw new IllegalArgumentException("seq " + seq + " is not in the ledger (it was pruned)");
                }
                return rs.getString(1);
            }
        } catch (SQLException e) {
            throw failure("cannot read " + column + " of seq " + seq, e);
        }
    }

    /** Which of {@code ids} the ledger already holds (replaying a spool must not write an event twice). */
    public Set<UUID> existingIds(List<UUID> ids) throws IOException {
        Set<UUID> out = new HashSet<>();
        if (ids.isEmpty()) {
            return out;
        }
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT id FROM security_audit_chain WHERE id = ANY(?)")) {
            ps.setArray(1, c.createArrayOf("uuid", ids.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getObject(1, UUID.class));
                }
            }
            return out;
        } catch (SQLException e) {
            throw failure("cannot look up " + ids.size() + " event ids", e);
        }
    }

    @Override
    public InclusionProof inclusionProof(long seq, long treeSize) throws IOException {
        try (Connection c = dataSource.getConnection()) {
            Ranges.requireInclusion(seq, treeSize, size(c));
            return Proofs.inclusion(new MerkleNodes(c, treeSize), seq, treeSize);
        } catch (SQLException e) {
            throw failure("cannot prove seq " + seq + " in the tree of size " + treeSize, e);
        }
    }

    @Override
    public ConsistencyProof consistencyProof(long size1, long size2) throws IOException {
        try (Connection c = dataSource.getConnection()) {
            Ranges.requireConsistency(size1, size2, size(c));
            return Proofs.consistency(new MerkleNodes(c, size2), size1, size2);
        } catch (SQLException e) {
            throw failure("cannot prove consistency from size " + size1 + " to " + size2, e);
        }
    }

    private void requireOpen() throws IOException {
        if (closed) {
            throw new IOException("ledger " + options.origin() + " is closed");
        }
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        try {
            publisher.publishFinal();
        } finally {
            closed = true;
        }
    }

    static IOException failure(String what, SQLException e) {
        String state = e.getSQLState();
        String hint = "42P01".equals(state) ? " (the Vigil schema is missing: run PostgresSchema.migrate first)"
                : "42501".equals(state) ? " (the database user lacks a privilege; see docs/postgres.md for the roles)"
                : "";
        return new IOException("PostgreSQL ledger: " + what + ": " + e.getMessage() + hint, e);
    }
}
