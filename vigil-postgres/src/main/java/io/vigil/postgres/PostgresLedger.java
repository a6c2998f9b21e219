package io.vigil.postgres;

import io.vigil.ledger.LedgerOptions;
import io.vigil.ledger.LedgerStore;
import io.vigil.postgres.internal.PostgresStore;

import javax.sql.DataSource;
import java.io.IOException;

/**
 * The ledger in a PostgreSQL database: ledger format v1 in {@code security_audit_log}, appended to by any number of
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
}
