package io.vigil.logback.internal;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import io.vigil.AuditContext;
import io.vigil.event.Actor;
import io.vigil.event.ActorType;
import io.vigil.event.AuditEvent;
import io.vigil.event.EventCatalog;
import io.vigil.event.EventType;
import io.vigil.event.EventValidationException;
import io.vigil.event.Outcome;
import io.vigil.event.Severity;
import io.vigil.event.Target;
import io.vigil.helper.CatalogMappings;
import io.vigil.logback.AuditKeys;
import org.slf4j.event.KeyValuePair;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Turns a logging event into an audit event: the type from the {@code type} key-value pair (a catalogue name, else
 * an OWASP vocabulary name, else the fallback {@code security.event.unmapped}), the event's fields from the keys of
 * {@link AuditKeys} (key-value pairs first, then the MDC), every other pair into details, the message into the
 * reason. A value a field does not accept (an ip that is no address, an unknown outcome) is kept in details under
 * its key rather than lost. Everything is read on the logging thread, while the MDC and context are still current.
 */
public final class EventMapper {
    /** Detail: the logger's name. */
    public static final String LOGGER = "logger";
    /** Detail: the logging level. */
    public static final String LOG_LEVEL = "logLevel";
    /** Detail: the type the event gave, when it maps to no catalogue type. */
    public static final String SOURCE_TYPE = "sourceType";
    /** Detail: the OWASP vocabulary event as given, arguments included. */
    public static final String OWASP = "owasp";
    /** Detail: true when a session id was given that is not a hash, and so was left out. */
    public static final String SESSION_ID_WITHHELD = "sessionIdWithheld";

    private static final Set<String> FIELD_KEYS = Set.copyOf(AuditKeys.all());

    /** Maps the event, resolving correlation against the current thread's {@link AuditContext}. */
    public MappedEvent map(ILoggingEvent e) {
        AuditContext ctx = AuditContext.current();
        Map<String, Object> pairs = pairs(e.getKeyValuePairs());
        Map<String, String> mdc = e.getMDCPropertyMap();
        Lookup in = new Lookup(pairs, mdc == null ? Map.of() : mdc);
        Map<String, Object> details = new LinkedHashMap<>();
        for (Map.Entry<String, Object> p : pairs.entrySet()) {
            if (!FIELD_KEYS.contains(p.getKey())) {
                details.put(p.getKey(), detailValue(p.getValue()));
            }
        }

        Optional<String> given = in.own(AuditKeys.TYPE);
        Optional<EventType> type = given.flatMap(EventCatalog::find);
        Optional<String> owaspArgument = Optional.empty();
        if (type.isEmpty() && given.isPresent()) {
            type = CatalogMappings.owasp(given.get());
            if (type.isPresent()) {
                details.put(OWASP, given.get());
                owaspArgument = firstArgument(given.get());
            }
        }
        boolean unmapped = type.isEmpty();
        EventType recorded = type.orElse(EventCatalog.SECURITY_EVENT_UNMAPPED);
        AuditEvent.Builder b = AuditEvent.builder(recorded).timestamp(e.getInstant());
        if (unmapped) {
            given.ifPresent(t -> details.put(SOURCE_TYPE, t));
        }

        actor(b, in, ctx, owaspArgument, details);
        target(b, in, details);
        in.any(AuditKeys.OUTCOME).ifPresent(v -> {
            Optional<Outcome> o = parse(v, Outcome::fromJson);
            if (o.isPresent()) {
                b.outcome(o.get());
            } else {
                details.put(AuditKeys.OUTCOME, v);
            }
        });
        in.own(AuditKeys.SEVERITY).ifPresent(v -> {
            Optional<Severity> s = parse(v, Severity::fromJson);
            if (s.isPresent()) {
                b.severity(s.get());
            } else {
                details.put(AuditKeys.SEVERITY, v);
            }
        });
        in.correlation(AuditKeys.TENANT, ctx.tenant()).ifPresent(b::tenant);
        in.correlation(AuditKeys.REQUEST_ID, ctx.requestId()).ifPresent(b::requestId);
        in.correlation(AuditKeys.TRACE_ID, ctx.traceId()).ifPresent(b::traceId);
        in.correlation(AuditKeys.SESSION_ID, ctx.sessionId()).ifPresent(v -> {
            if (isHash(v)) {
                b.sessionId(v);
            } else {
                details.put(SESSION_ID_WITHHELD, true);
            }
        });
        Optional<String> reason = in.own(AuditKeys.REASON);
        if (reason.isEmpty()) {
            reason = nonBlank(e.getFormattedMessage());
        }
        reason.ifPresent(b::reason);
        IThrowableProxy thrown = e.getThrowableProxy();
        if (thrown != null) {
            // The class only: an exception's message is free text that may quote what failed, secrets included.
            b.error(thrown.getClassName());
        }
        details.put(LOGGER, e.getLoggerName());
        details.put(LOG_LEVEL, String.valueOf(e.getLevel()));
        b.details(details);
        return new MappedEvent(b, recorded.name(), unmapped, ctx);
    }

