package io.vigil.postgres;

import io.vigil.postgres.testsupport.PostgresServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The schema on a real PostgreSQL: migrations, and the append-only rules against every role that could break them. */
class PostgresSchemaTest {
    private static PostgresServer server;
    private String db;

    @BeforeAll
    static void server() {
        server = PostgresServer.shared();
    }

    @BeforeEach
    void freshDatabase() throws SQLException {
        db = server.createDatabase("schema");
        PGSimpleDataSource ds = dataSource("postgres");
        assertThat(PostgresSchema.migrate(ds)).isEqualTo("3");
        try (Connection c = server.superuser(db); Statement st = c.createStatement()) {
            st.execute("INSERT INTO security_audit_ledger (origin, format) VALUES ('test.vigil.example/pg', 1)");
            // login users in the two group roles, as docs/postgres.md tells an administrator to create
            for (String[] user : new String[][] {{"app_writer", "vigil_writer"}, {"app_reader", "vigil_reader"}}) {
                st.execute("DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '" + user[0] + "') THEN "
                        + "CREATE ROLE " + user[0] + " LOGIN IN ROLE " + user[1] + "; END IF; END $$");
            }
            st.execute("GRANT CONNECT ON DATABASE " + db + " TO vigil_writer, vigil_reader");
        }
    }

    private PGSimpleDataSource dataSource(String user) {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setURL(server.jdbcUrl(db));
        ds.setUser(user);
        return ds;
    }

    private Connection as(String user) throws SQLException {
        return DriverManager.getConnection(server.jdbcUrl(db), user, "");
    }

