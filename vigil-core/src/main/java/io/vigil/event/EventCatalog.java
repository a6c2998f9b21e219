package io.vigil.event;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The closed catalogue of event types with stable names. Names never change once released; new types may be
 * added. {@code docs/event-catalog.md} is generated from this class.
 */
public final class EventCatalog {
    private static final Map<String, EventType> BY_NAME = new LinkedHashMap<>();

    // ---- auth ------------------------------------------------------------------------------------------------
    public static final EventType AUTH_LOGIN_SUCCESS = def("auth.login.success", Category.AUTH, "login",
            Outcome.SUCCESS, Severity.INFO, "A principal authenticated successfully.");
    public static final EventType AUTH_LOGIN_FAILURE = def("auth.login.failure", Category.AUTH, "login",
            Outcome.FAILURE, Severity.LOW, "An authentication attempt failed (bad credentials, unknown user, locked account).");

    private EventCatalog() {
    }

    private static EventType def(String name, Category category, String action, Outcome outcome, Severity severity,
                                 String description) {
        EventType t = new EventType(name, category, action, outcome, severity, description);
        if (BY_NAME.putIfAbsent(name, t) != null) {
            throw new IllegalStateException("duplicate catalogue type " + name);
        }
        return t;
    }

    /** The catalogue type with this name, if any. */
    public static Optional<EventType> find(String name) {
        return Optional.ofNullable(BY_NAME.get(name));
    }

    /**
     * The catalogue type with this name.
     *
     * @throws EventValidationException when the name is not in the catalogue
     */
    public static EventType require(String name) {
        EventType t = BY_NAME.get(name);
        if (t == null) {
            throw new EventValidationException("unknown event type '" + name + "'; see docs/event-catalog.md, or use a custom type starting with '"
                    + EventType.CUSTOM_PREFIX + "'");
        }
        return t;
    }

    /** Every catalogue type, in catalogue order. */
    public static List<EventType> all() {
        return Collections.unmodifiableList(List.copyOf(BY_NAME.values()));
    }
}
