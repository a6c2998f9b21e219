package io.vigil.spring.boot.autoconfigure;

import io.vigil.AuditLog;
import io.vigil.event.Actor;
import io.vigil.event.AuditEvent;
import io.vigil.event.EventCatalog;
import io.vigil.ledger.VerificationReport;
import io.vigil.ledger.checkpoint.KeyFiles;
import io.vigil.postgres.PostgresVerifier;
import io.vigil.postgres.testsupport.PostgresServer;
import io.vigil.spring.internal.ledger.VigilLedger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.ds.PGSimpleDataSource;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import javax.sql.DataSource;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code vigil.ledger.store=postgres} against a real PostgreSQL. */
class PostgresStoreTest {

    @TempDir
    Path tmp;

    private ApplicationContextRunner runner() {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(VigilAutoConfiguration.class))
                .withPropertyValues("vigil.ledger.store=postgres", "vigil.ledger.dir=" + tmp.resolve("keys"),
                        "spring.application.name=billing");
    }

    @Test
    void aDatabaseOfVigilsOwnFromJdbcProperties() throws Exception {
        PostgresServer server = PostgresServer.shared();
        String db = server.createDatabase("boot");
        runner().withPropertyValues("vigil.ledger.jdbc.url=" + server.jdbcUrl(db),
                "vigil.ledger.jdbc.username=postgres").run(ctx -> {
            assertThat(ctx.getBean(VigilLedger.class).kind()).isEqualTo("postgres");
            assertThat(ctx.getBean(VigilLedger.class).location()).doesNotContain("password");
            AuditLog log = ctx.getBean(AuditLog.class);
            for (int i = 0; i < 20; i++) {
                log.record(AuditEvent.builder(EventCatalog.AUTH_LOGIN_FAILURE).actor(Actor.user("u" + i)));
            }
            log.record(AuditEvent.builder(EventCatalog.AUTH_LOGIN_SUCCESS).actor(Actor.user("alice"))).join();
        });
        DataSource ds = superuser(server, db);
        assertThat(count(ds, "auth.login.failure")).isEqualTo(20);
        VerificationReport r = PostgresVerifier.of(ds).key(KeyFiles.readPublic(tmp.resolve("keys/signing.pub"))).verify();
        assertThat(r.intact()).as(r.reason().orElse("")).isTrue();
        assertThat(r.checkpointsVerified()).isPositive();
    }

    @Test
    void theApplicationsDataSourceWhenNoUrlIsGiven() throws Exception {
        PostgresServer server = PostgresServer.shared();
        String db = server.createDatabase("bootapp");
        DataSource ds = superuser(server, db);
        runner().withBean(DataSource.class, () -> ds).run(ctx -> ctx.getBean(AuditLog.class)
                .record(AuditEvent.builder(EventCatalog.ADMIN_USER_CREATED).actor(Actor.user("admin"))).join());
        assertThat(count(ds, "admin.user.created")).isEqualTo(1);
    }

    @Test
    void withoutADatabaseTheStartFailsSayingWhatToSet() {
        runner().run(ctx -> {
            assertThat(ctx).hasFailed();
            assertThat(ctx.getStartupFailure()).rootCause().hasMessageContaining("vigil.ledger.jdbc.url")
                    .hasMessageContaining("spring.datasource.url");
        });
    }

    private static DataSource superuser(PostgresServer server, String db) {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setURL(server.jdbcUrl(db));
        ds.setUser("postgres");
        return ds;
    }

    private static long count(DataSource ds, String type) throws Exception {
        try (Connection c = ds.getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*) FROM security_audit_log WHERE type = '" + type + "'")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
