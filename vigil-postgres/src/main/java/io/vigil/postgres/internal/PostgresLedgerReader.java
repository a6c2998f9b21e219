package io.vigil.postgres.internal;

import io.vigil.ledger.AuditQuery;
import io.vigil.ledger.Hash;
import io.vigil.ledger.LedgerEntry;
import io.vigil.ledger.LedgerReader;
import io.vigil.ledger.QueryPage;
import io.vigil.ledger.StoredCheckpoint;
import io.vigil.ledger.checkpoint.SignedCheckpoint;
import io.vigil.ledger.internal.Ranges;
import io.vigil.ledger.internal.read.EntryLines;
import io.vigil.ledger.merkle.ConsistencyProof;
import io.vigil.ledger.merkle.InclusionProof;
import io.vigil.ledger.merkle.MerkleHashes;
import io.vigil.ledger.merkle.Proofs;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * A PostgreSQL ledger read with SELECT alone (the {@code vigil_reader} role is enough): a connection per call, or per
 * stream for a range of entries. Rows are visible once committed, so only complete entries are ever seen.
 */
public final class PostgresLedgerReader implements LedgerReader {
    /** Rows fetched per round trip while streaming a range. */
    private static final int FETCH = 2_000;

    private final DataSource dataSource;
    private final String origin;

    private PostgresLedgerReader(DataSource dataSource, String origin) {
        this.dataSource = dataSource;
        this.origin = origin;
    }

