package io.vigil.spring.security;

import io.vigil.AuditContext;
import io.vigil.event.Actor;
import io.vigil.event.ActorType;
import io.vigil.event.AuditEvent;
import io.vigil.event.Outcome;
import io.vigil.spring.TokenAudit;
import io.vigil.spring.boot.autoconfigure.VigilSecurityAutoConfiguration;
import io.vigil.spring.internal.token.RevokedTokens;
import io.vigil.spring.web.RecordedEvents;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link TokenAudit} as an application gets it: a token followed by its keyed hash from creation to reuse, and a
 * bounded memory of revoked tokens whose time comes from the application's clock (no test sleeps).
 */
class TokenAuditTest {

    private ApplicationContextRunner runner() {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(VigilSecurityAutoConfiguration.class))
                .withUserConfiguration(Beans.class);
    }

    private static String hash(String token) {
        return RecordedEvents.HASHER.hash(token);
    }

    @Test
    void aTokensLifeIsFollowedByItsHashAndAReusedRevokedTokenIsCaught() {
        runner().run(ctx -> {
            TokenAudit tokens = ctx.getBean(TokenAudit.class);
            RecordedEvents recorded = ctx.getBean(RecordedEvents.class);
            String token = "gw_4f1c2b9e-secret-part";
            try (AuditContext.Scope s = AuditContext.builder().requestId("r-tok").clientIp("198.51.100.4").build()
                    .open()) {
                tokens.created(token, "tok-1", "alice", Instant.parse("2030-01-01T00:00:00Z"),
                        Map.of("scopes", List.of("read"), "tokenHash", "caller's own, ignored"));
                tokens.used(token, "tok-1", "alice");
                tokens.refreshed(token, token + "-2", "tok-1", "alice");
                tokens.revoked(token + "-2", "tok-1", "alice", Actor.user("admin"));
                assertThat(tokens.isRevoked(token + "-2")).isTrue();
                assertThat(tokens.rejected(token + "-2", "revoked")).isTrue();
                assertThat(tokens.rejected("gw_never-issued", "unknown")).isFalse();
            }
            List<AuditEvent> events = recorded.forRequestNow("r-tok");
            assertThat(events).extracting(AuditEvent::type).containsExactly("auth.token.created", "auth.token.used",
                    "auth.token.refreshed", "auth.token.revoked", "auth.token.reused", "auth.token.rejected");
            AuditEvent created = events.get(0);
            assertThat(created.actor().get().id()).contains("alice");
            assertThat(created.actor().get().ip()).contains("198.51.100.4");
            assertThat(created.target().get().type()).isEqualTo("token");
            assertThat(created.target().get().id()).contains("tok-1");
            assertThat(created.details()).containsEntry("tokenHash", hash(token))
                    .containsEntry("expiresAt", "2030-01-01T00:00:00Z").containsEntry("scopes", List.of("read"));
            assertThat(events.get(1).details()).containsEntry("tokenHash", hash(token));
            assertThat(events.get(2).details()).containsEntry("tokenHash", hash(token + "-2"))
                    .containsEntry("previousTokenHash", hash(token));
            AuditEvent revoked = events.get(3);
            assertThat(revoked.actor().get().id()).contains("admin");
            assertThat(revoked.details()).containsEntry("owner", "alice");
            AuditEvent reused = events.get(4);
            assertThat(reused.outcome()).isEqualTo(Outcome.DENIED);
            assertThat(reused.actor().get().type()).isEqualTo(ActorType.ANONYMOUS);
            assertThat(reused.actor().get().ip()).contains("198.51.100.4");
            assertThat(reused.details()).containsEntry("tokenHash", hash(token + "-2"));
            AuditEvent rejected = events.get(5);
            assertThat(rejected.reason()).contains("unknown");
            assertThat(rejected.details()).containsEntry("tokenHash", hash("gw_never-issued"));
            assertThat(recorded.json()).doesNotContain(token);
        });
    }

    @Test
    void revokedTokensAreRememberedWithinTheConfiguredSizeAndRetention() {
        runner().withPropertyValues("vigil.tokens.revoked-memory=2", "vigil.tokens.revoked-retention=1h")
                .run(ctx -> {
                    TokenAudit tokens = ctx.getBean(TokenAudit.class);
                    MutableClock clock = ctx.getBean(MutableClock.class);
                    tokens.revoked("t1", "1", "alice", Actor.user("alice"));
                    tokens.revoked("t2", "2", "alice", Actor.user("alice"));
                    tokens.revoked("t3", "3", "alice", Actor.user("alice"));
                    assertThat(tokens.isRevoked("t1")).as("the oldest is forgotten past the size").isFalse();
                    assertThat(tokens.isRevoked("t2")).isTrue();
                    clock.advance(Duration.ofMinutes(59));
                    tokens.revoked("t4", "4", "alice", Actor.user("alice"));
                    clock.advance(Duration.ofMinutes(2));
                    assertThat(tokens.isRevoked("t2")).as("forgotten").isFalse();
                    assertThat(tokens.isRevoked("t3")).as("past the retention").isFalse();
                    assertThat(tokens.isRevoked("t4")).isTrue();
                    assertThat(tokens.rejected("t2", "revoked")).as("forgotten: merely rejected").isFalse();
                });
    }

    @Test
    void revokedMemoryKeepsInsertionOrderAndExpiresFromTheOldest() {
        MutableClock clock = new MutableClock();
        RevokedTokens memory = new RevokedTokens(3, Duration.ofMinutes(10), clock);
        memory.remember("a");
        clock.advance(Duration.ofMinutes(5));
        memory.remember("b");
        memory.remember("a"); // revoked again: young again
        clock.advance(Duration.ofMinutes(6));
        assertThat(memory.contains("a")).isTrue();
        assertThat(memory.contains("b")).isTrue();
        clock.advance(Duration.ofMinutes(5));
        assertThat(memory.size()).isZero();
        RevokedTokens none = new RevokedTokens(0, Duration.ofDays(1), clock);
        none.remember("x");
        assertThat(none.contains("x")).isFalse();
    }

    @Test
    void aNegativeMemoryFailsStartUpNamingTheKey() {
        runner().withPropertyValues("vigil.tokens.revoked-memory=-1").run(ctx -> {
            assertThat(ctx).hasFailed();
            assertThat(ctx.getStartupFailure()).rootCause().hasMessageContaining("vigil.tokens.revoked-memory");
        });
    }

    @Configuration(proxyBeanMethods = false)
    @Import(RecordedEvents.Beans.class)
    static class Beans {
        @Bean
        MutableClock clock() {
            return new MutableClock();
        }
    }

    /** A clock the test moves by hand. */
    static final class MutableClock extends Clock {
        private Instant now = Instant.parse("2026-03-01T12:00:00Z");

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
