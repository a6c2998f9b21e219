package io.vigil.filter;

import io.vigil.event.AuditEvent;
import io.vigil.event.Category;
import io.vigil.event.Outcome;
import io.vigil.event.Severity;

import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Decides whether an event is kept. An event passes when its category and outcome are in the allowed sets, its
 * severity is at least {@code minSeverity}, its type matches one of {@code includeTypes} (when that list is not
 * empty) and none of {@code excludeTypes}. Type patterns are exact names or prefixes ending in {@code .*}, e.g.
 * {@code auth.*}; {@code *} matches every type.
 *
 * @param categories   categories kept
 * @param outcomes     outcomes kept
 * @param minSeverity  lowest severity kept
 * @param includeTypes type patterns kept; empty means every type
 * @param excludeTypes type patterns dropped, even when included
 */
public record EventFilter(Set<Category> categories, Set<Outcome> outcomes, Severity minSeverity,
                          List<String> includeTypes, List<String> excludeTypes) {

    /** Keeps every event. */
    public static final EventFilter ALL = new EventFilter(EnumSet.allOf(Category.class),
            EnumSet.allOf(Outcome.class), Severity.INFO, List.of(), List.of());

    private static final Pattern TYPE_PATTERN =
            Pattern.compile("\\*|[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)*(\\.\\*)?");

    public EventFilter {
        Objects.requireNonNull(categories, "categories");
        Objects.requireNonNull(outcomes, "outcomes");
        Objects.requireNonNull(minSeverity, "minSeverity");
        categories = categories.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(categories));
        outcomes = outcomes.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(outcomes));
        includeTypes = List.copyOf(includeTypes);
        excludeTypes = List.copyOf(excludeTypes);
        for (String p : includeTypes) {
            checkPattern(p);
        }
        for (String p : excludeTypes) {
            checkPattern(p);
        }
    }

    private static void checkPattern(String p) {
        if (!TYPE_PATTERN.matcher(p).matches()) {
            throw new IllegalArgumentException("type pattern '" + p
                    + "' must be a type name, a prefix ending in '.*' (e.g. auth.*), or '*'");
        }
    }

    /** True when the event passes this filter. */
    public boolean test(AuditEvent event) {
        if (!categories.contains(event.category()) || !outcomes.contains(event.outcome())
                || !event.severity().atLeast(minSeverity)) {
            return false;
        }
        String type = event.type();
        if (!includeTypes.isEmpty() && !matchesAny(includeTypes, type)) {
            return false;
        }
        return excludeTypes.isEmpty() || !matchesAny(excludeTypes, type);
    }

    private static boolean matchesAny(List<String> patterns, String type) {
        for (String p : patterns) {
            if (matches(p, type)) {
                return true;
            }
        }
        return false;
    }

    /** True when {@code type} matches one pattern as described on this class. */
    public static boolean matches(String pattern, String type) {
        if (pattern.equals("*")) {
            return true;
        }
        if (pattern.endsWith(".*")) {
            return type.startsWith(pattern.substring(0, pattern.length() - 1));
        }
        return pattern.equals(type);
    }

    /** Keeps only these categories. */
    public EventFilter withCategories(Set<Category> value) {
        return new EventFilter(value, outcomes, minSeverity, includeTypes, excludeTypes);
    }

    /** Keeps only these outcomes. */
    public EventFilter withOutcomes(Set<Outcome> value) {
        return new EventFilter(categories, value, minSeverity, includeTypes, excludeTypes);
    }

    /**
     * Keeps outcomes at least as notable as {@code min}, in the order {@code success < failure < denied < error};
     * e.g. {@code FAILURE} keeps failure, denied and error. This is what the legacy configuration's {@code minOutcome} means.
     */
    public EventFilter withMinOutcome(Outcome min) {
        return withOutcomes(EnumSet.range(min, Outcome.ERROR));
    }

    /** Keeps severities at least {@code value}. */
    public EventFilter withMinSeverity(Severity value) {
        return new EventFilter(categories, outcomes, value, includeTypes, excludeTypes);
    }

    /** Keeps only types matching one of these patterns. */
    public EventFilter withIncludeTypes(List<String> value) {
        return new EventFilter(categories, outcomes, minSeverity, value, excludeTypes);
    }

    /** Drops types matching one of these patterns. */
    public EventFilter withExcludeTypes(List<String> value) {
        return new EventFilter(categories, outcomes, minSeverity, includeTypes, value);
    }
}