    /**
     * A reader of the ledger in the database.
     *
     * @throws IOException when the database holds no ledger yet, or cannot be read
     */
    public static PostgresLedgerReader open(DataSource dataSource) throws IOException {
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT origin FROM security_audit_ledger")) {
            if (!rs.next()) {
                throw new IOException("PostgreSQL ledger: the database holds no ledger yet (no writer has opened it)");
            }
            return new PostgresLedgerReader(dataSource, rs.getString(1));
        } catch (SQLException e) {
            throw PostgresStore.failure("cannot read the origin", e);
        }
    }

    @Override
    public String origin() {
        return origin;
    }

    /** Keyed mode is not available for a database ledger. */
    @Override
    public boolean keyed() {
        return false;
    }

    @Override
    public long size() throws IOException {
        try (Connection c = dataSource.getConnection()) {
            return PostgresStore.sizeOf(c);
        } catch (SQLException e) {
            throw PostgresStore.failure("cannot read the ledger's size", e);
        }
    }

    @Override
    public long start() throws IOException {
        try (Connection c = dataSource.getConnection()) {
            return Cut.latest(c).map(Cut::upto).orElse(0L);
        } catch (SQLException e) {
            throw PostgresStore.failure("cannot read where the ledger starts", e);
        }
    }

    @Override
    public LedgerEntry entry(long seq) throws IOException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT entry FROM security_audit_chain WHERE seq = ?")) {
            ps.setLong(1, seq);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    return EntryLines.parse(rs.getString(1), seq);
                }
            }
            long size = PostgresStore.sizeOf(c);
            Ranges.requireSeq(seq, size);
            long start = Cut.latest(c).map(Cut::upto).orElse(0L);
            if (seq < start) {
                throw new IllegalArgumentException("seq " + seq + " was pruned from the ledger (it now starts at seq "
                        + start + ")");
            }
            throw new IOException("PostgreSQL ledger: seq " + seq + " is missing from security_audit_chain (size "
                    + size + ")");
        } catch (SQLException e) {
            throw PostgresStore.failure("cannot read seq " + seq, e);
        }
    }

    @Override
    public Stream<LedgerEntry> entries(long fromSeq, long toSeq) throws IOException {
        Connection c;
        try {
            c = dataSource.getConnection();
        } catch (SQLException e) {
            throw PostgresStore.failure("cannot read seqs " + fromSeq + " to " + toSeq, e);
        }
        try {
            Ranges.requireRange(fromSeq, toSeq, PostgresStore.sizeOf(c));
            long start = Cut.latest(c).map(Cut::upto).orElse(0L);
            if (fromSeq < start && fromSeq < toSeq) {
                throw new IllegalArgumentException("seq " + fromSeq + " was pruned from the ledger (it now starts at"
                        + " seq " + start + ")");
            }
            c.setAutoCommit(false); // a cursor: rows are fetched FETCH at a time, not all at once
            PreparedStatement ps = c.prepareStatement("SELECT seq, entry FROM security_audit_chain WHERE seq >= ?"
                    + " AND seq < ? ORDER BY seq");
            ps.setFetchSize(FETCH);
            ps.setLong(1, fromSeq);
            ps.setLong(2, toSeq);
            ResultSet rs = ps.executeQuery();
            return StreamSupport.stream(Spliterators.spliterator(new Rows(rs, fromSeq, toSeq), toSeq - fromSeq,
                    Spliterator.ORDERED | Spliterator.NONNULL), false).onClose(() -> {
                        try {
                            c.rollback();
                            c.close();
                        } catch (SQLException e) {
                            throw new UncheckedIOException(PostgresStore.failure("cannot close a range's cursor", e));
                        }
                    });
        } catch (SQLException | RuntimeException e) {
            try {
                c.close();
            } catch (SQLException closing) {
                e.addSuppressed(closing);
            }
            if (e instanceof SQLException sql) {
                throw PostgresStore.failure("cannot read seqs " + fromSeq + " to " + toSeq, sql);
            }
            throw (RuntimeException) e;
        }
    }

    /** The rows of a range, each checked to be the next seq (a gap is a damaged ledger, not an end). */
    private static final class Rows implements Iterator<LedgerEntry> {
        private final ResultSet rs;
        private final long toSeq;
        private long seq;

        Rows(ResultSet rs, long fromSeq, long toSeq) {
            this.rs = rs;
            this.seq = fromSeq;
            this.toSeq = toSeq;
        }

        @Override
        public boolean hasNext() {
            return seq < toSeq;
        }

        @Override
        public LedgerEntry next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            try {
                if (!rs.next()) {
                    throw new IOException("PostgreSQL ledger: seq " + seq + " is missing from security_audit_chain");
                }
                long at = rs.getLong(1);
                if (at != seq) {
                    throw new IOException("PostgreSQL ledger: seq " + seq + " is missing from security_audit_chain"
                            + " (the next row is seq " + at + ")");
                }
                return EntryLines.parse(rs.getString(2), seq++);
            } catch (SQLException e) {
                throw new UncheckedIOException(PostgresStore.failure("cannot read seq " + seq, e));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /**
     * One page of the entries matching {@code query}, in seq order. Each filter uses an index that has the time as
     * its second column, so a user's, an IP's or a resource's history over a period is an index range scan.
     */
    @Override
    public QueryPage query(AuditQuery query) throws IOException {
        StringBuilder sql = new StringBuilder("SELECT seq, entry FROM security_audit_log WHERE true");
        List<Object> args = new ArrayList<>();
        query.user().ifPresent(v -> add(sql, args, " AND actor_id = ?", v));
        query.type().ifPresent(v -> {
            if (v.endsWith(".*")) {
                String prefix = v.substring(0, v.length() - 1); // keeps the dot: auth.login.
                add(sql, args, " AND type LIKE ? ESCAPE '\\'", prefix.replace("\\", "\\\\").replace("_", "\\_")
                        .replace("%", "\\%") + "%");
            } else {
                add(sql, args, " AND type = ?", v);
            }
        });
        query.resourceType().ifPresent(v -> add(sql, args, " AND resource_type = ?", v));
        query.resourceId().ifPresent(v -> add(sql, args, " AND resource_id = ?", v));
        query.ip().ifPresent(v -> add(sql, args, " AND actor_ip = ?", v));
        query.tenant().ifPresent(v -> add(sql, args, " AND tenant = ?", v));
        query.from().ifPresent(v -> add(sql, args, " AND \"timestamp\" >= ?", Timestamp.from(v)));
        query.to().ifPresent(v -> add(sql, args, " AND \"timestamp\" < ?", Timestamp.from(v)));
        query.cursorSeq().ifPresent(v -> add(sql, args, " AND seq > ?", v));
        sql.append(" ORDER BY seq LIMIT ").append(query.limit() + 1);
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql.toString())) {
            for (int i = 0; i < args.size(); i++) {
                ps.setObject(i + 1, args.get(i));
            }
            List<LedgerEntry> out = new ArrayList<>();
            boolean more = false;
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (out.size() == query.limit()) {
                        more = true;
                        break;
                    }
                    out.add(EntryLines.parse(rs.getString(2), rs.getLong(1)));
                }
            }
            return QueryPage.of(out, more);
        } catch (SQLException e) {
            throw PostgresStore.failure("the query failed", e);
        }
    }

    private static void add(StringBuilder sql, List<Object> args, String clause, Object value) {
        sql.append(clause);
        args.add(value);
    }

    @Override
    public Hash root(long size) throws IOException {
        try (Connection c = dataSource.getConnection()) {
            Ranges.requireSize(size, PostgresStore.sizeOf(c));
            return size == 0 ? MerkleHashes.emptyRoot() : Proofs.root(new MerkleNodes(c, size), size);
        } catch (SQLException e) {
            throw PostgresStore.failure("cannot read the root at size " + size, e);
        }
    }

    @Override
    public InclusionProof inclusionProof(long seq, long treeSize) throws IOException {
        try (Connection c = dataSource.getConnection()) {
            Ranges.requireInclusion(seq, treeSize, PostgresStore.sizeOf(c));
            return Proofs.inclusion(new MerkleNodes(c, treeSize), seq, treeSize);
        } catch (SQLException e) {
            throw PostgresStore.failure("cannot prove seq " + seq + " in the tree of size " + treeSize, e);
        }
    }

    @Override
    public ConsistencyProof consistencyProof(long size1, long size2) throws IOException {
        try (Connection c = dataSource.getConnection()) {
            Ranges.requireConsistency(size1, size2, PostgresStore.sizeOf(c));
            return Proofs.consistency(new MerkleNodes(c, size2), size1, size2);
        } catch (SQLException e) {
            throw PostgresStore.failure("cannot prove consistency from size " + size1 + " to " + size2, e);
        }
    }

    @Override
    public List<StoredCheckpoint> checkpoints() throws IOException {
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT note, created_at FROM security_audit_checkpoint"
                     + " ORDER BY tree_size")) {
            List<StoredCheckpoint> out = new ArrayList<>();
            while (rs.next()) {
                Timestamp at = rs.getTimestamp(2);
                out.add(new StoredCheckpoint(SignedCheckpoint.parse(rs.getString(1)),
                        Optional.ofNullable(at).map(Timestamp::toInstant)));
            }
            return out;
        } catch (SQLException e) {
            throw PostgresStore.failure("cannot read the checkpoints", e);
        }
    }

    /** Nothing to release: every call borrows and returns its own connection. */
    @Override
    public void close() {
        // connections are taken per call
    }
}
