package io.vigil.postgres;

import io.vigil.event.AuditEvent;
import io.vigil.event.Category;
import io.vigil.ledger.LedgerOptions;
import io.vigil.ledger.LedgerReader;
import io.vigil.ledger.LedgerStore;
import io.vigil.postgres.internal.PostgresLedgerReader;
import io.vigil.postgres.internal.PostgresStore;
import io.vigil.sink.EntryPosition;

import javax.sql.DataSource;
import java.io.IOException;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

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

    /**
     * What runs inside an append's transaction just before it commits, on the append's connection: a row that must
     * be durable with the entries or not at all (a Kafka sequencer's consumer offset, say). Throwing rolls the whole
     * append back.
     */
    @FunctionalInterface
    public interface AppendStep {
        void run(Connection connection) throws SQLException;
    }

    /**
     * Appends {@code events} to a store opened by {@link #open}, running {@code beforeCommit} in the same transaction
     * after the entries are written and before the commit. With no events the step runs alone in a transaction.
     *
     * @return each event's seq and hash, in order
     * @throws IOException              when the append or the step fails; nothing of either is then in the database
     * @throws IllegalArgumentException when {@code store} was not opened by {@link #open}
     */
    public static List<EntryPosition> append(LedgerStore store, List<AuditEvent> events, AppendStep beforeCommit)
            throws IOException {
        if (!(store instanceof PostgresStore pg)) {
            throw new IllegalArgumentException("not a PostgreSQL ledger store: " + store.getClass().getName());
        }
        return pg.append(events, beforeCommit);
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

    /**
     * Where the events with these ids are in the ledger: the seq and hash of each one found (an id not in the ledger,
     * or in a pruned part of it, is absent). One query on the chain's unique index of ids.
     *
     * @throws IOException when the database cannot be reached
     */
    public static Map<UUID, EntryPosition> positions(DataSource dataSource, Collection<UUID> ids) throws IOException {
        Map<UUID, EntryPosition> out = new HashMap<>();
        if (ids.isEmpty()) {
            return out;
        }
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT id, seq, hash FROM security_audit_chain"
                     + " WHERE id = ANY (?)")) {
            Array array = c.createArrayOf("uuid", ids.toArray());
            try {
                ps.setArray(1, array);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.put(rs.getObject(1, UUID.class), new EntryPosition(rs.getLong(2), rs.getString(3)));
                    }
                }
            } finally {
                array.free();
            }
            return out;
        } catch (SQLException e) {
            throw new IOException("PostgreSQL ledger: cannot look up event ids: " + e.getMessage(), e);
        }
    }

    /** The first and the last minute (minutes since the epoch, UTC) in which an event of the ledger happened. */
    public record Minutes(long first, long last) {
    }

    /** Events and failures (any outcome but success) of one category in one bucket of minutes. */
    public record MinuteCount(long minute, Category category, long events, long failures) {
    }

    /** The span of minutes holding the ledger's events (not yet pruned); empty when it has none. */
    public static Optional<Minutes> minutes(DataSource dataSource) throws IOException {
        // min and max each read one end of the time index
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT floor(extract(epoch FROM min(\"timestamp\")) / 60)::bigint,"
                     + " floor(extract(epoch FROM max(\"timestamp\")) / 60)::bigint FROM security_audit_event")) {
            rs.next();
            long first = rs.getLong(1);
            return rs.wasNull() ? Optional.empty() : Optional.of(new Minutes(first, rs.getLong(2)));
        } catch (SQLException e) {
            throw new IOException("PostgreSQL ledger: cannot read the events' time span: " + e.getMessage(), e);
        }
    }

    /**
     * Counts per category in buckets of {@code width} minutes from minute {@code first} (inclusive) to {@code end}
     * (exclusive), minutes since the epoch in UTC; each row's {@code minute} is its bucket's first minute. One
     * aggregate over the range of the time index, oldest bucket first, categories in name order within a bucket.
     */
    public static List<MinuteCount> timeline(DataSource dataSource, long first, long end, long width)
            throws IOException {
        if (width < 1 || end < first) {
            throw new IllegalArgumentException("need first <= end and width >= 1; were " + first + ", " + end + ", "
                    + width);
        }
        List<MinuteCount> rows = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT (m - ?) / ? AS bucket, category, count(*),"
                     + " count(*) FILTER (WHERE outcome <> 'success') FROM (SELECT floor(extract(epoch FROM"
                     + " \"timestamp\") / 60)::bigint AS m, category, outcome FROM security_audit_event"
                     + " WHERE \"timestamp\" >= ? AND \"timestamp\" < ?) e GROUP BY bucket, category"
                     + " ORDER BY bucket, category")) {
            ps.setLong(1, first);
            ps.setLong(2, width);
            ps.setObject(3, minuteStart(first));
            ps.setObject(4, minuteStart(end));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(new MinuteCount(first + rs.getLong(1) * width, Category.fromJson(rs.getString(2)),
                            rs.getLong(3), rs.getLong(4)));
                }
            }
            return rows;
        } catch (SQLException e) {
            throw new IOException("PostgreSQL ledger: cannot count the events per minute: " + e.getMessage(), e);
        }
    }

    private static OffsetDateTime minuteStart(long minute) {
        return OffsetDateTime.ofInstant(Instant.ofEpochSecond(Math.multiplyExact(minute, 60L)), ZoneOffset.UTC);
    }
}
