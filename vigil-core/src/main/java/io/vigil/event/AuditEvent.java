package io.vigil.event;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.UUID;

/**
 * One audit record, as in "Event model v1": who did what, when, from where, with what outcome.
 *
 * <p>Absent values are {@link Optional#empty()}, an empty list or an empty map, and are omitted from JSON; a
 * present {@code 0} or {@code false} is kept. The timestamp is held to the millisecond, in UTC. {@code details}
 * holds JSON-like values only (String, Boolean, Number, List, Map with String keys) and is immutable; integers are
 * held as {@code Long} and floats as {@code Double}.
 */
public record AuditEvent(
        UUID id,
        Instant timestamp,
        Category category,
        String type,
        String action,
        Outcome outcome,
        Severity severity,
        Optional<Actor> actor,
        Optional<Target> target,
        Optional<String> tenant,
        Optional<String> service,
        Optional<String> requestId,
        Optional<String> sessionId,
        Optional<String> traceId,
        Optional<String> reason,
        Optional<String> error,
        OptionalDouble riskScore,
        List<String> anomalyFlags,
        Map<String, Object> details) {

    /** The version of the event model, written as {@code "v": 1}. */
    public static final int VERSION = 1;
    /** Deepest nesting allowed in {@code details}. */
    public static final int MAX_DETAILS_DEPTH = 32;

    public AuditEvent {
        Objects.requireNonNull(id, "id is required");
        Objects.requireNonNull(timestamp, "timestamp is required");
        timestamp = timestamp.truncatedTo(ChronoUnit.MILLIS);
        if (category == null) {
            throw new EventValidationException("category is required; allowed: " + Category.allowed());
        }
        EventType.checkName(type);
        action = EventType.checkAction(action);
        if (outcome == null) {
            throw new EventValidationException("outcome is required; allowed: " + Outcome.allowed());
        }
        if (severity == null) {
            throw new EventValidationException("severity is required; allowed: " + Severity.allowed());
        }
        Objects.requireNonNull(actor, "actor must be an Optional, not null");
        Objects.requireNonNull(target, "target must be an Optional, not null");
        Checks.optional("tenant", tenant, Checks.MAX_ID_CHARS);
        Checks.optional("service", service, Checks.MAX_ID_CHARS);
        Checks.optional("requestId", requestId, Checks.MAX_ID_CHARS);
        Checks.optional("sessionId", sessionId, Checks.MAX_ID_CHARS);
        Checks.optional("traceId", traceId, Checks.MAX_ID_CHARS);
        Checks.optional("reason", reason, Checks.MAX_FIELD_CHARS);
        Checks.optional("error", error, Checks.MAX_FIELD_CHARS);
        Objects.requireNonNull(riskScore, "riskScore must be an OptionalDouble, not null");
        if (riskScore.isPresent()) {
            double r = riskScore.getAsDouble();
            if (!(r >= 0.0 && r <= 1.0)) {
                throw new EventValidationException("riskScore " + r + " must be between 0 and 1");
            }
            if (r == 0.0) {
                riskScore = OptionalDouble.of(0.0); // -0.0 would be written as 0 and read back as a different value
            }
        }
        anomalyFlags = List.copyOf(Objects.requireNonNull(anomalyFlags, "anomalyFlags must be a list, not null"));
        for (String flag : anomalyFlags) {
            Checks.required("anomalyFlags[]", flag, Checks.MAX_ID_CHARS);
        }
        details = copyDetails(Objects.requireNonNull(details, "details must be a map, not null"));
        EventCatalog.find(type).ifPresent(known -> {
            if (known.category() != category) {
                throw new EventValidationException("type '" + known.name() + "' belongs to category '"
                        + known.category().jsonName() + "', not '" + category.jsonName() + "'");
            }
        });
    }

    /** A builder for an event of the given type, with its default category, action, outcome and severity. */
    public static Builder builder(EventType type) {
        return new Builder(type);
    }

    /** A builder holding every field of this event. */
    public Builder toBuilder() {
        return new Builder(id, timestamp, category, type, action, outcome, severity, actor.orElse(null),
                target.orElse(null), tenant.orElse(null), service.orElse(null), requestId.orElse(null),
                sessionId.orElse(null), traceId.orElse(null), reason.orElse(null), error.orElse(null),
                riskScore.isPresent() ? riskScore.getAsDouble() : null, new ArrayList<>(anomalyFlags),
                new LinkedHashMap<>(details));
    }

    /**
     * Identifies the event without its content: {@code AuditEvent[id=…, type=…, outcome=…, timestamp=…]}. Details,
     * actor, reason and the other fields are left out on purpose, because an application that logs an event would
     * otherwise write unredacted values (secrets in details, for one) into its own log.
     */
    @Override
    public String toString() {
        return "AuditEvent[id=" + id + ", type=" + type + ", outcome=" + outcome.jsonName() + ", timestamp="
                + timestamp + "]";
    }

    /** The catalogue entry for this event's type, if it is a catalogue type. */
    public Optional<EventType> eventType() {
        return EventCatalog.find(type);
    }

    private static Map<String, Object> copyDetails(Map<?, ?> in) {
        if (in.isEmpty()) {
            return Map.of();
        }
        return copyMap("details", in, 1);
    }

    private static Map<String, Object> copyMap(String path, Map<?, ?> in, int depth) {
        if (depth > MAX_DETAILS_DEPTH) {
            throw new EventValidationException(path + " is nested deeper than " + MAX_DETAILS_DEPTH + " levels");
        }
        String[] keys = new String[in.size()];
        Object[] values = new Object[in.size()];
        int n = 0;
        for (Map.Entry<?, ?> e : in.entrySet()) {
            if (!(e.getKey() instanceof String key)) {
                throw new EventValidationException(path + " has a non-string key: " + e.getKey());
            }
            Checks.length(path + " key", key, Checks.MAX_ID_CHARS);
            if (e.getValue() == null) {
                continue; // absent, as everywhere in the model: omitted rather than written as null
            }
            keys[n] = key;
            values[n] = copyValue(path, key, -1, e.getValue(), depth);
            n++;
        }
        return SortedArrayMap.of(keys, values, n);
    }

    private static String path(String parent, String key, int index) {
        return index < 0 ? parent + "." + key : parent + "[" + index + "]";
    }

    /**
     * Copies one value found under {@code key} of a map (index -1) or at {@code index} of a list, inside
     * {@code parent}; the value's own path is only spelled out when it is needed.
     */
    private static Object copyValue(String parent, String key, int index, Object v, int depth) {
        if (v instanceof String s) {
            return Checks.isValidText(s, Checks.MAX_FIELD_CHARS) ? s
                    : Checks.length(path(parent, key, index), s, Checks.MAX_FIELD_CHARS);
        }
        if (v instanceof Long || v instanceof Boolean) {
            return v;
        }
        String path = path(parent, key, index);
        if (v instanceof Boolean) {
            return v;
        }
        if (v instanceof Long) {
            return v;
        }
        if (v instanceof BigInteger || v instanceof BigDecimal) {
            // JSON numbers are doubles (RFC 8785); one that no double can hold would fail in a sink, not here.
            if (Double.isInfinite(((Number) v).doubleValue())) {
                throw new EventValidationException(path + " is outside the range of a JSON number");
            }
            return v;
        }
        if (v instanceof Integer || v instanceof Short || v instanceof Byte) {
            return ((Number) v).longValue(); // one integer type, so an event equals itself after a JSON round trip
        }
        if (v instanceof Double || v instanceof Float) {
            double d = ((Number) v).doubleValue();
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                throw new EventValidationException(path + " is " + d + ", which JSON cannot represent");
            }
            return v instanceof Float ? (Object) d : v;
        }
        if (v instanceof Map<?, ?> m) {
            return copyMap(path, m, depth + 1);
        }
        if (v instanceof List<?> l) {
            if (depth + 1 > MAX_DETAILS_DEPTH) {
                throw new EventValidationException(path + " is nested deeper than " + MAX_DETAILS_DEPTH + " levels");
            }
            List<Object> out = new ArrayList<>(l.size());
            for (int i = 0; i < l.size(); i++) {
                Object item = l.get(i);
                if (item == null) {
                    throw new EventValidationException(path + "[" + i + "] is null; lists may not hold null");
                }
                out.add(copyValue(path, null, i, item, depth + 1));
            }
            return List.copyOf(out);
        }
        if (v instanceof Enum<?> e) {
            return e.name();
        }
        if (v instanceof CharSequence || v instanceof UUID || v instanceof Instant) {
            return Checks.length(path, v.toString(), Checks.MAX_FIELD_CHARS);
        }
        throw new EventValidationException(path + " has unsupported type " + v.getClass().getName()
                + "; use String, Boolean, Number, List or Map");
    }

    /**
     * Builds an {@link AuditEvent}. Fields left unset are absent; {@link #build()} fails with a message naming the
     * first invalid field. Not thread-safe.
     */
    public static final class Builder {
        private UUID id;
        private Instant timestamp;
        private Category category;
        private String type;
        private String action;
        private Outcome outcome;
        private Severity severity;
        private Actor actor;
        private Target target;
        private String tenant;
        private String service;
        private String requestId;
        private String sessionId;
        private String traceId;
        private String reason;
        private String error;
        private Double riskScore;
        private List<String> anomalyFlags; // allocated on first use: most events have none
        private Map<String, Object> details;

        /**
         * Every field, in the record's order: the one list of fields that {@link AuditEvent#toBuilder()} and
         * {@link #copy()} both go through, so a field added to the event cannot be forgotten by either.
         */
        private Builder(UUID id, Instant timestamp, Category category, String type, String action, Outcome outcome,
                        Severity severity, Actor actor, Target target, String tenant, String service, String requestId,
                        String sessionId, String traceId, String reason, String error, Double riskScore,
                        List<String> anomalyFlags, Map<String, Object> details) {
            this.id = id;
            this.timestamp = timestamp;
            this.category = category;
            this.type = type;
            this.action = action;
            this.outcome = outcome;
            this.severity = severity;
            this.actor = actor;
            this.target = target;
            this.tenant = tenant;
            this.service = service;
            this.requestId = requestId;
            this.sessionId = sessionId;
            this.traceId = traceId;
            this.reason = reason;
            this.error = error;
            this.riskScore = riskScore;
            this.anomalyFlags = anomalyFlags;
            this.details = details;
        }

        private Builder(EventType t) {
            Objects.requireNonNull(t, "event type is required");
            type(t);
        }

        /** Sets the type and, from it, category, action, outcome and severity (each can be overridden after). */
        public Builder type(EventType t) {
            this.type = t.name();
            this.category = t.category();
            this.action = t.action();
            this.outcome = t.outcome();
            this.severity = t.severity();
            return this;
        }

        public Builder id(UUID v) { this.id = v; return this; }
        public Builder timestamp(Instant v) { this.timestamp = v; return this; }
        public Builder category(Category v) { this.category = v; return this; }
        public Builder type(String v) { this.type = v; return this; }
        public Builder action(String v) { this.action = v; return this; }
        public Builder outcome(Outcome v) { this.outcome = v; return this; }
        public Builder severity(Severity v) { this.severity = v; return this; }
        public Builder actor(Actor v) { this.actor = v; return this; }
        public Builder target(Target v) { this.target = v; return this; }
        public Builder tenant(String v) { this.tenant = v; return this; }
        public Builder service(String v) { this.service = v; return this; }
        public Builder requestId(String v) { this.requestId = v; return this; }
        public Builder sessionId(String v) { this.sessionId = v; return this; }
        public Builder traceId(String v) { this.traceId = v; return this; }
        public Builder reason(String v) { this.reason = v; return this; }
        public Builder error(String v) { this.error = v; return this; }
        public Builder riskScore(double v) { this.riskScore = v; return this; }
        public Builder anomalyFlag(String v) {
            if (anomalyFlags == null) {
                anomalyFlags = new ArrayList<>(2);
            }
            anomalyFlags.add(v);
            return this;
        }
        public Builder anomalyFlags(List<String> v) { this.anomalyFlags = new ArrayList<>(v); return this; }
        /** Adds one detail; a {@code null} value means absent and is not written. */
        public Builder detail(String key, Object value) {
            if (details == null) {
                details = new LinkedHashMap<>(8);
            }
            details.put(key, value);
            return this;
        }
        public Builder details(Map<String, ?> v) { this.details = new LinkedHashMap<>(v); return this; }

        public Optional<UUID> id() { return Optional.ofNullable(id); }
        public Optional<Instant> timestamp() { return Optional.ofNullable(timestamp); }
        public Optional<Actor> actor() { return Optional.ofNullable(actor); }
        public Optional<String> tenant() { return Optional.ofNullable(tenant); }
        public Optional<String> service() { return Optional.ofNullable(service); }
        public Optional<String> requestId() { return Optional.ofNullable(requestId); }
        public Optional<String> sessionId() { return Optional.ofNullable(sessionId); }
        public Optional<String> traceId() { return Optional.ofNullable(traceId); }

        /** An independent copy of this builder (details and flags are copied when built, so they may be shared). */
        public Builder copy() {
            return new Builder(id, timestamp, category, type, action, outcome, severity, actor, target, tenant,
                    service, requestId, sessionId, traceId, reason, error, riskScore, anomalyFlags, details);
        }

        /**
         * Builds the event.
         *
         * @throws EventValidationException naming the first invalid or missing field (id and timestamp included;
         *                                  {@code AuditLog.record} fills those in)
         */
        public AuditEvent build() {
            if (id == null) {
                throw new EventValidationException("id is required");
            }
            if (timestamp == null) {
                throw new EventValidationException("timestamp is required");
            }
            if (type == null) {
                throw new EventValidationException("type is required");
            }
            return new AuditEvent(id, timestamp, category, type, action, outcome, severity,
                    Optional.ofNullable(actor), Optional.ofNullable(target), Optional.ofNullable(tenant),
                    Optional.ofNullable(service), Optional.ofNullable(requestId), Optional.ofNullable(sessionId),
                    Optional.ofNullable(traceId), Optional.ofNullable(reason), Optional.ofNullable(error),
                    riskScore == null ? OptionalDouble.empty() : OptionalDouble.of(riskScore),
                    anomalyFlags == null ? List.of() : anomalyFlags, details == null ? Map.of() : details);
        }
    }
}
