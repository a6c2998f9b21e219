package io.vigil.postgres;

import io.vigil.event.AuditEvent;
import io.vigil.ledger.LedgerOptions;
import io.vigil.ledger.LedgerStore;
import io.vigil.ledger.tck.SampleEvents;
import io.vigil.postgres.testsupport.LedgerDatabase;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A step run in an append's transaction commits with the entries, or rolls them back with it. */
class AppendStepTest {

    private static long marker(PGSimpleDataSource ds) throws SQLException {
        try (Connection c = ds.getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT coalesce(max(v), -1) FROM append_marker")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static PostgresLedger.AppendStep mark(long v) {
        return c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO append_marker (v) VALUES (?)")) {
                ps.setLong(1, v);
                ps.executeUpdate();
            }
        };
    }

    @Test
    void theStepCommitsWithTheEntriesAndRollsThemBack() throws Exception {
        LedgerDatabase db = LedgerDatabase.create("append_step");
        PGSimpleDataSource ds = db.superuser();
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE append_marker (v bigint NOT NULL)");
        }
        List<AuditEvent> events = SampleEvents.loginFailures(0, 6);
        try (LedgerStore store = PostgresLedger.open(ds, LedgerOptions.defaults("step.test"))) {
            assertThat(PostgresLedger.append(store, events.subList(0, 3), mark(1))).hasSize(3);
            assertThat(marker(ds)).isEqualTo(1);
            assertThat(store.size()).isEqualTo(3);

            assertThatThrownBy(() -> PostgresLedger.append(store, events.subList(3, 6), c -> {
                mark(2).run(c);
                throw new SQLException("refused by the step");
            })).isInstanceOf(IOException.class).hasMessageContaining("refused by the step");
            assertThat(store.size()).as("the entries rolled back with the step").isEqualTo(3);
            assertThat(marker(ds)).isEqualTo(1);

            // with no events the step runs alone
            assertThat(PostgresLedger.append(store, List.of(), mark(3))).isEmpty();
            assertThat(marker(ds)).isEqualTo(3);

            assertThat(PostgresLedger.append(store, events.subList(3, 6), mark(4))).hasSize(3);
            assertThat(store.size()).isEqualTo(6);
        }
        assertThat(PostgresVerifier.of(ds).verify().intact()).isTrue();
    }
}
