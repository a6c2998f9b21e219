package io.vigil.postgres;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.output.MigrateResult;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Objects;

/**
 * Creates and upgrades Vigil's tables in a PostgreSQL database with Flyway: {@code security_audit_chain} and
 * {@code security_audit_event} (the entries and their events' query columns, shown together by the view
 * {@code security_audit_log}), {@code security_audit_checkpoint} (signed checkpoints), {@code security_audit_ledger} (the origin), the triggers
 * that keep them append-only, and the group roles {@code vigil_writer} and {@code vigil_reader}. Run it as the
 * tables' owner, a user that may create roles; applications then connect as members of the two roles (see
 * {@code docs/postgres.md}).
 */
public final class PostgresSchema {
    /** Where the migrations live on the class path. */
    static final String LOCATION = "classpath:io/vigil/postgres/migration";
    /** Flyway's bookkeeping table, named so that it cannot clash with an application's own Flyway history. */
    static final String HISTORY_TABLE = "vigil_schema_history";

    private PostgresSchema() {
    }

    /**
     * Brings the database to the newest schema; a database already there is left as it is.
     *
     * @return the schema version afterwards
     * @throws PostgresSchemaException when a migration fails (the database is left at the last complete version)
     */
    public static String migrate(DataSource dataSource) {
        Objects.requireNonNull(dataSource, "dataSource");
        try {
            MigrateResult result = Flyway.configure().dataSource(dataSource).locations(LOCATION)
                    .table(HISTORY_TABLE).baselineOnMigrate(false).load().migrate();
            return result.targetSchemaVersion != null ? result.targetSchemaVersion
                    : String.valueOf(result.initialSchemaVersion);
        } catch (FlywayException e) {
            throw new PostgresSchemaException("could not bring the Vigil schema up to date: " + e.getMessage(), e);
        }
    }

    /**
     * Creates the PostgreSQL schema {@code name} when it is missing, for ledgers kept a schema each (a tenant's, a
     * Kafka partition's). It is looked up first because {@code CREATE SCHEMA IF NOT EXISTS} checks the CREATE
     * privilege before the schema's existence: a schema an administrator made beforehand then needs no privilege.
     *
     * @return whether it was created now
     * @throws SQLException when it cannot be looked up or created
     */
    public static boolean createIfMissing(DataSource admin, String name) throws SQLException {
        Objects.requireNonNull(admin, "admin");
        Objects.requireNonNull(name, "name");
        try (Connection c = admin.getConnection()) {
            try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM pg_namespace WHERE nspname = ?")) {
                ps.setString(1, name);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        return false;
                    }
                }
            }
            try (Statement st = c.createStatement()) {
                st.execute("CREATE SCHEMA IF NOT EXISTS \"" + name.replace("\"", "\"\"") + "\"");
            }
            return true;
        }
    }
}
