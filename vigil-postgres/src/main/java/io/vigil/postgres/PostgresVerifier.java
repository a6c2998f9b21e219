package io.vigil.postgres;

import io.vigil.ledger.Hash;
import io.vigil.ledger.VerificationReport;
import io.vigil.ledger.checkpoint.SignedCheckpoint;
import io.vigil.ledger.checkpoint.VerifierKey;
import io.vigil.ledger.checkpoint.Witness;
import io.vigil.ledger.internal.EntryCodec;
import io.vigil.ledger.internal.verify.ChainCheck;
import io.vigil.ledger.internal.verify.CheckpointCheck;
import io.vigil.ledger.merkle.NodeSink;
import io.vigil.ledger.merkle.TreeBuilder;
import io.vigil.postgres.internal.BinaryRow;
import io.vigil.postgres.internal.Columns;
import io.vigil.postgres.internal.Cut;
import io.vigil.postgres.internal.EntryColumns;
import io.vigil.postgres.internal.MerkleNodes;
import io.vigil.postgres.internal.RowStream;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

import javax.sql.DataSource;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.function.LongConsumer;

/**
 * Full verification of a PostgreSQL ledger, streaming the rows in seq order through one {@code COPY} (constant memory):
 * seqs gapless, each entry's {@code prevHash} and {@code hash} recomputed from its canonical line, every query column
 * equal to what the line says (so an edit to any column is found), the Merkle root equal to every signed checkpoint's
 * at its size, each signature valid, and the ledger not behind or forked from what a witness has seen. The report
 * names the first bad seq and why, in the same words as the file ledger's verifier.
 */
public final class PostgresVerifier {
    /** Rows a COPY reads at a time. */
    private static final int CHUNK = 50_000;

    private final DataSource dataSource;
    private Optional<VerifierKey> key = Optional.empty();
    private Optional<Witness> witness = Optional.empty();
    private LongConsumer progress = n -> { };

