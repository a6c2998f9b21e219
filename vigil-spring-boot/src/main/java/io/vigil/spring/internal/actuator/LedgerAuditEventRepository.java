package io.vigil.spring.internal.actuator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.AuditLog;
import io.vigil.event.Actor;
import io.vigil.event.AuditEvent;
import io.vigil.event.EventCatalog;
import io.vigil.event.EventType;
import io.vigil.event.Target;
import io.vigil.helper.CatalogMappings;
import io.vigil.spring.internal.JsonValues;
import io.vigil.spring.internal.ledger.VigilLedger;
import org.springframework.boot.actuate.audit.AuditEventRepository;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Spring Boot's audit events kept in the ledger instead of Boot's in-memory ring of 1,000: {@code add} records an
 * event the application publishes ({@code AuditApplicationEvent}) as a catalogue event, and {@code find} (behind
 * {@code /actuator/auditevents}) reads the ledger, newest first, at most {@link #MAX_RESULTS} events. Each read is
 * itself recorded as {@code audit.log.read} (PCI DSS 10.2.1.3).
 *
 * <p>Boot's own security audit listeners are switched off while this repository is in use: Vigil's listeners record
 * the same Spring Security events with more context, and nothing is recorded twice.
 */
public final class LedgerAuditEventRepository implements AuditEventRepository {
    /** The most events {@code find} returns, as many as Boot's in-memory repository holds. */
    public static final int MAX_RESULTS = 1000;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, EventType> BOOT_TYPES = Map.of(
            "AUTHENTICATION_SUCCESS", EventCatalog.AUTH_LOGIN_SUCCESS,
            "AUTHENTICATION_FAILURE", EventCatalog.AUTH_LOGIN_FAILURE,
            "AUTHORIZATION_FAILURE", EventCatalog.AUTHZ_ACCESS_DENIED,
            "AUTHENTICATION_SWITCH", EventCatalog.AUTH_USER_SWITCHED,
            "LOGOUT_SUCCESS", EventCatalog.AUTH_LOGOUT);

    private final AuditLog log;
    private final VigilLedger ledger;
    private final Supplier<Actor> currentActor;

    public LedgerAuditEventRepository(AuditLog log, VigilLedger ledger, Supplier<Actor> currentActor) {
        this.log = log;
        this.ledger = ledger;
        this.currentActor = currentActor;
    }

    /**
     * The catalogue type for a Boot audit event type: Boot's names, a catalogue name, an OWASP vocabulary name, or
     * the fallback {@code security.event.unmapped}.
     */
    static Optional<EventType> typeOf(String bootType) {
        if (bootType == null) {
            return Optional.empty();
        }
        EventType t = BOOT_TYPES.get(bootType);
        if (t != null) {
            return Optional.of(t);
        }
        Optional<EventType> named = EventCatalog.find(bootType).or(() -> EventCatalog.find(bootType.toLowerCase(Locale.ROOT)));
        return named.isPresent() ? named : CatalogMappings.owasp(bootType);
    }

    @Override
    public void add(org.springframework.boot.actuate.audit.AuditEvent event) {
        Optional<EventType> type = typeOf(event.getType());
        AuditEvent.Builder b = AuditEvent.builder(type.orElse(EventCatalog.SECURITY_EVENT_UNMAPPED))
                .timestamp(event.getTimestamp());
        if (type.isEmpty()) {
            b.detail("sourceType", event.getType());
        }
        String principal = event.getPrincipal();
        b.actor(principal == null || principal.isBlank() || principal.equals("anonymousUser")
                ? Actor.anonymous() : Actor.user(principal));
        Map<String, Object> data = event.getData();
        data.forEach((k, v) -> b.detail(k, JsonValues.of(v, JsonValues::className)));
        b.detail("source", "application audit event");
        log.record(b);
    }

    @Override
    public List<org.springframework.boot.actuate.audit.AuditEvent> find(String principal, Instant after, String type) {
        log.record(AuditEvent.builder(EventCatalog.AUDIT_LOG_READ).actor(currentActor.get())
                .target(Target.of("ledger", ledger.store().origin()))
                .detail("via", "actuator auditevents"));
        List<org.springframework.boot.actuate.audit.AuditEvent> out = new ArrayList<>();
        try {
            ledger.newest().scan(line -> {
                org.springframework.boot.actuate.audit.AuditEvent e = toBoot(line);
                if (after != null && !e.getTimestamp().isAfter(after)) {
                    return false; // newest first: everything further is older still
                }
                if ((principal == null || principal.equals(e.getPrincipal()))
                        && (type == null || type.equals(e.getType()))) {
                    out.add(e);
                }
                return out.size() < MAX_RESULTS;
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the ledger at " + ledger.location(), e);
        }
        Collections.reverse(out); // Boot lists oldest first
        return out;
    }

    private static org.springframework.boot.actuate.audit.AuditEvent toBoot(String line) {
        JsonNode n;
        try {
            n = JSON.readTree(line);
        } catch (IOException e) {
            throw new UncheckedIOException("a ledger entry is not JSON", e);
        }
        Map<String, Object> data = new LinkedHashMap<>();
        for (String k : new String[]{"outcome", "seq", "hash", "id", "requestId", "sessionId", "traceId", "tenant",
                "reason", "error"}) {
            if (n.has(k)) {
                data.put(k, n.get(k).isNumber() ? n.get(k).numberValue() : n.get(k).asText());
            }
        }
        if (n.has("actor") && n.get("actor").has("ip")) {
            data.put("ip", n.get("actor").get("ip").asText());
        }
        if (n.has("target")) {
            data.put("target", JSON.convertValue(n.get("target"), Map.class));
        }
        if (n.has("details")) {
            data.put("details", JSON.convertValue(n.get("details"), Map.class));
        }
        String principal = n.path("actor").path("id").asText(n.path("actor").path("type").asText("system"));
        return new org.springframework.boot.actuate.audit.AuditEvent(Instant.parse(n.path("timestamp").asText()),
                principal, n.path("type").asText(), data);
    }
}