    private static void actor(AuditEvent.Builder b, Lookup in, AuditContext ctx, Optional<String> owaspArgument,
                              Map<String, Object> details) {
        // An explicit actor, then the user an OWASP event names (its first argument), then the MDC.
        Optional<String> id = in.own(AuditKeys.ACTOR);
        if (id.isEmpty()) {
            id = owaspArgument;
        }
        if (id.isEmpty()) {
            id = in.correlation(AuditKeys.ACTOR, ctx.userId());
        }
        Optional<ActorType> actorType = Optional.empty();
        Optional<String> typeText = in.any(AuditKeys.ACTOR_TYPE);
        if (typeText.isPresent()) {
            actorType = parse(typeText.get(), ActorType::fromJson);
            if (actorType.isEmpty()) {
                details.put(AuditKeys.ACTOR_TYPE, typeText.get());
            }
        }
        Optional<String> name = in.any(AuditKeys.ACTOR_NAME);
        Optional<String> ip = in.correlation(AuditKeys.IP, ctx.clientIp());
        if (ip.isPresent() && !isIp(ip.get())) {
            details.put(AuditKeys.IP, ip.get());
            ip = Optional.empty();
        }
        Optional<String> agent = in.correlation(AuditKeys.USER_AGENT, ctx.userAgent());
        if (id.isEmpty() && actorType.isEmpty() && name.isEmpty() && ip.isEmpty() && agent.isEmpty()) {
            return; // the recorder fills the actor from the context, if there is one
        }
        // Without an id, a user actor gets the context's user when the recorder applies the context.
        ActorType t = actorType.orElse(id.isPresent() || ctx.userId().isPresent() ? ActorType.USER
                : ActorType.ANONYMOUS);
        try {
            b.actor(new Actor(t, id, name, ip, agent));
        } catch (EventValidationException invalid) {
            id.ifPresent(v -> details.put(AuditKeys.ACTOR, v));
            name.ifPresent(v -> details.put(AuditKeys.ACTOR_NAME, v));
            ip.ifPresent(v -> details.put(AuditKeys.IP, v));
            agent.ifPresent(v -> details.put(AuditKeys.USER_AGENT, v));
        }
    }

    private static void target(AuditEvent.Builder b, Lookup in, Map<String, Object> details) {
        Optional<String> type = in.any(AuditKeys.TARGET_TYPE);
        Optional<String> id = in.any(AuditKeys.TARGET_ID);
        Optional<String> name = in.any(AuditKeys.TARGET_NAME);
        if (type.isPresent()) {
            try {
                b.target(new Target(type.get(), id, name));
                return;
            } catch (EventValidationException invalid) {
                details.put(AuditKeys.TARGET_TYPE, type.get());
            }
        }
        // A target needs a type; an id or a name without one is kept as a detail, not dressed up as a target.
        id.ifPresent(v -> details.put(AuditKeys.TARGET_ID, v));
        name.ifPresent(v -> details.put(AuditKeys.TARGET_NAME, v));
    }

