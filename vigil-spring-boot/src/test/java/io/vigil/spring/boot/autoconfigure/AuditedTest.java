package io.vigil.spring.boot.autoconfigure;

import com.fasterxml.jackson.databind.JsonNode;
import io.vigil.AuditLog;
import io.vigil.ledger.LedgerVerifier;
import io.vigil.ledger.checkpoint.KeyFiles;
import io.vigil.spring.AuditUnavailableException;
import io.vigil.spring.Audited;
import io.vigil.spring.internal.ledger.VigilLedger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.config.annotation.method.configuration.EnableMethodSecurity;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.core.context.SecurityContextHolder;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code @Audited} on a real bean, through Spring's proxies and Spring Security's method security. */
class AuditedTest {

    @TempDir
    Path tmp;

    private ApplicationContextRunner runner() {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(AopAutoConfiguration.class, VigilAutoConfiguration.class,
                        VigilAuditedAutoConfiguration.class))
                .withUserConfiguration(App.class)
                .withPropertyValues("vigil.ledger.dir=" + tmp.resolve("ledger"), "spring.application.name=admin",
                        "vigil.pipeline.retry.max-attempts=2", "vigil.audited.fail-closed-timeout=2s");
    }

    @AfterEach
    void clear() {
        SecurityContextHolder.clearContext();
    }

    private static void signIn(String user, String... roles) {
        SecurityContextHolder.getContext().setAuthentication(UsernamePasswordAuthenticationToken.authenticated(user,
                null, AuthorityUtils.createAuthorityList(roles)));
    }

    private List<JsonNode> entries(AuditLog log) {
        assertThat(log.flush(Duration.ofSeconds(5))).isTrue();
        return LedgerEntries.read(tmp.resolve("ledger")).stream()
                .filter(e -> !e.path("type").asText().startsWith("audit.started")).toList();
    }

    @Test
    void successDeniedFailureAndErrorAreRecordedWithTargetAndDetailsFromSpel() {
        runner().run(ctx -> {
            Users users = ctx.getBean(Users.class);
            AuditLog log = ctx.getBean(AuditLog.class);
            signIn("admin", "ROLE_ADMIN");
            assertThat(users.create("carol", List.of("ROLE_USER"))).isEqualTo("carol");
            signIn("alice", "ROLE_USER");
            assertThatThrownBy(() -> users.create("mallory", List.of("ROLE_ADMIN")))
                    .isInstanceOf(AccessDeniedException.class);
            assertThatThrownBy(() -> users.changePassword("wrong")).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> users.delete("bob")).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(() -> users.explode()).isInstanceOf(UnsupportedOperationException.class);

            List<JsonNode> es = entries(log);
            JsonNode created = es.stream().filter(e -> e.path("type").asText().equals("admin.user.created")
                    && e.path("outcome").asText().equals("success")).findFirst().orElseThrow();
            assertThat(created.path("actor").path("id").asText()).isEqualTo("admin");
            assertThat(created.path("target").path("type").asText()).isEqualTo("user");
            assertThat(created.path("target").path("id").asText()).isEqualTo("carol");
            assertThat(created.path("details").path("roles").get(0).asText()).isEqualTo("ROLE_USER");
            assertThat(created.path("details").path("result").asText()).isEqualTo("carol");

            // Denied by @PreAuthorize, which runs inside @Audited: the denial is the method's outcome.
            JsonNode denied = es.stream().filter(e -> e.path("target").path("id").asText().equals("mallory"))
                    .findFirst().orElseThrow();
            assertThat(denied.path("type").asText()).isEqualTo("admin.user.created");
            assertThat(denied.path("outcome").asText()).isEqualTo("denied");
            assertThat(denied.path("actor").path("id").asText()).isEqualTo("alice");
            assertThat(denied.path("error").asText()).contains("AuthorizationDeniedException");

            // A refused password change becomes the catalogue's failure twin; the password never appears.
            JsonNode pw = es.stream().filter(e -> e.path("type").asText().startsWith("auth.password"))
                    .findFirst().orElseThrow();
            assertThat(pw.path("type").asText()).isEqualTo("auth.password.change_failed");
            assertThat(pw.path("outcome").asText()).isEqualTo("failure");
            assertThat(pw.path("reason").asText()).isEqualTo("the current password is wrong");
            assertThat(pw.path("details").has("current")).isFalse();

            JsonNode deleted = es.stream().filter(e -> e.path("type").asText().equals("admin.user.deleted"))
                    .findFirst().orElseThrow();
            assertThat(deleted.path("outcome").asText()).isEqualTo("failure");
            JsonNode error = es.stream().filter(e -> e.path("type").asText().equals("admin.settings.changed"))
                    .findFirst().orElseThrow();
            assertThat(error.path("outcome").asText()).isEqualTo("error");
            assertThat(error.path("error").asText()).isEqualTo(UnsupportedOperationException.class.getName());
        });
    }

    @Test
    void failClosedWritesTheAttemptFirstAndLinksTheResultToIt() {
        runner().run(ctx -> {
            signIn("admin", "ROLE_ADMIN");
            Users users = ctx.getBean(Users.class);
            users.changeSettings(Map.of("smtpPassword", "hunter2", "banner", "hi"));
            List<JsonNode> es = entries(ctx.getBean(AuditLog.class));
            JsonNode attempt = es.stream().filter(e -> e.path("type").asText().equals("audit.action.attempted"))
                    .findFirst().orElseThrow();
            JsonNode result = es.stream().filter(e -> e.path("type").asText().equals("admin.settings.changed"))
                    .findFirst().orElseThrow();
            assertThat(attempt.path("seq").asLong()).isLessThan(result.path("seq").asLong());
            assertThat(attempt.path("details").path("type").asText()).isEqualTo("admin.settings.changed");
            assertThat(result.path("details").path("attemptId").asText()).isEqualTo(attempt.path("id").asText());
            assertThat(result.path("details").path("settings").path("smtpPassword").asText()).isEqualTo("[REDACTED]");
            assertThat(result.path("details").path("settings").path("banner").asText()).isEqualTo("hi");
            assertThat(users.settingsChanges()).isEqualTo(1);
        });
    }

    @Test
    void failClosedDoesNotActWhenTheLedgerCannotWrite() throws Exception {
        runner().run(ctx -> {
            signIn("admin", "ROLE_ADMIN");
            Users users = ctx.getBean(Users.class);
            // The ledger's store closed underneath the running log: every append fails from now on.
            ctx.getBean(VigilLedger.class).store().close();
            assertThatThrownBy(() -> users.changeSettings(Map.of("banner", "changed")))
                    .isInstanceOf(AuditUnavailableException.class)
                    .hasMessageContaining("was not carried out");
            assertThat(users.settingsChanges()).isZero();
            // Fail-open methods still run.
            assertThat(users.create("dave", List.of())).isEqualTo("dave");
        });
        Path dir = tmp.resolve("ledger");
        assertThat(LedgerVerifier.of(dir).key(KeyFiles.readPublic(dir.resolve("signing.pub"))).verify().intact())
                .isTrue();
    }

    @Configuration(proxyBeanMethods = false)
    @EnableMethodSecurity
    static class App {
        @Bean
        Users users() {
            return new Users();
        }
    }

    static class Users {
        private final AtomicInteger settingsChanges = new AtomicInteger();

        public int settingsChanges() {
            return settingsChanges.get();
        }

        @Audited(type = "admin.user.created", targetType = "user", targetId = "#name",
                details = {"roles=#roles", "result=#result"})
        @PreAuthorize("hasRole('ADMIN')")
        public String create(String name, List<String> roles) {
            return name;
        }

        @Audited(type = "auth.password.changed", targetType = "user", targetId = "'alice'")
        public void changePassword(String current) {
            throw new IllegalArgumentException("the current password is wrong");
        }

        @Audited(type = "admin.user.deleted", targetType = "user", targetId = "#name")
        public void delete(String name) {
            throw new IllegalStateException("no such user");
        }

        @Audited(type = "admin.settings.changed")
        public void explode() {
            throw new UnsupportedOperationException("boom");
        }

        @Audited(type = "admin.settings.changed", targetType = "settings", targetId = "'gateway'",
                details = "settings=#changes", failClosed = true)
        public void changeSettings(Map<String, String> changes) {
            settingsChanges.incrementAndGet();
        }
    }
}
