package io.vigil.postgres;

import io.vigil.ledger.LedgerOptions;
import io.vigil.ledger.LedgerReader;
import io.vigil.ledger.LedgerStore;
import io.vigil.postgres.internal.PostgresLedgerReader;
import io.vigil.postgres.internal.PostgresStore;

import javax.sql.DataSource;
import java.io.IOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;

/**
 * The ledger in a PostgreSQL database: ledger format v1 in {@code security_audit_chain}, each entry's event in
 * {@code security_audit_event} (both shown by the view {@code security_audit_log}), appended to by any number of
 * stores in any number of processes (a transaction-scoped advisory lock keeps one gapless chain), durable on commit.
 * Create the schema first with {@link PostgresSchema#migrate}; plug the store into an {@code AuditLog} with
 * {@code new LedgerSink(store)}; check it with {@link PostgresVerifier}.
 */
public final class PostgresLedger {
    private PostgresLedger() {
    }

    /**
     * Opens the ledger; the first store to open an empty database records {@code options.origin()} in it.
     * {@code options}' durability and segment size do not apply (a commit is durable; there are no segment files);
     * keyed mode is not available.
     *
     * @throws IOException when the schema is missing, the database holds a ledger of another origin, or it cannot be
     *                     reached
     */
    public static LedgerStore open(DataSource dataSource, LedgerOptions options) throws IOException {
        return PostgresStore.open(dataSource, options);
    }

    /** The origin of the ledger in the database; empty when no store has opened it yet. */
    public static Optional<String> origin(DataSource dataSource) throws IOException {
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT origin FROM security_audit_ledger")) {
            return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
        } catch (SQLException e) {
            throw new IOException("PostgreSQL ledger: cannot read the origin: " + e.getMessage(), e);
        }
    }

    /**
     * A read-only view of the ledger in the database: entries, queries, roots, proofs and checkpoints, with SELECT
     * alone (a user in the {@code vigil_reader} role is enough). It takes no lock and sees committed entries only.
     *
     * @throws IOException when the database holds no ledger yet or cannot be reached
     */
    public static LedgerReader openReader(DataSource dataSource) throws IOException {
        return PostgresLedgerReader.open(dataSource);
    }
}
