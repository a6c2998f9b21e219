package io.vigil.event;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A kind of audit event with a stable name. The closed set lives in {@link EventCatalog}; applications may add
 * their own with {@link #custom}, whose names must start with {@value #CUSTOM_PREFIX}.
 *
 * @param name            the canonical dotted name, e.g. {@code auth.login.failure}
 * @param category        the category; for catalogue types the name's first segment
 * @param action          the verb recorded in the event's {@code action} field, e.g. {@code login}
 * @param outcome         the outcome an event of this type has unless the caller says otherwise
 * @param severity        the severity an event of this type has unless the caller says otherwise
 * @param description     one line saying what the type means
 */
public record EventType(String name, Category category, String action, Outcome outcome, Severity severity,
                        String description) {

    /** Prefix every application-defined type name must carry. */
    public static final String CUSTOM_PREFIX = "x.";

    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)+");
    private static final Pattern ACTION = Pattern.compile("[a-z][a-z0-9_]*");

    public EventType {
        Checks.required("type", name, 128);
        Objects.requireNonNull(category, "category is required");
        Checks.required("action", action, 64);
        Objects.requireNonNull(outcome, "outcome is required");
        Objects.requireNonNull(severity, "severity is required");
        Objects.requireNonNull(description, "description is required");
        if (!NAME.matcher(name).matches()) {
            throw new EventValidationException("type '" + name
                    + "' must be dotted lowercase segments of [a-z0-9_], e.g. auth.login.failure");
        }
        if (!ACTION.matcher(action).matches()) {
            throw new EventValidationException("action '" + action + "' must be lowercase [a-z0-9_], e.g. login");
        }
        if (!name.startsWith(CUSTOM_PREFIX) && !name.startsWith(category.jsonName() + ".")) {
            throw new EventValidationException("type '" + name + "' must start with its category '"
                    + category.jsonName() + ".' (or with '" + CUSTOM_PREFIX + "' for a custom type)");
        }
    }

    /**
     * An application-defined type. The name must start with {@value #CUSTOM_PREFIX} and must not collide with the
     * catalogue, e.g. {@code x.billing.invoice.exported}.
     */
    public static EventType custom(String name, Category category, String action, Outcome outcome,
                                   Severity severity, String description) {
        if (name == null || !name.startsWith(CUSTOM_PREFIX)) {
            throw new EventValidationException("custom type '" + name + "' must start with '" + CUSTOM_PREFIX
                    + "'; names without it are reserved for the catalogue");
        }
        return new EventType(name, category, action, outcome, severity, description);
    }

    /** True for application-defined types. */
    public boolean isCustom() {
        return name.startsWith(CUSTOM_PREFIX);
    }

    /** Validates a type name as it appears in an event (catalogue or custom). */
    static String checkName(String name) {
        Checks.required("type", name, 128);
        if (!isDottedName(name)) {
            throw new EventValidationException("type '" + name
                    + "' must be dotted lowercase segments of [a-z0-9_], e.g. auth.login.failure");
        }
        return name;
    }

    // Hand-written equivalents of NAME and ACTION: these run for every recorded event, where a regex costs too much.
    private static boolean isDottedName(String s) {
        int start = 0;
        int segments = 0;
        for (int i = 0; i <= s.length(); i++) {
            if (i == s.length() || s.charAt(i) == '.') {
                if (!isSegment(s, start, i)) {
                    return false;
                }
                segments++;
                start = i + 1;
            }
        }
        return segments >= 2;
    }

    private static boolean isSegment(String s, int from, int to) {
        if (to <= from) {
            return false;
        }
        char first = s.charAt(from);
        if (first < 'a' || first > 'z') {
            return false;
        }
        for (int i = from + 1; i < to; i++) {
            char c = s.charAt(i);
            if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) {
                return false;
            }
        }
        return true;
    }

    /** Validates an action as it appears in an event. */
    static String checkAction(String action) {
        Checks.required("action", action, 64);
        if (!isSegment(action, 0, action.length())) {
            throw new EventValidationException("action '" + action + "' must be lowercase [a-z0-9_], e.g. login");
        }
        return action;
    }
}
