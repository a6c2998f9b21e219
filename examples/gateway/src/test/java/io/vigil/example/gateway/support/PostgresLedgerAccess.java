package io.vigil.example.gateway.support;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.ledger.VerificationReport;
import io.vigil.ledger.checkpoint.VerifierKey;
import io.vigil.postgres.PostgresVerifier;
import io.vigil.postgres.testsupport.PostgresServer;
import org.postgresql.ds.PGSimpleDataSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * A PostgreSQL ledger read as an auditor would: as a login member of {@code vigil_reader} (created on first use),
 * verified with {@link PostgresVerifier}.
 */
public final class PostgresLedgerAccess implements LedgerAccess {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String AUDITOR = "gateway_auditor";
    private final PostgresServer server;
    private final String database;
    private final VerifierKey key;
    private final Path localDir;
    private boolean auditorReady;

    /** @param localDir the gateway's local directory for a database ledger (generated keys, the spool) */
    public PostgresLedgerAccess(PostgresServer server, String database, VerifierKey key, Path localDir) {
        this.server = server;
        this.database = database;
        this.key = key;
        this.localDir = localDir;
    }

    public PostgresServer server() {
        return server;
    }

    @Override
    public List<Entry> entries() throws IOException {
        return query("SELECT seq, entry FROM security_audit_log ORDER BY seq", null);
    }

    @Override
    public List<Entry> entries(String requestId) throws IOException {
        return query("SELECT seq, entry FROM security_audit_log WHERE request_id = ? ORDER BY seq", requestId);
    }

    private List<Entry> query(String sql, String requestId) throws IOException {
        List<Entry> out = new ArrayList<>();
        try (Connection c = auditor().getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            if (requestId != null) {
                ps.setString(1, requestId);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Entry(rs.getLong(1), JSON.readTree(rs.getString(2))));
                }
            }
        } catch (SQLException e) {
            throw new IOException("reading the ledger failed: " + e.getMessage(), e);
        }
        return out;
    }

    @Override
    public VerificationReport verify() throws IOException {
        return PostgresVerifier.of(auditor()).key(key).verify();
    }

    @Override
    public String everything() throws IOException {
        StringBuilder all = new StringBuilder();
        try (Connection c = server.superuser(database); Statement st = c.createStatement()) {
            List<String> tables = new ArrayList<>();
            try (ResultSet rs = st.executeQuery("SELECT table_schema || '.' || table_name FROM information_schema.tables"
                    + " WHERE table_schema NOT IN ('pg_catalog', 'information_schema')")) {
                while (rs.next()) {
                    tables.add(rs.getString(1));
                }
            }
            for (String t : tables) {
                try (ResultSet rs = st.executeQuery("SELECT r::text FROM " + t + " r")) {
                    all.append(t).append('\n');
                    while (rs.next()) {
                        all.append(rs.getString(1)).append('\n');
                    }
                }
            }
        } catch (SQLException e) {
            throw new IOException("reading the database failed: " + e.getMessage(), e);
        }
        if (Files.isDirectory(localDir)) {
            try (Stream<Path> s = Files.walk(localDir)) {
                for (Path p : s.filter(Files::isRegularFile).sorted().toList()) {
                    all.append(p).append('\n').append(new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1))
                            .append('\n');
                }
            }
        }
        return all.toString();
    }

    /** Connections as a login member of vigil_reader, the role the gateway's schema grants reading to. */
    private synchronized PGSimpleDataSource auditor() throws IOException {
        if (!auditorReady) {
            try (Connection c = server.superuser(database); Statement st = c.createStatement()) {
                st.execute("DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '" + AUDITOR
                        + "') THEN CREATE ROLE " + AUDITOR + " LOGIN IN ROLE vigil_reader; END IF; END $$");
                st.execute("GRANT CONNECT ON DATABASE " + database + " TO " + AUDITOR);
            } catch (SQLException e) {
                throw new IOException("could not create the auditor role: " + e.getMessage(), e);
            }
            auditorReady = true;
        }
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setURL(server.jdbcUrl(database));
        ds.setUser(AUDITOR);
        return ds;
    }
}