    private PostgresVerifier(DataSource dataSource) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    }

    /** A verifier of the ledger in the database behind {@code dataSource} (a user with the reader role suffices). */
    public static PostgresVerifier of(DataSource dataSource) {
        return new PostgresVerifier(dataSource);
    }

    /** The public key that must have signed every checkpoint. */
    public PostgresVerifier key(VerifierKey value) {
        key = Optional.of(value);
        return this;
    }

    /** Holds the ledger to the latest checkpoint {@code value} has seen. */
    public PostgresVerifier witness(Witness value) {
        witness = Optional.of(value);
        return this;
    }

    /** Told the number of entries checked so far, every 10,000 entries. */
    public PostgresVerifier progress(LongConsumer value) {
        progress = Objects.requireNonNull(value, "progress");
        return this;
    }

    /** Runs the verification. */
    public VerificationReport verify() throws IOException {
        try (Connection c = dataSource.getConnection()) {
            return verify(c);
        } catch (SQLException e) {
            throw new IOException("PostgreSQL ledger: verification could not read the database: " + e.getMessage(), e);
        }
    }

    private VerificationReport verify(Connection c) throws SQLException, IOException {
        List<String> warnings = new ArrayList<>();
        String origin;
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT origin FROM security_audit_ledger")) {
            if (!rs.next()) {
                return CheckpointCheck.fail(0, 0, 0, "the database holds no ledger (security_audit_ledger is empty)", warnings);
            }
            origin = rs.getString(1);
        }
        List<SignedCheckpoint> checkpoints = new ArrayList<>();
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT note FROM security_audit_checkpoint ORDER BY tree_size")) {
            while (rs.next()) {
                checkpoints.add(SignedCheckpoint.parse(rs.getString(1)));
            }
        }
        if (key.isEmpty()) {
            warnings.add("no key given: checkpoint signatures were not checked, so a rewrite that re-chains every"
                    + " entry and re-signs cannot be told apart; pass the signer's public key");
        }
        Optional<CheckpointCheck.Witnessed> witnessed = CheckpointCheck.Witnessed.of(witness);
        // sizes whose roots the scan must keep
        Map<Long, Hash> roots = new HashMap<>();
        for (SignedCheckpoint cp : checkpoints) {
            roots.put(cp.checkpoint().size(), null);
        }
        witnessed.flatMap(CheckpointCheck.Witnessed::latest).ifPresent(w -> roots.put(w.checkpoint().size(), null));

        Optional<Cut> cut = Cut.latest(c);
        long start = cut.map(Cut::upto).orElse(0L);
        String startPrev = cut.map(Cut::lastHash).orElse(EntryCodec.genesis(origin));
        TreeBuilder tree;
        if (cut.isPresent()) {
            try {
                tree = new TreeBuilder(MerkleNodes.frontier(c, start), NodeSink.NONE);
                Hash storedLast = new MerkleNodes(c, start).node(0, start - 1);
                if (!storedLast.hex().equals(startPrev)) {
                    return CheckpointCheck.fail(start, start, 0, "the ledger was pruned up to seq " + start + " but the hash it"
                            + " recorded for seq " + (start - 1) + " is not the stored tree's: the cut was tampered"
                            + " with", warnings);
                }
            } catch (SQLException | IOException e) {
                return CheckpointCheck.fail(start, start, 0, "the ledger was pruned up to seq " + start + " but the stored Merkle tree"
                        + " cannot resume there: " + e.getMessage(), warnings);
            }
            warnings.add("entries before seq " + start + " were pruned (archive: " + archiveOf(c, start) + "); they"
                    + " were verified when archived, and checkpoints before the cut only for their signatures");
        } else {
            tree = new TreeBuilder();
        }
        Scan scan = scan(c, startPrev, start, tree, roots);
        scan.start = start;
        scan.connection = c;
        scan.roots = roots;
        return CheckpointCheck.conclude(checkpoints, origin,
                CheckpointCheck.signatureErrors(checkpoints, key, 0), key, true, scan, witnessed, warnings);
    }

    /** What one pass over the rows found, as the checkpoint checks read it. */
    private static final class Scan implements CheckpointCheck.Entries {
        long start;
        long entries;
        long badSeq = -1;
        String reason;
        Hash root;
        Map<Long, Hash> roots;
        Connection connection;

        @Override
        public long start() {
            return start;
        }

        @Override
        public long count() {
            return entries;
        }

        @Override
        public long badSeq() {
            return badSeq;
        }

        @Override
        public String reason() {
            return reason;
        }

        @Override
        public Hash rootAt(int index, long size) {
            return roots.get(size);
        }

        @Override
        public long firstChangedLeaf(long from, long to) {
            return PostgresVerifier.firstChangedLeaf(connection, from, to);
        }

        @Override
        public Hash rootAtSize(long size) {
            return roots.get(size);
        }

        @Override
        public Hash root() {
            return root;
        }
    }

    private Scan scan(Connection c, String firstPrevHash, long start, TreeBuilder tree, Map<Long, Hash> roots)
            throws SQLException {
        Scan r = new Scan();
        if (roots.containsKey(start)) {
            roots.put(start, tree.root());
        }
        boolean autoCommit = c.getAutoCommit();
        c.setAutoCommit(false);
        // The rows come in chunks, each one binary COPY (no per-row protocol work, no text formatting) of the next seqs
        // by the primary key, read on a thread of their own while this one checks; one repeatable-read snapshot holds
        // for all of them.
        try (Statement st = c.createStatement()) {
            st.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
        }
        // The column pass runs at the same time, on a connection of its own that shares this snapshot.
        String snapshot;
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT pg_export_snapshot()")) {
            rs.next();
            snapshot = rs.getString(1);
        }
        FutureTask<ColumnResult> columnTask = new FutureTask<>(
                () -> columnPass(snapshot));
        Thread columnThread = new Thread(columnTask, "vigil-verify-columns");
        columnThread.setDaemon(true);
        columnThread.start();
        ChainCheck check = ChainCheck.linkedTo(new EntryCodec(List.of()), start, firstPrevHash,
                start == 0 ? ChainCheck.genesisLink(0) : ChainCheck.cutLink(start));
        BinaryRow row = new BinaryRow();
        CopyManager copies = c.unwrap(PGConnection.class).getCopyAPI();
        String select = "COPY (SELECT seq, entry, prev_hash, hash FROM security_audit_chain WHERE seq >= %d"
                + " ORDER BY seq LIMIT " + CHUNK + ") TO STDOUT (FORMAT binary)";
        boolean streamed = false;
        try {
            try (RowStream rows = new RowStream(copies, select, start, CHUNK)) {
                rows:
                for (List<byte[]> batch = rows.next(); !batch.isEmpty(); batch = rows.next()) {
                    for (byte[] bytes : batch) {
                        if (!row.parse(bytes)) {
                            continue; // the format's trailer
                        }
                        long seq = check.nextSeq();
                        int from = row.offset(1);
                        if (!check.accept(row.array(), from, from + row.length(1))) {
                            r.badSeq = check.badSeq();
                            r.reason = check.reason().orElseThrow();
                            break rows;
                        }
                        // the entry holds; the columns beside it must say what it says
                        String differs = row.longValue(0) != seq ? "seq column"
                                : !row.bytesEqual(3, check.hashHex(), 0, 64) ? "hash column"
                                : !row.bytesEqual(2, check.prevHashHex(), 0, 64) ? "prev_hash column" : null;
                        if (differs != null) {
                            r.badSeq = seq;
                            r.reason = columnDiffers(differs, seq);
                            break rows;
                        }
                        tree.append(Hash.wrap(check.leaf()));
                        if (roots.containsKey(tree.size())) {
                            roots.put(tree.size(), tree.root());
                        }
                        if (check.nextSeq() % 10_000 == 0) {
                            progress.accept(check.nextSeq());
                        }
                    }
                }
            }
            streamed = true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException("verification was interrupted", "57014", e);
        } catch (RuntimeException e) {
            // a row the scan could not take apart
            r.badSeq = check.nextSeq();
            r.reason = ChainCheck.notAnEvent(check.nextSeq(), e.getMessage());
        }
        long expected = check.nextSeq();
        try {
            ColumnResult columns = columnTask.get();
            if (streamed) {
                columns.apply(c, expected, r);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException("verification was interrupted", "57014", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof SQLException sql) {
                throw sql;
            }
            throw new SQLException("the column pass failed: " + e.getCause(), e.getCause());
        } finally {
            c.rollback();
            c.setAutoCommit(autoCommit);
        }
        r.entries = expected;
        r.root = tree.root();
        progress.accept(expected);
        return r;
    }

    /**
     * A row whose columns differ from its entry may be an entry inserted with the id of another: its columns are that
     * other entry's event. Said so when it is.
     */
    private static void sharedEvent(Connection c, Scan r) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT o.seq FROM security_audit_chain s JOIN"
                + " security_audit_chain o ON o.id = s.id AND o.seq <> s.seq WHERE s.seq = ? ORDER BY o.seq LIMIT 1")) {
            ps.setLong(1, r.badSeq);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    r.reason = "the entry at seq " + r.badSeq + " claims the event of seq " + rs.getLong(1)
                            + " (the same id): an entry was inserted or replayed";
                }
            }
        }
    }

    /** What the column pass found: the lowest seq whose columns differ (and why), and event rows no entry has. */
    private record ColumnResult(long firstSeq, String firstReason, int stray) {
        void apply(Connection c, long entries, Scan r) throws SQLException {
            if (firstReason != null && (r.badSeq < 0 || firstSeq < r.badSeq)) {
                r.badSeq = firstSeq;
                r.reason = firstReason;
                sharedEvent(c, r);
            } else if (stray > 0 && r.badSeq < 0) {
                r.badSeq = entries;
                r.reason = "security_audit_event holds " + stray + " row" + (stray == 1 ? "" : "s") + " that no entry"
                        + " has: an event was inserted outside the chain";
            }
        }
    }

    /**
     * The column pass, on a connection of its own in the chain pass's snapshot: every entry with its event row,
     * matched by id (a merge of the two primary-key orders, so the server reads both tables in order instead of
     * looking up each event), and every query column compared with the entry; an event row that no entry has is found
     * too.
     */
    private ColumnResult columnPass(String snapshot) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (Statement st = c.createStatement()) {
                st.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
                st.execute("SET TRANSACTION SNAPSHOT '" + snapshot.replace("'", "''") + "'");
                st.execute("SET LOCAL enable_hashjoin = off"); // a merge join streams; a hash join holds a table
                st.execute("SET LOCAL enable_sort = off"); // both sides in id order from their indexes
            }
            String select = "COPY (SELECT c.seq, c.entry, " + Columns.list("e.") + " FROM security_audit_chain c"
                    + " FULL JOIN security_audit_event e ON e.id = c.id) TO STDOUT (FORMAT binary)";
            BinaryRow row = new BinaryRow();
            EntryColumns columns = new EntryColumns();
            long firstSeq = Long.MAX_VALUE;
            String firstReason = null;
            int stray = 0;
            CopyManager copies = c.unwrap(PGConnection.class).getCopyAPI();
            try (RowStream rows = new RowStream(copies, select, 0, Integer.MAX_VALUE)) {
                for (List<byte[]> batch = rows.next(); !batch.isEmpty(); batch = rows.next()) {
                    for (byte[] bytes : batch) {
                        if (!row.parse(bytes)) {
                            continue;
                        }
                        if (row.isNull(0)) {
                            stray++;
                            continue;
                        }
                        long seq = row.longValue(0);
                        if (seq >= firstSeq) {
                            continue;
                        }
                        int length = row.length(1);
                        if (columns.scan(row.array(), row.offset(1), row.offset(1) + length).error() != null) {
                            continue; // the chain pass reports a malformed line
                        }
                        Optional<String> differs = columns.firstDifference(row, 2);
                        if (differs.isPresent()) {
                            firstSeq = seq;
                            firstReason = columnDiffers(differs.get(), seq);
                        }
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SQLException("verification was interrupted", "57014", e);
            } finally {
                c.rollback();
            }
            return new ColumnResult(firstSeq, firstReason, stray);
        }
    }

    /**
     * The first seq in {@code [from, to)} whose stored Merkle leaf differs from its row's hash, or {@code from}: where
     * a rewrite that re-chained the entries began (asked only when a checkpoint's root does not match, after the scan
     * found every hash column equal to its recomputed entry hash).
     */
    private static long firstChangedLeaf(Connection c, long from, long to) {
        try (PreparedStatement ps = c.prepareStatement("SELECT min(l.seq) FROM security_audit_chain l"
                + " LEFT JOIN security_audit_merkle_node n ON n.level = 0 AND n.idx = l.seq"
                + " WHERE l.seq >= ? AND l.seq < ? AND (n.hash IS NULL OR n.hash <> decode(l.hash, 'hex'))")) {
            ps.setLong(1, from);
            ps.setLong(2, to);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                long seq = rs.getLong(1);
                return rs.wasNull() ? from : seq;
            }
        } catch (SQLException e) {
            return from; // the report still names the checkpoint; only the first changed entry is unknown
        }
    }

    /** A column of the row of {@code seq} says other than its entry. */
    private static String columnDiffers(String column, long seq) {
        return "the " + column + " of seq " + seq + " does not match its entry: the row was changed";
    }

    private static String archiveOf(Connection c, long upto) {
        try (PreparedStatement ps = c.prepareStatement("SELECT archive FROM security_audit_pruned WHERE upto = ?")) {
            ps.setLong(1, upto);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : "unrecorded";
            }
        } catch (SQLException e) {
            return "unreadable: " + e.getMessage();
        }
    }

}
