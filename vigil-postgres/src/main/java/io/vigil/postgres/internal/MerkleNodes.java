package io.vigil.postgres.internal;

import io.vigil.ledger.Hash;
import io.vigil.ledger.merkle.NodeSource;
import io.vigil.ledger.merkle.TreeBuilder;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The Merkle nodes in {@code security_audit_merkle_node}, read through one connection: the tree of the first
 * {@code size} leaves as a {@link NodeSource} for roots and proofs, and the frontier an appender resumes from.
 */
public final class MerkleNodes implements NodeSource {
    private final Connection connection;
    private final long size;

    public MerkleNodes(Connection connection, long size) {
        this.connection = connection;
        this.size = size;
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public Hash node(int level, long index) throws IOException {
        if (level < 0 || level > 62 || index < 0 || index >= (size >>> level)) {
            throw new IllegalArgumentException("node (" + level + ", " + index + ") is not complete in a tree of "
                    + size + " leaves");
        }
        try (PreparedStatement ps = connection.prepareStatement(
                "SELECT hash FROM security_audit_merkle_node WHERE level = ? AND idx = ?")) {
            ps.setInt(1, level);
            ps.setLong(2, index);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new IOException("Merkle node (" + level + ", " + index + ") is missing from the database");
                }
                return Hash.wrap(rs.getBytes(1));
            }
        } catch (SQLException e) {
            throw PostgresStore.failure("cannot read Merkle node (" + level + ", " + index + ")", e);
        }
    }

    /** The frontier of the tree of {@code size} leaves: one node per set bit, read in one query. */
    public static List<TreeBuilder.FrontierNode> frontier(Connection c, long size) throws SQLException {
        if (size == 0) {
            return List.of();
        }
        StringBuilder sql = new StringBuilder("SELECT level, hash FROM security_audit_merkle_node WHERE (level, idx) IN (");
        List<long[]> wanted = new ArrayList<>();
        for (int level = 62; level >= 0; level--) {
            if ((size & (1L << level)) != 0) {
                sql.append(wanted.isEmpty() ? "" : ", ").append("(?, ?)");
                wanted.add(new long[] {level, (size >>> level) - 1});
            }
        }
        sql.append(')');
        Map<Integer, Hash> found = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
            int p = 1;
            for (long[] w : wanted) {
                ps.setInt(p++, (int) w[0]);
                ps.setLong(p++, w[1]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    found.put(rs.getInt(1), Hash.wrap(rs.getBytes(2)));
                }
            }
        }
        return frontier(size, found);
    }

    /**
     * The frontier of the tree of {@code size} leaves from nodes already read, by level; fails when the one of a set
     * bit is missing.
     */
    public static List<TreeBuilder.FrontierNode> frontier(long size, Map<Integer, Hash> found) throws SQLException {
        List<TreeBuilder.FrontierNode> out = new ArrayList<>();
        for (int level = 62; level >= 0; level--) {
            if ((size & (1L << level)) == 0) {
                continue;
            }
            Hash h = found.get(level);
            if (h == null) {
                throw new SQLException("Merkle node (" + level + ", " + ((size >>> level) - 1) + ") of the tree of "
                        + size + " entries is missing from security_audit_merkle_node", "XX001");
            }
            out.add(new TreeBuilder.FrontierNode(level, h));
        }
        return out;
    }

    /** Copies in the nodes that {@link #appendCopyRow} wrote. */
    static final String COPY = "COPY security_audit_merkle_node (level, idx, hash) FROM STDIN (FORMAT binary)";

    /** Appends one node as a row for {@link #COPY}. */
    static void appendCopyRow(int level, long index, byte[] hash, CopyBinary out) {
        out.row(3).smallint(level).bigint(index).text(hash, 0, hash.length);
    }
}
