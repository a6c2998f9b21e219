package io.vigil.postgres.testsupport;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.vigil.json.EventJson;
import io.vigil.ledger.internal.EntryCodec;
import io.vigil.ledger.tck.LedgerStoreCompatibilityKit;
import io.vigil.postgres.PostgresSchema;
import io.vigil.postgres.internal.Columns;
import io.vigil.postgres.internal.CopyBinary;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.postgresql.ds.PGSimpleDataSource;

import javax.sql.DataSource;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A fresh database with the Vigil schema on the shared test server, login users in the writer and reader roles, and
 * the edits an attacker with superuser access would make: rows changed with the append-only triggers switched off for
 * the session ({@code session_replication_role = replica}), derived data (the stored Merkle nodes) left alone.
 */
public final class LedgerDatabase {
    private static final String TABLES = "security_audit_event, security_audit_chain, security_audit_checkpoint,"
            + " security_audit_merkle_node";

    private final PostgresServer server;
    private final String name;

    /** The migrated template database of each server. */
    private static final Map<PostgresServer, String> TEMPLATES = new HashMap<>();

    private LedgerDatabase(PostgresServer server, String name) {
        this.server = server;
        this.name = name;
    }

    /**
     * A new database with the schema, login users in the Vigil roles, on {@code server}: a copy of a template that was
     * migrated once per server, since migrating costs far more than copying and the kit wants a fresh ledger per test.
     */
    public static LedgerDatabase create(PostgresServer server, String prefix) throws SQLException {
        String name = server.createDatabase(prefix, template(server));
        try (Connection c = server.superuser(name); Statement st = c.createStatement()) {
            // Database privileges are not copied from a template.
            st.execute("GRANT CONNECT ON DATABASE " + name + " TO vigil_writer, vigil_reader, vigil_retention");
        }
        return new LedgerDatabase(server, name);
    }

    private static synchronized String template(PostgresServer server) throws SQLException {
        String existing = TEMPLATES.get(server);
        if (existing != null) {
            return existing;
        }
        String name = server.createDatabase("ledger_template");
        PostgresSchema.migrate(new LedgerDatabase(server, name).dataSource("postgres"));
        try (Connection c = server.superuser(name); Statement st = c.createStatement()) {
            for (String[] user : new String[][] {{"app_writer", "vigil_writer"}, {"app_reader", "vigil_reader"},
                    {"app_retention", "vigil_retention"}}) {
                st.execute("DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '" + user[0]
                        + "') THEN CREATE ROLE " + user[0] + " LOGIN IN ROLE " + user[1] + "; END IF; END $$");
            }
        }
        TEMPLATES.put(server, name);
        return name;
    }

    /** A new database with the schema on the test JVM's shared server. */
    public static LedgerDatabase create(String prefix) throws SQLException {
        return create(PostgresServer.shared(), prefix);
    }

    public String name() {
        return name;
    }

    public PostgresServer server() {
        return server;
    }

    /** Connections as a member of {@code vigil_writer}, what an application appends with. */
    public PGSimpleDataSource writer() {
        return dataSource("app_writer");
    }

    /** Connections as a member of {@code vigil_reader}, what an auditor verifies with. */
    public PGSimpleDataSource reader() {
        return dataSource("app_reader");
    }

    /** Connections as a member of {@code vigil_retention}, what archiving and pruning run as. */
    public PGSimpleDataSource retention() {
        return dataSource("app_retention");
    }

    /** Connections as the superuser. */
    public PGSimpleDataSource superuser() {
        return dataSource("postgres");
    }

    /**
     * A small pool over {@code source}, to close after the test. The stores take a connection for each operation, as
     * they would from an application's pool; connecting anew each time costs a new server process and about 10 ms,
     * which was most of the time of the tests that read entry by entry.
     */
    public static HikariDataSource pooled(DataSource source) {
        HikariConfig cfg = new HikariConfig();
        cfg.setDataSource(source);
        cfg.setMaximumPoolSize(4);
        cfg.setMinimumIdle(1);
        return new HikariDataSource(cfg);
    }