    private static void insertEntry(Connection c, long seq) throws SQLException {
        UUID id = UUID.randomUUID();
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO security_audit_event (id, \"timestamp\", category,"
                + " type, action, outcome, severity) VALUES (?, now(), 'auth', 'auth.login.failure', 'login', 'failure',"
                + " 'warning')")) {
            ps.setObject(1, id);
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO security_audit_chain (seq, id, entry, prev_hash,"
                + " hash) VALUES (?, ?, '{}', ?, ?)")) {
            ps.setLong(1, seq);
            ps.setObject(2, id);
            ps.setString(3, "0".repeat(63) + seq % 10);
            ps.setString(4, String.format("%064x", seq + 1));
            ps.executeUpdate();
        }
    }

    @Test
    void migratingAgainChangesNothing() throws SQLException {
        assertThat(PostgresSchema.migrate(dataSource("postgres"))).isEqualTo("3");
        try (Connection c = server.superuser(db); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*) FROM vigil_schema_history WHERE success")) {
            rs.next();
            assertThat(rs.getInt(1)).isEqualTo(3);
        }
    }

    @Test
    void everyQueryColumnAndItsIndexesExist() throws SQLException {
        List<String> columns = new ArrayList<>();
        try (Connection c = server.superuser(db); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT column_name FROM information_schema.columns WHERE table_name ="
                     + " 'security_audit_log' ORDER BY ordinal_position")) {
            while (rs.next()) {
                columns.add(rs.getString(1));
            }
        }
        assertThat(columns).containsExactly("seq", "id", "timestamp", "category", "type", "action", "outcome",
                "severity", "actor_type", "actor_id", "actor_name", "actor_ip", "actor_user_agent", "tenant", "service",
                "session_id", "request_id", "trace_id", "resource_type", "resource_id", "resource_name", "reason",
                "error", "risk_score", "anomaly_flags", "details", "entry", "prev_hash", "hash");
        List<String> indexes = new ArrayList<>();
        try (Connection c = server.superuser(db); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT indexname FROM pg_indexes WHERE tablename = 'security_audit_event'")) {
            while (rs.next()) {
                indexes.add(rs.getString(1));
            }
        }
        assertThat(indexes).contains("security_audit_event_actor_time", "security_audit_event_type_time",
                "security_audit_event_resource_time", "security_audit_event_ip_time", "security_audit_event_session_time",
                "security_audit_event_tenant_time", "security_audit_event_time");
    }

    @Test
    void evenTheOwnerCannotUpdateDeleteOrTruncate() throws SQLException {
        try (Connection c = server.superuser(db); Statement st = c.createStatement()) {
            insertEntry(c, 0);
            // row triggers fire only on rows that exist, so every table gets one
            st.execute("INSERT INTO security_audit_checkpoint (tree_size, root, note) VALUES (1, '" + "a".repeat(64)
                    + "', 'note')");
            for (String sql : List.of("UPDATE security_audit_event SET reason = 'edited'",
                    "DELETE FROM security_audit_event", "TRUNCATE security_audit_event",
                    "UPDATE security_audit_chain SET entry = '[]' WHERE seq = 0",
                    "DELETE FROM security_audit_chain WHERE seq = 0", "TRUNCATE security_audit_chain",
                    "UPDATE security_audit_checkpoint SET note = ''", "TRUNCATE security_audit_checkpoint",
                    "DELETE FROM security_audit_ledger", "UPDATE security_audit_ledger SET origin = 'x'")) {
                assertThatThrownBy(() -> st.execute(sql)).as(sql).isInstanceOf(SQLException.class)
                        .hasMessageContaining("append-only")
                        .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("23001"));
            }
            try (ResultSet rs = st.executeQuery("SELECT count(*), max(reason) FROM security_audit_log")) {
                rs.next();
                assertThat(rs.getInt(1)).isEqualTo(1);
                assertThat(rs.getString(2)).isNull();
            }
        }
    }

    @Test
    void theWriterRoleAppendsAndCanChangeNothing() throws SQLException {
        try (Connection c = as("app_writer"); Statement st = c.createStatement()) {
            insertEntry(c, 0);
            insertEntry(c, 1);
            try (ResultSet rs = st.executeQuery("SELECT seq, hash FROM security_audit_log ORDER BY seq DESC LIMIT 1")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getLong(1)).isEqualTo(1);
            }
            for (String sql : List.of("UPDATE security_audit_event SET reason = 'edited'",
                    "DELETE FROM security_audit_event", "TRUNCATE security_audit_event",
                    "UPDATE security_audit_chain SET entry = '[]' WHERE seq = 0",
                    "DELETE FROM security_audit_chain WHERE seq = 0", "TRUNCATE security_audit_chain",
                    "ALTER TABLE security_audit_chain DISABLE TRIGGER ALL", "DROP TABLE security_audit_event",
                    "DROP VIEW security_audit_log", "DELETE FROM security_audit_checkpoint")) {
                assertThatThrownBy(() -> st.execute(sql)).as(sql).isInstanceOf(SQLException.class)
                        .satisfies(e -> assertThat(((SQLException) e).getSQLState()).as(sql)
                                .isIn("42501", "42P01")); // insufficient privilege (or not even visible)
            }
        }
        try (Connection c = server.superuser(db); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*) FROM security_audit_log WHERE reason IS NULL")) {
            rs.next();
            assertThat(rs.getInt(1)).isEqualTo(2);
        }
    }

    @Test
    void theReaderRoleOnlyReads() throws SQLException {
        try (Connection c = server.superuser(db)) {
            insertEntry(c, 0);
        }
        try (Connection c = as("app_reader"); Statement st = c.createStatement()) {
            try (ResultSet rs = st.executeQuery("SELECT entry, details, anomaly_flags FROM security_audit_log")) {
                assertThat(rs.next()).isTrue();
            }
            assertThatThrownBy(() -> insertEntry(c, 1)).isInstanceOf(SQLException.class)
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("42501"));
            for (String sql : List.of("DELETE FROM security_audit_chain", "DELETE FROM security_audit_event",
                    "UPDATE security_audit_event SET reason = 'edited'")) {
                assertThatThrownBy(() -> st.execute(sql)).as(sql).isInstanceOf(SQLException.class)
                        .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("42501"));
            }
        }
    }

    @Test
    void aSuperuserWhoSwitchesTheTriggersOffCanEditARow() throws SQLException {
        // The rules stop accidents and every ordinary role, not a superuser set on tampering: that is what
        // verification against the chain and the signed checkpoints is for (see docs/postgres.md).
        try (Connection c = server.superuser(db); Statement st = c.createStatement()) {
            insertEntry(c, 0);
            st.execute("ALTER TABLE security_audit_event DISABLE TRIGGER USER");
            st.execute("UPDATE security_audit_event SET reason = 'edited'");
            st.execute("ALTER TABLE security_audit_event ENABLE TRIGGER USER");
            try (ResultSet rs = st.executeQuery("SELECT reason FROM security_audit_log WHERE seq = 0")) {
                rs.next();
                assertThat(rs.getString(1)).isEqualTo("edited");
            }
        }
    }

    @Test
    void aBrokenMigrationTargetIsReportedClearly() {
        PGSimpleDataSource nowhere = new PGSimpleDataSource();
        nowhere.setURL(server.jdbcUrl("no_such_database"));
        nowhere.setUser("postgres");
        assertThatThrownBy(() -> PostgresSchema.migrate(nowhere)).isInstanceOf(PostgresSchemaException.class)
                .hasMessageContaining("could not bring the Vigil schema up to date")
                .hasMessageContaining("no_such_database");
    }
}
