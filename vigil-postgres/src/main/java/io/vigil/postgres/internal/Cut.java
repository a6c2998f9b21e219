package io.vigil.postgres.internal;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;

/**
 * Where retention last cut the ledger: entries before {@code upto} were archived and pruned, and the entry at
 * {@code upto} is chained to {@code lastHash}, the hash of the last pruned one.
 */
public record Cut(long upto, String lastHash) {

    /** The latest cut, if the ledger was ever pruned. */
    public static Optional<Cut> latest(Connection c) throws SQLException {
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT upto, last_hash FROM security_audit_pruned ORDER BY upto DESC"
                     + " LIMIT 1")) {
            return rs.next() ? Optional.of(new Cut(rs.getLong(1), rs.getString(2))) : Optional.empty();
        }
    }
}
