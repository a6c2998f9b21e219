package io.vigil.spring.boot.autoconfigure;

import io.vigil.AuditLog;
import io.vigil.event.Actor;
import io.vigil.event.AuditEvent;
import io.vigil.event.EventCatalog;
import io.vigil.ledger.LedgerVerifier;
import io.vigil.ledger.checkpoint.KeyFiles;
import io.vigil.ledger.checkpoint.SigningKey;
import io.vigil.sink.Sinks;
import io.vigil.spring.SecretHasher;
import io.vigil.spring.internal.ledger.VigilLedger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Configuration;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@ExtendWith(OutputCaptureExtension.class)
class VigilAutoConfigurationTest {

    @TempDir
    Path tmp;

    private ApplicationContextRunner runner() {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(VigilAutoConfiguration.class))
                .withSystemProperties("user.home=" + tmp.resolve("home"))
                .withPropertyValues("spring.application.name=orders");
    }

    @Test
    void withNoPropertyAuditsToALedgerUnderTheHomeWithAGeneratedKeyAndOneWarning(CapturedOutput output) throws Exception {
        Path dir = tmp.resolve("home/.vigil/ledger/orders");
        runner().run(ctx -> {
            assertThat(ctx).hasSingleBean(AuditLog.class).hasSingleBean(VigilLedger.class)
                    .hasSingleBean(SecretHasher.class);
            AuditLog log = ctx.getBean(AuditLog.class);
            log.record(AuditEvent.builder(EventCatalog.AUTH_LOGIN_FAILURE).actor(Actor.user("alice"))).join();
        });
        assertThat(Files.getPosixFilePermissions(dir.resolve("signing.key")))
                .isEqualTo(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE));
        assertThat(Files.getPosixFilePermissions(dir.resolve("hash.key")))
                .isEqualTo(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE));
        assertThat(LedgerEntries.ofType(dir, "auth.login.failure")).singleElement()
                .satisfies(e -> assertThat(e.path("service").asText()).isEqualTo("orders"));
        assertThat(LedgerVerifier.of(dir).key(KeyFiles.readPublic(dir.resolve("signing.pub"))).verify().intact())
                .isTrue();
        String out = output.getOut() + output.getErr();
        assertThat(out.split("vigil.ledger.signing-key-file is not set", -1)).hasSize(2);
        assertThat(out).contains("self-consistent");
    }

    @Test
    void aConfiguredDirectoryAndKeyAreUsedAndNoWarningIsLogged(CapturedOutput output) throws Exception {
        Path dir = tmp.resolve("ledger");
        Path key = tmp.resolve("keys/gateway.key");
        Files.createDirectories(key.getParent());
        KeyFiles.write(SigningKey.generate("orders"), key, tmp.resolve("keys/gateway.pub"));
        runner().withPropertyValues("vigil.ledger.dir=" + dir, "vigil.ledger.signing-key-file=" + key)
                .run(ctx -> ctx.getBean(AuditLog.class)
                        .record(AuditEvent.builder(EventCatalog.ADMIN_USER_CREATED).actor(Actor.user("admin"))).join());
        assertThat(LedgerEntries.ofType(dir, "admin.user.created")).hasSize(1);
        assertThat(Files.exists(dir.resolve("signing.key"))).isFalse();
        assertThat(LedgerVerifier.of(dir).key(KeyFiles.readPublic(tmp.resolve("keys/gateway.pub"))).verify().intact())
                .isTrue();
        assertThat(output.getOut() + output.getErr()).doesNotContain("vigil.ledger.signing-key-file is not set");
    }

    @Test
    void disabledCreatesNoBean() {
        runner().withPropertyValues("vigil.enabled=false").run(ctx -> {
            assertThat(ctx).doesNotHaveBean(AuditLog.class).doesNotHaveBean(VigilLedger.class)
                    .doesNotHaveBean(SecretHasher.class);
            assertThat(Files.exists(tmp.resolve("home/.vigil"))).isFalse();
        });
    }

    @Test
    void theApplicationsOwnLogAndHasherWin() {
        runner().withBean(AuditLog.class, () -> AuditLog.builder().sink("mine", Sinks.handler(e -> { })).build())
                .withBean(SecretHasher.class, () -> s -> "fixed")
                .run(ctx -> {
                    assertThat(ctx).hasSingleBean(AuditLog.class).doesNotHaveBean(VigilLedger.class);
                    assertThat(ctx.getBean(SecretHasher.class).hash("x")).isEqualTo("fixed");
                    ctx.getBean(AuditLog.class).close();
                });
    }

    @Test
    void aBadCoreValueFailsStartUpNamingTheSpringKeyAndTheAllowedValues() {
        runner().withPropertyValues("vigil.pipeline.overflow=explode").run(ctx -> {
            assertThat(ctx).hasFailed();
            assertThat(ctx.getStartupFailure()).rootCause().hasMessageContaining("vigil.pipeline.overflow")
                    .hasMessageContaining("block, drop, fail");
        });
        runner().withPropertyValues("vigil.categories=auth,nonsense").run(ctx -> {
            assertThat(ctx).hasFailed();
            assertThat(ctx.getStartupFailure()).rootCause().hasMessageContaining("vigil.categories")
                    .hasMessageContaining("rate_limit");
        });
    }

    @Test
    void aBadSpringOnlyValueFailsStartUpNamingTheKeyAndTheAllowedValues(CapturedOutput output) {
        // A real start, so Spring Boot's failure analysis prints what it prints for any application.
        assertThatThrownBy(() -> new SpringApplicationBuilder(Empty.class).web(WebApplicationType.NONE)
                .properties("vigil.ledger.store=mongo", "user.home=" + tmp.resolve("home"),
                        "spring.autoconfigure.exclude=org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration")
                .run())
                .hasStackTraceContaining("Failed to bind properties under 'vigil.ledger.store'");
        assertThat(output.getOut() + output.getErr()).contains("vigil.ledger.store").contains("mongo")
                .containsIgnoringCase("FILE").containsIgnoringCase("POSTGRES");
        runner().withPropertyValues("vigil.ledger.signing-key-file=" + tmp.resolve("missing.key")).run(ctx -> {
            assertThat(ctx).hasFailed();
            assertThat(ctx.getStartupFailure()).rootCause().hasMessageContaining("vigil.ledger.signing-key-file")
                    .hasMessageContaining("vigil keygen");
        });
        runner().withPropertyValues("vigil.ledger.fsync-interval=1m").run(ctx -> {
            assertThat(ctx).hasFailed();
            assertThat(ctx.getStartupFailure()).rootCause().hasMessageContaining("vigil.ledger.fsync-interval")
                    .hasMessageContaining("between 0").hasMessageContaining("60000ms");
        });
    }

    @Test
    void aGroupedFsyncIntervalStillCompletesEachReceiptOnceTheEntryIsInTheLedger() {
        Path dir = tmp.resolve("grouped");
        runner().withPropertyValues("vigil.ledger.dir=" + dir, "vigil.ledger.fsync-interval=50ms").run(ctx -> {
            AuditLog log = ctx.getBean(AuditLog.class);
            for (int i = 0; i < 3; i++) {
                log.record(AuditEvent.builder(EventCatalog.ADMIN_USER_CREATED).actor(Actor.user("admin"))).join();
                assertThat(LedgerEntries.ofType(dir, "admin.user.created")).hasSize(i + 1);
            }
        });
    }

    @EnableAutoConfiguration
    @Configuration(proxyBeanMethods = false)
    static class Empty {
    }

    @Test
    void coreKeysBindInKebabAndInTheFilesCamelCaseAndFilterAsInTheFile() {
        Path extra = tmp.resolve("extra/audit.jsonl");
        runner().withPropertyValues("vigil.pipeline.queue-capacity=1024", "vigil.redaction.allowKeys=passwordPolicy",
                        "vigil.types.exclude=data.read", "vigil.sinks[0].type=file", "vigil.sinks[0].path=" + extra,
                        "vigil.sinks[0].filter.min-outcome=denied")
                .run(ctx -> {
                    AuditLog log = ctx.getBean(AuditLog.class);
                    assertThat(log.stats().queueCapacity()).isEqualTo(1024);
                    assertThat(log.currentConfig().sinks()).extracting(s -> s.name()).containsExactly("file", "ledger");
                    log.record(AuditEvent.builder(EventCatalog.DATA_READ).actor(Actor.user("a")));
                    log.record(AuditEvent.builder(EventCatalog.AUTHZ_ACCESS_DENIED).actor(Actor.user("a"))
                            .detail("passwordPolicy", "strict").detail("password", "hunter2")).join();
                    assertThat(log.flush(Duration.ofSeconds(5))).isTrue();
                });
        Path dir = tmp.resolve("home/.vigil/ledger/orders");
        assertThat(LedgerEntries.ofType(dir, "data.read")).isEmpty();
        assertThat(LedgerEntries.ofType(dir, "authz.access.denied")).singleElement().satisfies(e -> {
            assertThat(e.path("details").path("passwordPolicy").asText()).isEqualTo("strict");
            assertThat(e.path("details").path("password").asText()).isEqualTo("[REDACTED]");
        });
        assertThat(extra).exists();
    }

    @Test
    void theHasherIsKeyedStableAndNeverShowsTheSecret() {
        runner().run(ctx -> {
            SecretHasher h = ctx.getBean(SecretHasher.class);
            String a = h.hash("session-123");
            assertThat(a).matches("hmac-sha256:[0-9a-f]{32}").isEqualTo(h.hash("session-123"))
                    .isNotEqualTo(h.hash("session-124")).doesNotContain("session-123");
        });
        // A second start reads the same key: hashes stay correlatable across restarts.
        String[] first = new String[1];
        runner().run(ctx -> first[0] = ctx.getBean(SecretHasher.class).hash("t"));
        runner().run(ctx -> assertThat(ctx.getBean(SecretHasher.class).hash("t")).isEqualTo(first[0]));
    }
}
