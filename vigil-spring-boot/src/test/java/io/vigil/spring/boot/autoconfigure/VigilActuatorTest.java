package io.vigil.spring.boot.autoconfigure;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vigil.AuditLog;
import io.vigil.event.Actor;
import io.vigil.event.AuditEvent;
import io.vigil.event.EventCatalog;
import io.vigil.spring.internal.actuator.BootAuditListenersOff;
import io.vigil.spring.internal.actuator.LedgerAuditEventRepository;
import io.vigil.spring.internal.actuator.VigilEndpoint;
import io.vigil.spring.internal.actuator.VigilHealthIndicator;
import io.vigil.spring.internal.actuator.VigilMeters;
import io.vigil.spring.internal.ledger.VigilLedger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.actuate.audit.AuditEventRepository;
import org.springframework.boot.actuate.audit.InMemoryAuditEventRepository;
import org.springframework.boot.actuate.audit.listener.AuditApplicationEvent;
import org.springframework.boot.actuate.autoconfigure.audit.AuditAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.audit.AuditEventsEndpointAutoConfiguration;
import org.springframework.boot.actuate.security.AuthenticationAuditListener;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.authentication.event.AuthenticationFailureBadCredentialsEvent;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class VigilActuatorTest {

    @TempDir
    Path tmp;

    private ApplicationContextRunner runner() {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(VigilAutoConfiguration.class,
                        VigilActuatorAutoConfiguration.class, AuditAutoConfiguration.class,
                        AuditEventsEndpointAutoConfiguration.class))
                .withBean(MeterRegistry.class, SimpleMeterRegistry::new)
                .withPropertyValues("vigil.ledger.dir=" + tmp.resolve("ledger"), "spring.application.name=shop",
                        "vigil.pipeline.retry.max-attempts=1", "vigil.ledger.checkpoint-every=1");
    }

    @Test
    void healthIsUpWhileTheLedgerWritesAndDownOnceItCannot() {
        runner().run(ctx -> {
            AuditLog log = ctx.getBean(AuditLog.class);
            VigilHealthIndicator health = ctx.getBean(VigilHealthIndicator.class);
            log.record(AuditEvent.builder(EventCatalog.AUTH_LOGIN_SUCCESS).actor(Actor.user("alice"))).join();
            assertThat(health.health().getStatus()).isEqualTo(Status.UP);

            ctx.getBean(VigilLedger.class).store().close();
            log.record(AuditEvent.builder(EventCatalog.AUTH_LOGIN_SUCCESS).actor(Actor.user("bob")));
            log.flush(Duration.ofSeconds(5));
            assertThat(health.health().getStatus()).isEqualTo(Status.DOWN);
            assertThat(health.health().getDetails().get("problem").toString()).contains("is closed");

            MeterRegistry registry = ctx.getBean(MeterRegistry.class);
            ctx.getBean(VigilMeters.class).bindTo(registry);
            assertThat(registry.get("vigil.events").tag("result", "failed").functionCounter().count()).isEqualTo(1.0);
            assertThat(registry.get("vigil.events").tag("result", "written").functionCounter().count()).isGreaterThanOrEqualTo(2.0);
            assertThat(registry.get("vigil.ledger.write.failures").functionCounter().count()).isEqualTo(1.0);
            assertThat(registry.get("vigil.ledger.size").gauge().value()).isGreaterThanOrEqualTo(2.0);
            assertThat(registry.get("vigil.queue.capacity").gauge().value()).isEqualTo(65536.0);
            assertThat(registry.get("vigil.ledger.checkpoint.age").gauge().value()).isBetween(0.0, 60.0);
        });
    }

    @Test
    void theEndpointReportsStatusAndAVerificationIsItselfAudited() {
        runner().withPropertyValues("management.endpoints.web.exposure.include=vigil").run(ctx -> {
            AuditLog log = ctx.getBean(AuditLog.class);
            log.record(AuditEvent.builder(EventCatalog.AUTH_LOGIN_FAILURE).actor(Actor.user("alice"))).join();
            VigilEndpoint endpoint = ctx.getBean(VigilEndpoint.class);
            Map<String, Object> status = endpoint.status();
            assertThat(status).containsEntry("status", "UP").containsEntry("store", "file")
                    .containsEntry("origin", "vigil/shop").containsKey("publicKey");
            Map<String, Object> verified = endpoint.verify();
            assertThat(verified).containsEntry("intact", true);
            assertThat((Long) verified.get("entries")).isGreaterThanOrEqualTo(3L);
            log.flush(Duration.ofSeconds(5));
        });
        List<JsonNode> es = LedgerEntries.read(tmp.resolve("ledger"));
        assertThat(es).extracting(e -> e.path("type").asText())
                .contains("audit.log.read", "audit.verification.passed");
        assertThat(es.stream().filter(e -> e.path("type").asText().equals("audit.log.read")).findFirst()
                .orElseThrow().path("details").path("purpose").asText()).isEqualTo("verification");
    }

    @Test
    void auditEventsComeFromTheLedgerAndBootsOwnListenersBackOff() {
        runner().run(ctx -> {
            assertThat(ctx).hasSingleBean(LedgerAuditEventRepository.class)
                    .doesNotHaveBean(AuthenticationAuditListener.class)
                    .hasSingleBean(BootAuditListenersOff.Authentication.class);
            // A Spring Security event reaches no Boot listener that would record it a second time.
            ctx.publishEvent(new AuthenticationFailureBadCredentialsEvent(
                    UsernamePasswordAuthenticationToken.unauthenticated("mallory", "guess"),
                    new BadCredentialsException("bad")));
            // An event the application publishes is recorded, mapped to the catalogue.
            ctx.publishEvent(new AuditApplicationEvent("carol", "AUTHENTICATION_FAILURE", Map.of("reason", "x")));
            ctx.publishEvent(new AuditApplicationEvent("carol", "ORDER_EXPORTED", Map.of("rows", 12)));
            AuditLog log = ctx.getBean(AuditLog.class);
            log.flush(Duration.ofSeconds(5));
            AuditEventRepository repo = ctx.getBean(AuditEventRepository.class);
            List<org.springframework.boot.actuate.audit.AuditEvent> found = repo.find("carol", null, null);
            assertThat(found).extracting(org.springframework.boot.actuate.audit.AuditEvent::getType)
                    .containsExactly("auth.login.failure", "security.event.unmapped");
            assertThat(found.get(1).getData().get("details")).asString().contains("ORDER_EXPORTED");
            assertThat(repo.find(null, Instant.now().plusSeconds(60), null)).isEmpty();
            log.flush(Duration.ofSeconds(5));
        });
        List<JsonNode> es = LedgerEntries.read(tmp.resolve("ledger"));
        assertThat(es.toString()).doesNotContain("mallory").doesNotContain("guess");
        assertThat(es).filteredOn(e -> e.path("type").asText().equals("audit.log.read")).hasSize(2);
    }

    @Test
    void anApplicationRepositoryIsLeftAloneWithBootsListeners() {
        runner().withBean(AuditEventRepository.class, InMemoryAuditEventRepository::new).run(ctx -> {
            assertThat(ctx).doesNotHaveBean(LedgerAuditEventRepository.class)
                    .hasSingleBean(AuthenticationAuditListener.class);
        });
    }
}
