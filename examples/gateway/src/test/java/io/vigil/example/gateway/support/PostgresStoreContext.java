package io.vigil.example.gateway.support;

import io.vigil.ledger.checkpoint.SigningKey;
import io.vigil.postgres.testsupport.PostgresServer;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;

import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Map;

/**
 * The gateway with the PostgreSQL ledger in an empty database of the tests' embedded server: the gateway creates the
 * schema itself (as the database's owner) when it starts. The tests read and verify it as a member of
 * {@code vigil_reader}. One database per test JVM, shared by every test class that uses this initializer.
 */
public final class PostgresStoreContext implements ApplicationContextInitializer<ConfigurableApplicationContext> {
    private static final Path BASE = Ledgers.tempDir("gateway-pg-");
    private static final SigningKey KEY = Ledgers.keyPair(BASE, "signing");
    private static String database;

    private static synchronized String database() {
        if (database == null) {
            try {
                database = PostgresServer.shared().createDatabase("gateway");
            } catch (SQLException e) {
                throw new IllegalStateException("could not create the test database", e);
            }
        }
        return database;
    }

    /** How the tests read and verify this context's ledger; call it once the gateway has started. */
    public static PostgresLedgerAccess ledger() {
        return new PostgresLedgerAccess(PostgresServer.shared(), database(), KEY.verifierKey(), BASE.resolve("local"));
    }

    @Override
    public void initialize(ConfigurableApplicationContext context) {
        context.getEnvironment().getPropertySources().addFirst(new MapPropertySource("postgres-ledger", Map.of(
                "vigil.ledger.store", "postgres",
                "vigil.ledger.jdbc.url", PostgresServer.shared().jdbcUrl(database()),
                "vigil.ledger.jdbc.username", "postgres",
                "vigil.ledger.jdbc.password", "",
                // generated keys and the spool (for when the database is unreachable) live here
                "vigil.ledger.dir", BASE.resolve("local").toString(),
                "vigil.ledger.signing-key-file", BASE.resolve("signing.key").toString())));
    }
}
