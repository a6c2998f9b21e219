package io.vigil.siem.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.event.Actor;
import io.vigil.event.AuditEvent;
import io.vigil.event.IpAddress;
import io.vigil.event.Outcome;
import io.vigil.event.Target;
import io.vigil.sink.EntryPosition;
import io.vigil.sink.EventFormat;

import java.io.UncheckedIOException;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;

/**
 * An event as an Elastic Common Schema 9.4.0 document, on one line. Fields ECS has go where ECS puts them; what ECS
 * has no field for goes under {@code vigil}, a custom top-level object (ECS leaves names outside its field sets to
 * the user), so that nothing of the event is lost.
 */
public final class EcsFormat implements EventFormat {
    /** The ECS version the documents follow. */
    public static final String ECS_VERSION = "9.4.0";

    // ECS dates are ISO 8601; milliseconds always written, so every document has the same shape.
    private static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private final ObjectMapper mapper = new ObjectMapper();

    @Override
    public String name() {
        return "ecs";
    }

    @Override
    public String format(AuditEvent event, Optional<EntryPosition> integrity) {
        try {
            return mapper.writeValueAsString(document(event, integrity));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e); // cannot happen for a tree of plain JSON values
        }
    }

    /** The document as a tree, for callers (and tests) that want to look into it. */
    public ObjectNode document(AuditEvent event, Optional<EntryPosition> integrity) {
        EcsMapping m = EcsMapping.of(event.type(), event.category());
        ObjectNode doc = mapper.createObjectNode();
        doc.put("@timestamp", TIMESTAMP.format(event.timestamp()));
        doc.putObject("ecs").put("version", ECS_VERSION);

        ObjectNode ev = doc.putObject("event");
        ev.put("kind", m.kind());
        ArrayNode categories = ev.putArray("category");
        m.categories().forEach(categories::add);
        ArrayNode types = ev.putArray("type");
        m.types().forEach(types::add);
        // ECS outcome is success, failure or unknown: denied and error are failures, told apart in vigil.outcome.
        ev.put("outcome", event.outcome() == Outcome.SUCCESS ? "success" : "failure");
        ev.put("action", event.type());
        ev.put("id", event.id().toString());
        ev.put("dataset", "vigil.audit");
        ev.put("provider", "vigil");
        ev.put("severity", SeverityScale.of(event.severity()));
        if (event.riskScore().isPresent()) {
            ev.put("risk_score", event.riskScore().getAsDouble() * 100.0); // ECS scores run from 0 to 100
        }
        event.reason().ifPresent(r -> ev.put("reason", r));
        integrity.ifPresent(i -> ev.put("hash", i.hash()));

        event.error().ifPresent(e -> doc.putObject("error").put("message", e));

        Set<String> relatedUsers = new LinkedHashSet<>();
        Optional<Actor> actor = event.actor();
        actor.ifPresent(a -> {
            if (a.id().isPresent() || a.name().isPresent()) {
                ObjectNode user = doc.putObject("user");
                a.id().ifPresent(v -> user.put("id", v));
                a.name().ifPresent(v -> user.put("name", v));
                a.id().ifPresent(relatedUsers::add);
                a.name().ifPresent(relatedUsers::add);
            }
        });
        event.target().filter(EcsFormat::isUser).ifPresent(t -> {
            if (t.id().isPresent() || t.name().isPresent()) {
                ObjectNode user = doc.has("user") ? (ObjectNode) doc.get("user") : doc.putObject("user");
                ObjectNode target = user.putObject("target");
                t.id().ifPresent(v -> target.put("id", v));
                t.name().ifPresent(v -> target.put("name", v));
                t.id().ifPresent(relatedUsers::add);
                t.name().ifPresent(relatedUsers::add);
            }
        });
        Optional<String> ip = actor.flatMap(Actor::ip);
        ip.ifPresent(v -> {
            // source.ip is an ip field: only an address literal is indexed there.
            Optional<IpAddress> parsed = IpAddress.parse(v);
            ObjectNode source = doc.putObject("source");
            if (parsed.isPresent()) {
                source.put("ip", parsed.get().toString());
            } else {
                source.put("address", v);
            }
        });
        actor.flatMap(Actor::userAgent).ifPresent(v -> doc.putObject("user_agent").put("original", v));
        detailString(event, "url").ifPresent(v -> url(doc).put("original", v));
        detailString(event, "path").ifPresent(v -> url(doc).put("path", v));
        event.requestId().ifPresent(v -> doc.putObject("http").putObject("request").put("id", v));
        event.traceId().ifPresent(v -> doc.putObject("trace").put("id", v));
        event.tenant().ifPresent(v -> doc.putObject("organization").put("id", v));
        event.service().ifPresent(v -> doc.putObject("service").put("name", v));

        ObjectNode related = mapper.createObjectNode();
        if (!relatedUsers.isEmpty()) {
            ArrayNode users = related.putArray("user");
            relatedUsers.forEach(users::add);
        }
        ip.flatMap(IpAddress::parse).ifPresent(a -> related.putArray("ip").add(a.toString()));
        integrity.ifPresent(i -> related.putArray("hash").add(i.hash()));
        if (!related.isEmpty()) {
            doc.set("related", related);
        }

        ObjectNode vigil = doc.putObject("vigil");
        integrity.ifPresent(i -> {
            vigil.put("seq", i.seq());
            vigil.put("hash", i.hash());
        });
        vigil.put("category", event.category().jsonName());
        vigil.put("action", event.action());
        vigil.put("outcome", event.outcome().jsonName());
        vigil.put("severity", event.severity().jsonName());
        actor.ifPresent(a -> vigil.put("actor_type", a.type().jsonName()));
        event.target().ifPresent(t -> {
            ObjectNode target = vigil.putObject("target");
            target.put("type", t.type());
            t.id().ifPresent(v -> target.put("id", v));
            t.name().ifPresent(v -> target.put("name", v));
        });
        // Vigil holds the session id as a keyed hash already; ECS has no session id field.
        event.sessionId().ifPresent(v -> vigil.put("session_id", v));
        if (!event.anomalyFlags().isEmpty()) {
            ArrayNode flags = vigil.putArray("anomaly_flags");
            event.anomalyFlags().forEach(flags::add);
        }
        if (!event.details().isEmpty()) {
            vigil.set("details", mapper.valueToTree(event.details()));
        }
        return doc;
    }

    private static boolean isUser(Target t) {
        return t.type().equals("user");
    }

    private static Optional<String> detailString(AuditEvent event, String key) {
        return event.details().get(key) instanceof String s ? Optional.of(s) : Optional.empty();
    }

    private static ObjectNode url(ObjectNode doc) {
        return doc.has("url") ? (ObjectNode) doc.get("url") : doc.putObject("url");
    }
}
