package io.vigil.kafka.internal;

import io.vigil.event.AuditEvent;
import io.vigil.kafka.SequencerTarget;
import io.vigil.ledger.LedgerOptions;
import io.vigil.ledger.LedgerStore;
import io.vigil.postgres.PostgresLedger;
import io.vigil.postgres.PostgresSchema;
import io.vigil.postgres.PostgresSchemaException;
import org.postgresql.ds.PGSimpleDataSource;

import javax.sql.DataSource;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * A partition's ledger in PostgreSQL: the Vigil tables in a schema of the partition's own ({@link #schema}), as the
 * server keeps a schema per tenant, plus {@code vigil_kafka_offset} (the partition's next offset and owner epoch) and
 * {@code vigil_kafka_rejected} (records that are no event). The offset row is updated in the append's own
 * transaction, so the ledger and the offset move together or not at all.
 *
 * <p>Fencing: taking the partition over increments the row's owner epoch and reads the offset in one statement
 * (which waits for an owner's append in flight, holding the row, to commit or roll back); every append updates the
 * offset only where the epoch is still the one it took over with. An owner that lost the partition without noticing
 * finds no row to update, and its whole append rolls back.
 */
final class PostgresPartitionLedger implements PartitionLedger {
    /** PostgreSQL cuts identifiers at 63 bytes. */
    private static final int MAX_IDENTIFIER = 63;
    private static final String PREFIX = "vigil_kafka_";

    private final String topic;
    private final int partition;
    private final DataSource dataSource;
    private final LedgerStore store;
    private final long epoch;
    private long next;

    private PostgresPartitionLedger(String topic, int partition, DataSource dataSource, LedgerStore store, long epoch,
                                    long next) {
        this.topic = topic;
        this.partition = partition;
        this.dataSource = dataSource;
        this.store = store;
        this.epoch = epoch;
        this.next = next;
    }

    /**
     * The schema of a partition: {@code vigil_kafka_TOPIC_P}, the topic lower-cased with every character but a-z, 0-9
     * and {@code _} written {@code _}. Where that changes the topic, or the name would pass 63 bytes, 64 bits of the
     * SHA-256 of the topic are added, so that two topics never share a schema.
     */
    static String schema(String topic, int partition) {
        String mapped = topic.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
        String tail = "_" + partition;
        if (mapped.equals(topic) && PREFIX.length() + mapped.length() + tail.length() <= MAX_IDENTIFIER) {
            return PREFIX + mapped + tail;
        }
        String digest;
        try {
            digest = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(topic.getBytes(StandardCharsets.UTF_8))).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this Java", e);
        }
        int room = MAX_IDENTIFIER - PREFIX.length() - digest.length() - 1 - tail.length();
        return PREFIX + mapped.substring(0, Math.min(room, mapped.length())) + "$" + digest + tail;
    }

    static PGSimpleDataSource dataSource(SequencerTarget.Postgres target) {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setURL(target.url());
        target.user().ifPresent(ds::setUser);
        target.password().ifPresent(ds::setPassword);
        return ds;
    }

    /**
     * Takes the partition's ledger over, creating its schema and tables when missing.
     *
     * @throws IOException when the database cannot be reached or written
     */
    static PartitionLedger open(SequencerTarget.Postgres target, String topic, int partition, LedgerOptions options)
            throws IOException {
        String schema = schema(topic, partition);
        try {
            PostgresSchema.createIfMissing(dataSource(target), schema);
        } catch (SQLException e) {
            throw new IOException("partition " + topic + "-" + partition + ": cannot create schema " + schema + ": "
                    + e.getMessage(), e);
        }
        PGSimpleDataSource ds = dataSource(target);
        ds.setCurrentSchema(schema); // every connection searches the partition's schema alone
        try {
            PostgresSchema.migrate(ds);
        } catch (PostgresSchemaException e) {
            throw new IOException("partition " + topic + "-" + partition + ": schema " + schema + ": "
                    + e.getMessage(), e);
        }
        long epoch;
        long next;
        try (Connection c = ds.getConnection()) {
            try (Statement st = c.createStatement()) {
                st.execute("CREATE TABLE IF NOT EXISTS vigil_kafka_offset (topic text NOT NULL,"
                        + " kafka_partition integer NOT NULL, next_offset bigint NOT NULL,"
                        + " owner_epoch bigint NOT NULL, PRIMARY KEY (topic, kafka_partition))");
                st.execute("CREATE TABLE IF NOT EXISTS vigil_kafka_rejected (topic text NOT NULL,"
                        + " kafka_partition integer NOT NULL, kafka_offset bigint NOT NULL,"
                        + " record_line integer NOT NULL, record_key bytea NOT NULL,"
                        + " record_value bytea NOT NULL, reason text NOT NULL,"
                        + " rejected_at timestamptz NOT NULL DEFAULT now(),"
                        + " PRIMARY KEY (topic, kafka_partition, kafka_offset, record_line))");
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO vigil_kafka_offset AS o"
                    + " (topic, kafka_partition, next_offset, owner_epoch) VALUES (?, ?, 0, 1)"
                    + " ON CONFLICT (topic, kafka_partition) DO UPDATE SET owner_epoch = o.owner_epoch + 1"
                    + " RETURNING next_offset, owner_epoch")) {
                ps.setString(1, topic);
                ps.setInt(2, partition);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    next = rs.getLong(1);
                    epoch = rs.getLong(2);
                }
            }
        } catch (SQLException e) {
            throw new IOException("partition " + topic + "-" + partition + ": cannot take its offset over in schema "
                    + schema + ": " + e.getMessage(), e);
        }
        return new PostgresPartitionLedger(topic, partition, ds, PostgresLedger.open(ds, options), epoch, next);
    }

    @Override
    public long nextOffset() {
        return next;
    }

    @Override
    public boolean alreadyAppended(UUID id) {
        return false; // the offset is committed with the entries: none can be past it
    }

    @Override
    public void append(List<AuditEvent> events, List<Rejected> rejected, long nextOffset) throws IOException {
        boolean[] fenced = {false};
        try {
            PostgresLedger.append(store, events, c -> {
                if (!rejected.isEmpty()) {
                    try (PreparedStatement ps = c.prepareStatement("INSERT INTO vigil_kafka_rejected"
                            + " (topic, kafka_partition, kafka_offset, record_line, record_key, record_value, reason)"
                            + " VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
                        for (Rejected r : rejected) {
                            ps.setString(1, topic);
                            ps.setInt(2, partition);
                            ps.setLong(3, r.offset());
                            ps.setInt(4, r.line());
                            ps.setBytes(5, r.key());
                            ps.setBytes(6, r.value());
                            ps.setString(7, r.reason());
                            ps.addBatch();
                        }
                        ps.executeBatch();
                    }
                }
                try (PreparedStatement ps = c.prepareStatement("UPDATE vigil_kafka_offset SET next_offset = ?"
                        + " WHERE topic = ? AND kafka_partition = ? AND owner_epoch = ?")) {
                    ps.setLong(1, nextOffset);
                    ps.setString(2, topic);
                    ps.setInt(3, partition);
                    ps.setLong(4, epoch);
                    if (ps.executeUpdate() == 0) {
                        fenced[0] = true;
                        throw new SQLException("fenced: another sequencer took partition " + topic + "-" + partition
                                + " over (owner epoch " + epoch + " is no longer current)");
                    }
                }
            });
        } catch (IOException e) {
            if (fenced[0]) {
                throw new FencedException("partition " + topic + "-" + partition + ": another sequencer owns it now;"
                        + " this append was rolled back");
            }
            throw e;
        }
        next = nextOffset;
    }

    @Override
    public List<UUID> lastIds(int count) throws IOException {
        List<UUID> ids = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT id FROM security_audit_chain ORDER BY seq DESC"
                     + " LIMIT ?")) {
            ps.setInt(1, count);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getObject(1, UUID.class));
                }
            }
        } catch (SQLException e) {
            throw new IOException("partition " + topic + "-" + partition + ": cannot read the last event ids: "
                    + e.getMessage(), e);
        }
        Collections.reverse(ids);
        return ids;
    }

    @Override
    public long size() {
        return store.size();
    }

    @Override
    public void close() throws IOException {
        store.close();
    }
}
