package io.vigil.server.internal;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.vigil.ledger.LedgerOptions;
import io.vigil.postgres.PostgresSchema;
import io.vigil.postgres.PostgresSchemaException;
import org.postgresql.Driver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HexFormat;
import java.util.Properties;

/**
 * The tenants' ledgers in one PostgreSQL database, a schema per tenant ({@link #schema}), each with the Vigil tables
 * of its own: its own chain, checkpoints and retention. A tenant's schema is created and migrated when it first
 * writes. The URL may carry a password, so it is never logged or put in a message: {@link #where} names the host and
 * the database only.
 */
public final class PostgresTenants implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PostgresTenants.class);
    /** PostgreSQL cuts identifiers at 63 bytes; names longer than this get a digest (see {@link #schema}). */
    private static final int MAX_IDENTIFIER = 63;
    private static final String PREFIX = "vigil_";
    private static final int POOL_SIZE = 4;

    private final String url;
    private final Properties login;
    private final String where;
    private final HikariDataSource admin;

    private PostgresTenants(String url, Properties login, String where, HikariDataSource admin) {
        this.url = url;
        this.login = login;
        this.where = where;
        this.admin = admin;
    }

    /**
     * Connects to the database at {@code url} ({@code jdbc:postgresql://HOST[:PORT]/DATABASE[?user=..&password=..]});
     * the user and password the URL does not give are taken from {@code PGUSER} and {@code PGPASSWORD}, as the
     * command line's other database commands take them, which keeps a password off the command line.
     *
     * @throws IOException when the URL cannot be read or the database cannot be reached
     */
    public static PostgresTenants open(String url) throws IOException {
        Properties parts = url.startsWith("jdbc:postgresql:") ? Driver.parseURL(url, null) : null;
        if (parts == null) {
            throw new IOException("the store is not a PostgreSQL JDBC URL such as"
                    + " jdbc:postgresql://HOST:5432/DATABASE");
        }
        String where = parts.getProperty("PGHOST", "localhost") + ":" + parts.getProperty("PGPORT", "5432") + "/"
                + parts.getProperty("PGDBNAME", "");
        Properties login = new Properties();
        for (String[] p : new String[][] {{"user", "PGUSER"}, {"password", "PGPASSWORD"}}) {
            String fromEnv = System.getenv(p[1]);
            if (parts.getProperty(p[0]) == null && fromEnv != null) {
                login.setProperty(p[0], fromEnv);
            }
        }
        HikariConfig cfg = config(url, login, "vigil-pg");
        cfg.setMaximumPoolSize(2);
        HikariDataSource admin;
        try {
            admin = new HikariDataSource(cfg);
        } catch (RuntimeException e) {
            throw new IOException("cannot connect to PostgreSQL at " + where + ": " + rootMessage(e), e);
        }
        LOG.info("tenants' ledgers in PostgreSQL at {}, a schema per tenant", where);
        return new PostgresTenants(url, login, where, admin);
    }

    private static HikariConfig config(String url, Properties login, String name) {
        HikariConfig cfg = new HikariConfig();
        cfg.setJdbcUrl(url);
        cfg.setDataSourceProperties(login);
        cfg.setPoolName(name);
        cfg.setMinimumIdle(0);
        cfg.setMaximumPoolSize(POOL_SIZE);
        return cfg;
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage();
    }

    /** The host, port and database, for messages: never the user or the password. */
    public String where() {
        return where;
    }

    /**
     * The schema of a tenant: {@code vigil_} and the tenant with {@code -} written {@code $}, which no tenant name
     * holds, so two tenants never share a schema. A name that would pass PostgreSQL's 63 bytes is cut, and ends with
     * {@code $} and 88 bits of the SHA-256 of the whole tenant name; it starts {@code vigil$}, so it cannot be the
     * schema of a shorter tenant either. Only lower-case letters, digits, {@code _} and {@code $}: safe in SQL once
     * quoted.
     */
    static String schema(String tenant) {
        if (!TenantLedgers.TENANT.matcher(tenant).matches()) {
            throw new IllegalArgumentException("tenant '" + tenant + "' is not a tenant name");
        }
        String mapped = tenant.replace('-', '$');
        if (PREFIX.length() + mapped.length() <= MAX_IDENTIFIER) {
            return PREFIX + mapped;
        }
        String digest;
        try {
            digest = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(tenant.getBytes(StandardCharsets.UTF_8))).substring(0, 22);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this Java", e);
        }
        String head = "vigil$";
        return head + mapped.substring(0, MAX_IDENTIFIER - head.length() - 1 - digest.length()) + "$" + digest;
    }

    /** Whether the tenant's schema holds a ledger: nothing is created for a tenant that never wrote. */
    public boolean exists(String tenant) throws IOException {
        try (Connection c = admin.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT 1 FROM pg_class t JOIN pg_namespace n"
                     + " ON n.oid = t.relnamespace WHERE n.nspname = ? AND t.relname = 'security_audit_ledger'")) {
            ps.setString(1, schema(tenant));
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        } catch (SQLException e) {
            throw new IOException("tenant " + tenant + ": cannot look for its schema in PostgreSQL at " + where + ": "
                    + e.getMessage(), e);
        }
    }

    /**
     * The tenant's ledger: its schema created when missing (which needs CREATE on the database; a schema made
     * beforehand by an administrator needs none) and brought to the newest Vigil version, then opened.
     */
    public PostgresTenantLedger open(String tenant, LedgerOptions options) throws IOException {
        String schema = schema(tenant);
        try {
            if (PostgresSchema.createIfMissing(admin, schema)) {
                LOG.info("tenant {}: created schema {} in PostgreSQL at {}", tenant, schema, where);
            }
        } catch (SQLException e) {
            throw new IOException("tenant " + tenant + ": cannot create schema " + schema + " in PostgreSQL at "
                    + where + ": " + e.getMessage(), e);
        }
        HikariConfig cfg = config(url, login, "vigil-pg-" + tenant);
        cfg.setSchema(schema); // every connection searches the tenant's schema alone
        HikariDataSource pool;
        try {
            pool = new HikariDataSource(cfg);
        } catch (RuntimeException e) {
            throw new IOException("tenant " + tenant + ": cannot connect to PostgreSQL at " + where + ": "
                    + rootMessage(e), e);
        }
        try {
            PostgresSchema.migrate(pool);
            return PostgresTenantLedger.open(tenant, pool, options);
        } catch (PostgresSchemaException e) {
            pool.close();
            throw new IOException("tenant " + tenant + ": schema " + schema + ": " + e.getMessage(), e);
        } catch (IOException | RuntimeException e) {
            pool.close();
            throw e;
        }
    }

    @Override
    public void close() {
        admin.close();
    }
}
