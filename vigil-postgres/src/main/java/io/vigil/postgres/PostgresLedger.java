package io.vigil.postgres;

import io.vigil.ledger.internal.EntryCodec;
import io.vigil.json.EventJson;
import io.vigil.ledger.LedgerOptions;
import io.vigil.ledger.LedgerStore;
import io.vigil.postgres.internal.PostgresStore;

import javax.sql.DataSource;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
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
     * One page of the entries matching {@code query}, in seq order. Each filter uses an index that has the time as
     * its second column, so a user's, an IP's or a resource's history over a period is an index range scan.
     */
    public static QueryPage query(DataSource dataSource, AuditQuery query) throws IOException {
        Objects.requireNonNull(query, "query");
        StringBuilder sql = new StringBuilder("SELECT seq, entry, hash FROM security_audit_log WHERE true");
        List<Object> args = new ArrayList<>();
        query.user().ifPresent(v -> add(sql, args, " AND actor_id = ?", v));
        query.type().ifPresent(v -> {
            if (v.endsWith(".*")) {
                String prefix = v.substring(0, v.length() - 1); // keeps the dot: auth.login.
                add(sql, args, " AND type LIKE ? ESCAPE '\\'", prefix.replace("\\", "\\\\").replace("_", "\\_")
                        .replace("%", "\\%") + "%");
            } else {
                add(sql, args, " AND type = ?", v);
            }
        });
        query.resourceType().ifPresent(v -> add(sql, args, " AND resource_type = ?", v));
        query.resourceId().ifPresent(v -> add(sql, args, " AND resource_id = ?", v));
        query.ip().ifPresent(v -> add(sql, args, " AND actor_ip = ?", v));
        query.tenant().ifPresent(v -> add(sql, args, " AND tenant = ?", v));
        query.from().ifPresent(v -> add(sql, args, " AND \"timestamp\" >= ?", Timestamp.from(v)));
        query.to().ifPresent(v -> add(sql, args, " AND \"timestamp\" < ?", Timestamp.from(v)));
        query.cursor().ifPresent(v -> add(sql, args, " AND seq > ?", AuditQuery.afterSeq(v)));
        sql.append(" ORDER BY seq LIMIT ").append(query.limit() + 1);
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql.toString())) {
            for (int i = 0; i < args.size(); i++) {
                ps.setObject(i + 1, args.get(i));
            }
            List<StoredEntry> out = new ArrayList<>();
            boolean more = false;
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (out.size() == query.limit()) {
                        more = true;
                        break;
                    }
                    String line = rs.getString(2);
                    out.add(new StoredEntry(rs.getLong(1), EventJson.parseLine(line, EntryCodec.LEDGER_MEMBERS).event(),
                            rs.getString(3), line));
                }
            }
            Optional<String> next = more ? Optional.of(AuditQuery.cursorAfter(out.get(out.size() - 1).seq()))
                    : Optional.empty();
            return new QueryPage(out, next);
        } catch (SQLException e) {
            throw new IOException("PostgreSQL ledger: the query failed: " + e.getMessage(), e);
        }
    }

    private static void add(StringBuilder sql, List<Object> args, String clause, Object value) {
        sql.append(clause);
        args.add(value);
    }
}
