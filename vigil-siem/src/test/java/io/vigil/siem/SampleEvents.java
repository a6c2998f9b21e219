package io.vigil.siem;

import io.vigil.event.Actor;
import io.vigil.event.AuditEvent;
import io.vigil.event.Category;
import io.vigil.event.EventType;
import io.vigil.event.Outcome;
import io.vigil.event.Target;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** A fixed, realistic event for each catalogue type, the same on every run, so that golden files can be compared. */
final class SampleEvents {
    static final Instant TIME = Instant.parse("2026-03-14T09:26:53.589Z");
    static final Integrity INTEGRITY = new Integrity(4711,
            "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08");

    private SampleEvents() {
    }

    /** The sample event for a catalogue type: its defaults, with actor, target and details fitting its category. */
    static AuditEvent of(EventType type) {
        // a fixed id per type, so each golden file is stable and every id differs
        UUID id = UUID.nameUUIDFromBytes(type.name().getBytes(StandardCharsets.UTF_8));
        AuditEvent.Builder b = AuditEvent.builder(type)
                .id(id)
                .timestamp(TIME)
                .tenant("acme")
                .service("billing-api")
                .requestId("req-7f3a9c")
                .traceId("4bf92f3577b34da6a3ce929d0e0e4736");
        Category c = type.category();
        Actor alice = Actor.user("u-1042").withName("alice").withIp("203.0.113.17")
                .withUserAgent("Mozilla/5.0 (X11; Linux x86_64)");
        switch (c) {
            case AUTH, SESSION -> {
                b.actor(alice).sessionId("3a7bd3e2360a3d29eea436fcfb7e44c735d117c42d1c1835420b6b9942dd4f1b");
                if (type.name().equals("auth.user.switched")) {
                    b.target(Target.of("user", "u-2001").withName("bob"));
                }
                if (type.name().startsWith("auth.token.") || type.name().startsWith("auth.api_key.")) {
                    b.target(Target.of("token", "tok-88"));
                }
                if (type.name().startsWith("auth.device.")) {
                    b.target(Target.of("device", "dev-5").withName("alice-phone"));
                }
            }
            case AUTHZ -> {
                b.actor(alice);
                if (type.name().startsWith("authz.role.")) {
                    b.target(Target.of("user", "u-2001").withName("bob")).detail("role", "auditor");
                } else {
                    b.target(Target.of("document", "doc-311").withName("Q1 invoices"))
                            .detail("permission", "invoice:read");
                }
            }
            case ADMIN -> {
                b.actor(Actor.user("u-1").withName("root-admin").withIp("198.51.100.4"))
                        .detail("changes", List.of("email"));
                if (type.name().startsWith("admin.user.")) {
                    b.target(Target.of("user", "u-2001").withName("bob"));
                } else if (type.name().startsWith("admin.channel.")) {
                    b.target(Target.of("channel", "ch-slack").withName("Slack alerts"));
                } else {
                    b.target(Target.ofType("settings"));
                }
            }
            case CONFIG, AUDIT -> b.actor(Actor.system()).target(Target.of("config", "vigil.yaml"))
                    .detail("source", "file");
            case RATE_LIMIT -> b.actor(Actor.api("client-42").withIp("192.0.2.9")).detail("retryAfterMs", 30_000);
            case CHANNEL -> b.actor(Actor.service("notifier")).target(Target.of("channel", "ch-slack"));
            case DATA -> b.actor(alice).target(Target.of("invoice", "inv-2026-0042")).detail("recordCount", 1);
            case SECURITY -> b.actor(alice).riskScore(0.87).anomalyFlag("impossible_travel")
                    .detail("failedAttempts", 12);
            default -> throw new IllegalStateException("no sample for " + c);
        }
        if (type.outcome() != Outcome.SUCCESS) {
            b.reason("policy: " + type.action());
        }
        return b.build();
    }
}
