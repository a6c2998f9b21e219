package io.vigil.logback;

import io.vigil.AuditContext;
import io.vigil.event.Actor;
import io.vigil.event.ActorType;
import io.vigil.event.AuditEvent;
import io.vigil.event.EventCatalog;
import io.vigil.event.Outcome;
import io.vigil.event.Severity;
import io.vigil.event.Target;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

import java.time.Instant;
import java.util.Optional;

import static io.vigil.logback.Fixture.AUDIT;
import static io.vigil.logback.Fixture.SECURITY;
import static org.assertj.core.api.Assertions.assertThat;

/** How one marked log call becomes one audit event: type, fields, details, reason, through a real AuditLog. */
class EventMappingTest {
    private final Fixture f = new Fixture();

    @AfterEach
    void close() {
        f.close();
        MDC.clear();
    }

    @Test
    void aCatalogueTypeWithItsKeysBecomesThatEvent() {
        Instant before = Instant.now().minusMillis(1);
        f.logger().atInfo().addMarker(AUDIT)
                .addKeyValue("type", "auth.login.failure")
                .addKeyValue("actor", "alice")
                .addKeyValue("ip", "203.0.113.9")
                .addKeyValue("userAgent", "curl/8.5")
                .addKeyValue("tenant", "acme")
                .addKeyValue("requestId", "req-1")
                .addKeyValue("traceId", "4bf92f3577b34da6a3ce929d0e0e4736")
                .addKeyValue("method", "password")
                .log("bad credentials for {}", "alice");

        AuditEvent e = f.only();
        assertThat(e.type()).isEqualTo("auth.login.failure");
        assertThat(e.category()).isEqualTo(EventCatalog.AUTH_LOGIN_FAILURE.category());
        assertThat(e.outcome()).isEqualTo(Outcome.FAILURE);
        assertThat(e.severity()).isEqualTo(EventCatalog.AUTH_LOGIN_FAILURE.severity());
        assertThat(e.actor()).contains(new Actor(ActorType.USER, Optional.of("alice"), Optional.empty(),
                Optional.of("203.0.113.9"), Optional.of("curl/8.5")));
        assertThat(e.tenant()).contains("acme");
        assertThat(e.requestId()).contains("req-1");
        assertThat(e.traceId()).contains("4bf92f3577b34da6a3ce929d0e0e4736");
        assertThat(e.reason()).contains("bad credentials for alice");
        assertThat(e.details()).containsEntry("method", "password")
                .containsEntry("logger", Fixture.APP)
                .containsEntry("logLevel", "INFO")
                .doesNotContainKeys("type", "actor", "ip", "userAgent", "tenant", "requestId", "traceId",
                        "sourceType");
        assertThat(e.timestamp()).isAfter(before).isBeforeOrEqualTo(Instant.now());
        assertThat(f.bridge.counters()).isEqualTo(new BridgeCounters(1, 0, 0, 0, 0, 0));
    }

    @Test
    void anOwaspNameWithAnArgumentMapsToItsTypeAndTheArgumentIsTheActor() {
        f.logger().atWarn().addMarker(SECURITY).addKeyValue("type", "authn_login_fail:alice")
                .addKeyValue("ip", "198.51.100.4").log("login failed");
        f.logger().atWarn().addMarker(SECURITY).addKeyValue("type", "AUTHN_login_fail_max:bob,3").log("locked out");

        var events = f.events();
        assertThat(events).extracting(AuditEvent::type)
                .containsExactly("auth.login.failure", "auth.login.failure_limit_reached");
        assertThat(events.get(0).actor()).hasValueSatisfying(a -> {
            assertThat(a.type()).isEqualTo(ActorType.USER);
            assertThat(a.id()).contains("alice");
            assertThat(a.ip()).contains("198.51.100.4");
        });
        assertThat(events.get(0).details()).containsEntry("owasp", "authn_login_fail:alice")
                .doesNotContainKey("sourceType");
        assertThat(events.get(1).actor().flatMap(Actor::id)).contains("bob");
        assertThat(f.bridge.counters().mapped()).isEqualTo(2);
    }

    @Test
    void anExplicitActorWinsOverTheOwaspArgument() {
        f.logger().atInfo().addMarker(AUDIT).addKeyValue("type", "authz_fail:joebob1,/admin")
                .addKeyValue("actor", "svc-batch").addKeyValue("actorType", "service").log("denied");

        AuditEvent e = f.only();
        assertThat(e.type()).isEqualTo("authz.access.denied");
        assertThat(e.actor()).hasValueSatisfying(a -> {
            assertThat(a.type()).isEqualTo(ActorType.SERVICE);
            assertThat(a.id()).contains("svc-batch");
        });
    }

