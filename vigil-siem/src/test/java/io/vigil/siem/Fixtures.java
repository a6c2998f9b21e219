package io.vigil.siem;

import io.vigil.event.Actor;
import io.vigil.event.AuditEvent;
import io.vigil.event.Category;
import io.vigil.event.EventCatalog;
import io.vigil.event.EventType;
import io.vigil.event.Outcome;
import io.vigil.event.Target;
import io.vigil.sink.EntryPosition;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One fixed, realistic event per catalogue type, and its place in a ledger, for the golden files. */
final class Fixtures {
    static final Instant TIME = Instant.parse("2026-03-14T09:26:53.589Z");

    // Types whose target is a user account, so that user.target / duser are exercised.
    private static final Set<String> USER_TARGETS = Set.of("auth.account.locked", "auth.user.switched",
            "auth.password.reset.completed", "authz.permission.granted", "authz.permission.revoked",
            "authz.role.assigned", "authz.role.removed", "authz.privilege.changed", "admin.user.created",
            "admin.user.updated", "admin.user.suspended", "admin.user.reactivated", "admin.user.deleted");

    // Values for the details the catalogue's descriptions name (details.failedAttempts and so on).
    private static final Map<String, Object> DETAILS = Map.ofEntries(
            Map.entry("failedAttempts", 5L), Map.entry("limit", 5L), Map.entry("factor", "totp"),
            Map.entry("tokenHash", "sha256:5e8f2c1a"), Map.entry("permission", "invoice:read"),
            Map.entry("role", "billing-admin"), Map.entry("from", "user"), Map.entry("to", "admin"),
            Map.entry("changes", List.of("mfa.required", "session.idleTimeout")),
            Map.entry("source", "classpath:application.yml"), Map.entry("retryAfterMs", 30000L),
            Map.entry("durationMs", 1800000L), Map.entry("recordCount", 250L), Map.entry("sharedWith", "partner-co"),
            Map.entry("technique", "attack_tool"), Map.entry("fields", List.of("email")),
            Map.entry("operation", "decrypt"), Map.entry("sourceType", "legacy.audit"), Map.entry("size", 1044L),
            Map.entry("seq", 1042L), Map.entry("count", 17L), Map.entry("sinceMs", 60000L),
            Map.entry("sink", "siem-http"), Map.entry("truncatedBytes", 312L), Map.entry("type", "data.export"),
            Map.entry("exit", false));
    private static final Pattern DETAIL = Pattern.compile("details\\.([A-Za-z]+)");

    private Fixtures() {
    }

    static List<EventType> types() {
        return EventCatalog.all();
    }

    static AuditEvent event(EventType t) {
        AuditEvent.Builder b = AuditEvent.builder(t)
                .id(UUID.nameUUIDFromBytes(t.name().getBytes(StandardCharsets.UTF_8)))
                .timestamp(TIME)
                .tenant("acme")
                .service("billing-api")
                .requestId("req-7f3a9c")
                .traceId("4bf92f3577b34da6a3ce929d0e0e4736")
                .detail("path", "/api/v1/invoices/42");
        if (t.category() == Category.AUDIT) {
            b.actor(Actor.system());
            b.service("vigil");
        } else {
            b.actor(Actor.user("u-1042").withName("alice").withIp("203.0.113.7")
                    .withUserAgent("Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0"));
            b.sessionId("hs:9c1e5d0b7a2f4e68");
        }
        Matcher m = DETAIL.matcher(t.description());
        while (m.find()) {
            b.detail(m.group(1), DETAILS.get(m.group(1)));
        }
        if (t.category() == Category.DATA) {
            b.detail("url", "https://billing.example.com/api/v1/invoices/42?format=csv");
        }
        if (USER_TARGETS.contains(t.name())) {
            b.target(Target.of("user", "u-2001").withName("bob"));
        } else {
            b.target(Target.of(targetType(t.category()), "res-77"));
        }
        if (t.outcome() != Outcome.SUCCESS) {
            b.reason("policy: " + t.action());
        }
        if (t.outcome() == Outcome.ERROR) {
            b.error("connection reset by peer");
        }
        if (t.category() == Category.SECURITY) {
            b.riskScore(0.85).anomalyFlag("impossible_travel");
        }
        return b.build();
    }

    static Optional<EntryPosition> integrity(EventType t) {
        return Optional.of(new EntryPosition(1000 + types().indexOf(t), sha256(t.name())));
    }

    private static String targetType(Category c) {
        return switch (c) {
            case AUTH -> "account";
            case AUTHZ -> "document";
            case ADMIN, CONFIG, AUDIT -> "setting";
            case RATE_LIMIT -> "endpoint";
            case CHANNEL -> "channel";
            case SESSION -> "session";
            case DATA -> "invoice";
            case SECURITY -> "endpoint";
        };
    }

    static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
