package io.vigil.postgres;

import io.vigil.ledger.VerificationReport;
import io.vigil.postgres.testsupport.LedgerDatabase;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Writers in separate JVMs, each thread with its own pool, append to one ledger: one chain, nothing twice. */
class ManyProcessesTest {
    static final String ORIGIN = "test.vigil.example/processes";

    @Test
    void threeProcessesMakeOneChain() throws Exception {
        LedgerDatabase db = LedgerDatabase.create("processes");
        int processes = 3;
        int threads = 2;
        int each = 10_000;
        List<Process> children = new ArrayList<>();
        for (int p = 0; p < processes; p++) {
            children.add(new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx256m", "-cp", System.getProperty("java.class.path"), WriterChild.class.getName(),
                    db.server().jdbcUrl(db.name()), "app_writer", "proc" + p, String.valueOf(threads),
                    String.valueOf(each)).redirectErrorStream(true).start());
        }
        for (Process child : children) {
            assertThat(child.waitFor(5, TimeUnit.MINUTES)).isTrue();
            String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(child.exitValue()).as(output).isZero();
            assertThat(output).contains("DONE " + (threads * each));
        }
        VerificationReport report = PostgresVerifier.of(db.reader()).verify();
        assertThat(report.intact()).as(report.toString()).isTrue();
        assertThat(report.entries()).isEqualTo((long) processes * threads * each);
        try (Connection c = db.server().superuser(db.name()); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(DISTINCT service), count(DISTINCT id),"
                     + " bool_and(ordered) FROM (SELECT service, id, (details->>'n')::bigint > coalesce(lag("
                     + "(details->>'n')::bigint) OVER (PARTITION BY service ORDER BY seq), -1) AS ordered"
                     + " FROM security_audit_log) t")) {
            rs.next();
            assertThat(rs.getLong(1)).isEqualTo(processes * threads);
            assertThat(rs.getLong(2)).isEqualTo((long) processes * threads * each);
            assertThat(rs.getBoolean(3)).isTrue();
        }
    }
}