    @Test
    void anUnknownTypeIsRecordedUnderTheFallbackTypeWithWhatWasGivenAndCounted() {
        f.logger().atInfo().addMarker(AUDIT).addKeyValue("type", "billing.invoice.voided")
                .addKeyValue("actor", "carol").log("invoice voided");

        AuditEvent e = f.only();
        assertThat(e.type()).isEqualTo(EventCatalog.SECURITY_EVENT_UNMAPPED.name());
        assertThat(e.category()).isEqualTo(EventCatalog.SECURITY_EVENT_UNMAPPED.category());
        assertThat(e.details()).containsEntry("sourceType", "billing.invoice.voided");
        assertThat(e.actor().flatMap(Actor::id)).contains("carol");
        assertThat(e.reason()).contains("invoice voided");
        assertThat(f.bridge.counters()).isEqualTo(new BridgeCounters(0, 1, 0, 0, 0, 0));
    }

    @Test
    void anEventWithoutATypeIsRecordedUnderTheFallbackTypeWithoutASourceType() {
        f.logger().warn(AUDIT, "someone tried the admin console");

        AuditEvent e = f.only();
        assertThat(e.type()).isEqualTo("security.event.unmapped");
        assertThat(e.details()).doesNotContainKey("sourceType").containsEntry("logLevel", "WARN");
        assertThat(e.reason()).contains("someone tried the admin console");
        assertThat(f.bridge.counters().unmapped()).isEqualTo(1);
    }

    @Test
    void otherKeyValuesBecomeDetailsAndSecretLookingOnesAreRedactedBeforeTheSink() {
        f.logger().atInfo().addMarker(AUDIT).addKeyValue("type", "auth.password.reset.requested")
                .addKeyValue("actor", "alice")
                .addKeyValue("password", "hunter2")
                .addKeyValue("resetToken", "tok-8f2e")
                .addKeyValue("channel", "email")
                .addKeyValue("attempt", 0)
                .addKeyValue("remembered", false)
                .addKeyValue("ratio", 0.25)
                .addKeyValue("state", Thread.State.NEW)
                .log("reset requested");

        AuditEvent e = f.only();
        assertThat(e.type()).isEqualTo("auth.password.reset.requested");
        assertThat(e.details()).containsEntry("password", "[REDACTED]")
                .containsEntry("resetToken", "[REDACTED]")
                .containsEntry("channel", "email")
                .containsEntry("attempt", 0L)
                .containsEntry("remembered", false)
                .containsEntry("ratio", 0.25)
                .containsEntry("state", "NEW");
        assertThat(e.details().values()).doesNotContain("hunter2", "tok-8f2e");
    }

    @Test
    void theMdcIsAFallbackForTheKeysAndKeyValuesWin() {
        MDC.put("actor", "mdc-user");
        MDC.put("ip", "192.0.2.10");
        MDC.put("requestId", "req-from-mdc");
        MDC.put("targetType", "account");
        MDC.put("targetId", "acct-9");
        MDC.put("unrelated", "never copied");
        f.logger().atInfo().addMarker(AUDIT).addKeyValue("type", "data.export").log("exported");
        f.logger().atInfo().addMarker(AUDIT).addKeyValue("type", "data.export")
                .addKeyValue("actor", "kv-user").addKeyValue("targetId", "acct-10").log("exported again");

        var events = f.events();
        AuditEvent fromMdc = events.get(0);
        assertThat(fromMdc.actor()).hasValueSatisfying(a -> {
            assertThat(a.id()).contains("mdc-user");
            assertThat(a.ip()).contains("192.0.2.10");
        });
        assertThat(fromMdc.requestId()).contains("req-from-mdc");
        assertThat(fromMdc.target()).contains(Target.of("account", "acct-9"));
        assertThat(fromMdc.details()).doesNotContainKey("unrelated");
        AuditEvent fromPairs = events.get(1);
        assertThat(fromPairs.actor().flatMap(Actor::id)).contains("kv-user");
        assertThat(fromPairs.target()).contains(Target.of("account", "acct-10"));
    }

    @Test
    void theAuditContextWinsOverTheMdcForCorrelation() {
        MDC.put("requestId", "req-from-mdc");
        MDC.put("actor", "mdc-user");
        try (AuditContext.Scope s = AuditContext.builder().requestId("req-ctx").user("ctx-user")
                .clientIp("10.1.2.3").build().open()) {
            f.logger().atInfo().addMarker(AUDIT).addKeyValue("type", "data.read").log("read");
        }

        AuditEvent e = f.only();
        assertThat(e.requestId()).contains("req-ctx");
        assertThat(e.actor()).hasValueSatisfying(a -> {
            assertThat(a.id()).contains("ctx-user");
            assertThat(a.ip()).contains("10.1.2.3");
        });
    }