    private PGSimpleDataSource dataSource(String user) {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setURL(server.jdbcUrl(name));
        ds.setUser(user);
        return ds;
    }

    public long size() throws IOException {
        return query("SELECT coalesce(max(seq) + 1, 0) FROM security_audit_chain", rs -> rs.getLong(1));
    }

    public String entry(long seq) throws IOException {
        return query("SELECT entry FROM security_audit_chain WHERE seq = " + seq, rs -> rs.getString(1));
    }

    /** Replaces the stored line only; the query columns keep their old values. */
    public void replaceEntryOnly(long seq, String line) throws IOException {
        tamper(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE security_audit_chain SET entry = ? WHERE seq = ?")) {
                ps.setString(1, line);
                ps.setLong(2, seq);
                ps.executeUpdate();
            }
        });
    }

    /** Replaces the row at {@code seq} with one consistent with {@code line}: every column re-derived from it. */
    public void replaceRow(long seq, String line) throws IOException {
        tamper(c -> {
            delete(c, seq, seq + 1);
            insertRow(c, seq, line);
        });
    }

    /** The stored lines from {@code from} on, in seq order. */
    public List<String> entriesFrom(long from) throws IOException {
        try (Connection c = server.superuser(name); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT entry FROM security_audit_chain WHERE seq >= " + from
                     + " ORDER BY seq")) {
            List<String> out = new ArrayList<>();
            while (rs.next()) {
                out.add(rs.getString(1));
            }
            return out;
        } catch (SQLException e) {
            throw new IOException("reading entries from seq " + from + " failed: " + e.getMessage(), e);
        }
    }

    /** Replaces the rows from {@code from} on with {@code lines} (and columns derived from them), in one transaction. */
    public void replaceRowsFrom(long from, List<String> lines) throws IOException {
        tamper(c -> {
            delete(c, from, from + lines.size());
            for (int i = 0; i < lines.size(); i++) {
                insertRow(c, from + i, lines.get(i));
            }
        });
    }

    /** Removes rows with {@code from <= seq < to}. */
    public void deleteRows(long from, long to) throws IOException {
        tamper(c -> delete(c, from, to));
    }

    /** Shifts every row after {@code seq} one place on and stores {@code line} (and its columns) at {@code seq + 1}. */
    public void insertAfter(long seq, String line) throws IOException {
        tamper(c -> {
            try (Statement st = c.createStatement()) {
                // two steps, so that no intermediate seq collides with another row's primary key
                st.executeUpdate("UPDATE security_audit_chain SET seq = seq + 1000000000000 WHERE seq > " + seq);
                st.executeUpdate("UPDATE security_audit_chain SET seq = seq - 1000000000000 + 1"
                        + " WHERE seq >= 1000000000000");
                // a copied entry repeats an id: the attacker drops the uniqueness that would refuse it
                st.execute("ALTER TABLE security_audit_chain DROP CONSTRAINT IF EXISTS security_audit_chain_id_key");
            }
            insertRow(c, seq + 1, line);
        });
    }

    /** Exchanges the contents (all but {@code seq}) of two rows. */
    public void swap(long a, long b) throws IOException {
        String la = entry(a);
        String lb = entry(b);
        tamper(c -> {
            delete(c, a, a + 1);
            delete(c, b, b + 1);
            insertRow(c, a, lb);
            insertRow(c, b, la);
        });
    }

    /** Replaces the root and the signed note of the checkpoint of {@code size}. */
    public void replaceCheckpoint(long size, String root, String note) throws IOException {
        tamper(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE security_audit_checkpoint SET root = ?, note = ?"
                    + " WHERE tree_size = ?")) {
                ps.setString(1, root);
                ps.setString(2, note);
                ps.setLong(3, size);
                if (ps.executeUpdate() != 1) {
                    throw new SQLException("no checkpoint of size " + size);
                }
            }
        });
    }

    /** A copy of every ledger table, kept in a schema of its own. */
    public Copy snapshot() throws IOException {
        String schema = "snap_" + Long.toHexString(System.nanoTime());
        tamper(c -> {
            try (Statement st = c.createStatement()) {
                st.execute("CREATE SCHEMA " + schema);
                for (String t : TABLES.split(", ")) {
                    st.execute("CREATE TABLE " + schema + "." + t + " AS TABLE public." + t);
                }
            }
        });
        return new Copy(schema);
    }

    /** Puts a {@link #snapshot()} back in place of the current tables. */
    public void rollbackTo(Copy copy) throws IOException {
        tamper(c -> {
            try (Statement st = c.createStatement()) {
                st.execute("TRUNCATE " + TABLES);
                for (String t : TABLES.split(", ")) {
                    st.execute("INSERT INTO public." + t + " SELECT * FROM " + copy.schema() + "." + t);
                }
            }
        });
    }

    /** A snapshot's name. */
    public record Copy(String schema) implements LedgerStoreCompatibilityKit.Snapshot {
    }

    private static void delete(Connection c, long from, long to) throws SQLException {
        try (PreparedStatement events = c.prepareStatement("DELETE FROM security_audit_event e USING"
                + " security_audit_chain c WHERE c.id = e.id AND c.seq >= ? AND c.seq < ?");
             PreparedStatement chain = c.prepareStatement("DELETE FROM security_audit_chain WHERE seq >= ? AND seq < ?")) {
            for (PreparedStatement ps : new PreparedStatement[] {events, chain}) {
                ps.setLong(1, from);
                ps.setLong(2, to);
                ps.executeUpdate();
            }
        }
    }

    /** Stores {@code line} at {@code seq}: its chain row, and its event row unless one with its id is there. */
    private static void insertRow(Connection c, long seq, String line) throws SQLException {
        var parsed = EventJson.parseLine(line, EntryCodec.LEDGER_MEMBERS);
        boolean eventThere;
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM security_audit_event WHERE id = ?")) {
            ps.setObject(1, parsed.event().id());
            try (ResultSet rs = ps.executeQuery()) {
                eventThere = rs.next();
            }
        }
        if (!eventThere) {
            CopyBinary event = new CopyBinary(2 * line.length()).header();
            Columns.appendEventRow(parsed.event(), event);
            copy(c, Columns.COPY_EVENTS, event.trailer());
        }
        byte[] entry = line.getBytes(StandardCharsets.UTF_8);
        CopyBinary chain = new CopyBinary(2 * entry.length).header();
        Columns.appendChainRow(seq, parsed.event().id(), entry, entry.length,
                String.valueOf(parsed.extras().get("prevHash")).getBytes(StandardCharsets.US_ASCII),
                String.valueOf(parsed.extras().get("hash")).getBytes(StandardCharsets.US_ASCII), chain);
        copy(c, Columns.COPY_CHAIN, chain.trailer());
    }

    private static void copy(Connection c, String sql, CopyBinary rows) throws SQLException {
        CopyIn copy = c.unwrap(PGConnection.class).getCopyAPI().copyIn(sql);
        copy.writeToCopy(rows.array(), 0, rows.length());
        copy.endCopy();
    }

    private interface SqlWork {
        void run(Connection c) throws SQLException;
    }

    private interface SqlRead<T> {
        T read(ResultSet rs) throws SQLException;
    }

    private void tamper(SqlWork work) throws IOException {
        try (Connection c = server.superuser(name)) {
            c.setAutoCommit(false);
            try (Statement st = c.createStatement()) {
                st.execute("SET LOCAL session_replication_role = replica"); // the append-only triggers stay quiet
            }
            work.run(c);
            c.commit();
        } catch (SQLException e) {
            throw new IOException("tampering with " + name + " failed: " + e.getMessage(), e);
        }
    }

    private <T> T query(String sql, SqlRead<T> read) throws IOException {
        try (Connection c = server.superuser(name); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            if (!rs.next()) {
                throw new IOException("no row for " + sql);
            }
            return read.read(rs);
        } catch (SQLException e) {
            throw new IOException(sql + " failed: " + e.getMessage(), e);
        }
    }
}