    /** The key-value pairs in order; a later pair wins over an earlier one of the same key, null keys are skipped. */
    private static Map<String, Object> pairs(List<KeyValuePair> list) {
        if (list == null || list.isEmpty()) {
            return Map.of();
        }
        Map<String, Object> out = new LinkedHashMap<>();
        for (KeyValuePair p : list) {
            if (p != null && p.key != null && p.value != null) {
                out.remove(p.key);
                out.put(p.key, p.value);
            }
        }
        return out;
    }

    /** The part of {@code name:arg1,arg2} before the first comma after the colon, e.g. the user of authn_login_fail. */
    private static Optional<String> firstArgument(String owaspEvent) {
        int colon = owaspEvent.indexOf(':');
        if (colon < 0) {
            return Optional.empty();
        }
        String args = owaspEvent.substring(colon + 1);
        int comma = args.indexOf(',');
        return nonBlank(comma < 0 ? args : args.substring(0, comma)).map(String::trim);
    }

    /** A value details can hold: numbers, booleans and strings as they are, anything else as its text. */
    static Object detailValue(Object v) {
        if (v instanceof String || v instanceof Boolean || v instanceof Long || v instanceof Integer
                || v instanceof Short || v instanceof Byte) {
            return v;
        }
        if (v instanceof Double || v instanceof Float || v instanceof BigDecimal || v instanceof BigInteger) {
            double d = ((Number) v).doubleValue();
            return Double.isNaN(d) || Double.isInfinite(d) ? v.toString() : v;
        }
        if (v instanceof Enum<?> e) {
            return e.name();
        }
        return String.valueOf(v);
    }

    private static <T> Optional<T> parse(String value, Function<String, T> fromJson) {
        try {
            return Optional.of(fromJson.apply(value.trim().toLowerCase(Locale.ROOT)));
        } catch (IllegalArgumentException unknown) {
            return Optional.empty();
        }
    }

    private static boolean isIp(String value) {
        try {
            Actor.anonymous().withIp(value);
            return true;
        } catch (EventValidationException notAnAddress) {
            return false;
        }
    }

    /**
     * A hashed session id: a lowercase algorithm name, a colon, and at least 32 hex digits ({@code hmac-sha256:…}).
     * A raw container session id is plain hex or base64 without such a prefix.
     */
    static boolean isHash(String v) {
        int colon = v.indexOf(':');
        if (colon < 1 || v.length() - colon - 1 < 32) {
            return false;
        }
        for (int i = 0; i < colon; i++) {
            char c = v.charAt(i);
            if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) {
                return false;
            }
        }
        for (int i = colon + 1; i < v.length(); i++) {
            char c = v.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
                return false;
            }
        }
        return true;
    }

    private static Optional<String> nonBlank(String s) {
        return s == null || s.isBlank() ? Optional.empty() : Optional.of(s);
    }

    /** Reads a key from the log call's key-value pairs, then (where allowed) from the MDC. */
    private record Lookup(Map<String, Object> pairs, Map<String, String> mdc) {

        /** From the key-value pairs only. */
        Optional<String> own(String key) {
            Object v = pairs.get(key);
            return v == null ? Optional.empty() : nonBlank(String.valueOf(v));
        }

        /** From the key-value pairs, else the MDC. */
        Optional<String> any(String key) {
            Optional<String> v = own(key);
            return v.isPresent() ? v : nonBlank(mdc.get(key));
        }

        /**
         * From the key-value pairs, else the MDC when the audit context has no value of its own: the recorder
         * applies the context, which is the better source, so the MDC is a fallback only.
         */
        Optional<String> correlation(String key, Optional<String> inContext) {
            Optional<String> v = own(key);
            return v.isPresent() || inContext.isPresent() ? v : nonBlank(mdc.get(key));
        }
    }
}