    @Test
    void theMessageIsTheReasonUnlessAReasonKeyIsGiven() {
        f.logger().atInfo().addMarker(AUDIT).addKeyValue("type", "admin.user.suspended")
                .addKeyValue("reason", "policy 7").log("suspended {}", "bob");

        assertThat(f.only().reason()).contains("policy 7");
    }

    @Test
    void outcomeSeverityAndTargetComeFromTheirKeys() {
        f.logger().atInfo().addMarker(AUDIT).addKeyValue("type", "admin.settings.changed")
                .addKeyValue("outcome", "DENIED").addKeyValue("severity", "critical")
                .addKeyValue("targetType", "setting").addKeyValue("targetId", "mail.relay")
                .addKeyValue("targetName", "Mail relay").log("change refused");

        AuditEvent e = f.only();
        assertThat(e.outcome()).isEqualTo(Outcome.DENIED);
        assertThat(e.severity()).isEqualTo(Severity.CRITICAL);
        assertThat(e.target()).contains(Target.of("setting", "mail.relay").withName("Mail relay"));
    }

    @Test
    void valuesAFieldDoesNotAcceptAreKeptAsDetailsAndTheEventIsStillRecorded() {
        f.logger().atInfo().addMarker(AUDIT).addKeyValue("type", "auth.login.success")
                .addKeyValue("actor", "alice")
                .addKeyValue("ip", "not-an-address")
                .addKeyValue("outcome", "maybe")
                .addKeyValue("severity", "apocalyptic")
                .addKeyValue("actorType", "robot")
                .addKeyValue("targetId", "t-1")
                .log("odd values");

        AuditEvent e = f.only();
        assertThat(e.type()).isEqualTo("auth.login.success");
        assertThat(e.outcome()).isEqualTo(Outcome.SUCCESS);
        assertThat(e.actor()).hasValueSatisfying(a -> {
            assertThat(a.id()).contains("alice");
            assertThat(a.ip()).isEmpty();
        });
        assertThat(e.target()).isEmpty();
        assertThat(e.details()).containsEntry("ip", "not-an-address").containsEntry("outcome", "maybe")
                .containsEntry("severity", "apocalyptic").containsEntry("actorType", "robot")
                .containsEntry("targetId", "t-1");
        assertThat(f.bridge.counters().mapped()).isEqualTo(1);
    }

    @Test
    void aRawSessionIdIsWithheldAndAHashedOneKept() {
        String raw = "8F3C1A9D0B7E4C2A9F1E6D3B5A7C9E1F";
        String hashed = "hmac-sha256:0123456789abcdef0123456789abcdef";
        MDC.put("sessionId", raw);
        f.logger().atInfo().addMarker(AUDIT).addKeyValue("type", "auth.logout").log("logout");
        MDC.clear();
        f.logger().atInfo().addMarker(AUDIT).addKeyValue("type", "auth.logout")
                .addKeyValue("sessionId", raw.toLowerCase()).log("logout");
        f.logger().atInfo().addMarker(AUDIT).addKeyValue("type", "auth.logout")
                .addKeyValue("sessionId", hashed).log("logout");

        var events = f.events();
        assertThat(events.get(0).sessionId()).isEmpty();
        assertThat(events.get(0).details()).containsEntry("sessionIdWithheld", true);
        assertThat(events.get(1).sessionId()).isEmpty();
        assertThat(events.get(1).details()).containsEntry("sessionIdWithheld", true);
        assertThat(events.get(2).sessionId()).contains(hashed);
        assertThat(events.get(2).details()).doesNotContainKey("sessionIdWithheld");
        assertThat(events.toString() + events.stream().map(AuditEvent::details).toList())
                .doesNotContainIgnoringCase(raw);
    }

    @Test
    void aThrowableGivesTheErrorClassButNotItsMessage() {
        f.logger().atError().addMarker(AUDIT).addKeyValue("type", "security.crypto.failed")
                .setCause(new IllegalStateException("key material: s3cr3t"))
                .log("decrypt failed");

        AuditEvent e = f.only();
        assertThat(e.error()).contains(IllegalStateException.class.getName());
        assertThat(e.reason()).contains("decrypt failed");
        assertThat(e.details().toString()).doesNotContain("s3cr3t");
    }
}
