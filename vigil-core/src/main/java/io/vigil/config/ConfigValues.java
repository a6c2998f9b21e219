package io.vigil.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.PipelineOptions;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Turns the values of a parsed configuration tree into Java values: booleans, numbers in range, sizes, durations,
 * paths, choices and lists. A value that does not fit records an error naming its key path and reads as null
 * ("not set"), so that the reader carries on and reports every mistake in one run.
 */
final class ConfigValues {
    /** True for properties, where every value is a string and lists may be comma-separated. */
    private final boolean stringly;
    private final List<String> errors;

    ConfigValues(boolean stringly, List<String> errors) {
        this.stringly = stringly;
        this.errors = errors;
    }

    /** Absent and YAML null both mean "not set", so an emptied-out section falls back to defaults. */
    static JsonNode present(JsonNode n) {
        return n == null || n.isNull() || n.isMissingNode() ? null : n;
    }

    /** The mapping at {@code path}; an empty one when absent; null (with an error) when it is something else. */
    ObjectNode object(JsonNode n, String path) {
        if (present(n) == null) {
            return JsonNodeFactory.instance.objectNode();
        }
        if (!n.isObject()) {
            error((path.isEmpty() ? "the configuration" : path) + ": expected a mapping of keys to values, got "
                    + describe(n));
            return null;
        }
        return (ObjectNode) n;
    }

    Boolean bool(JsonNode n, String path) {
        if ((n = present(n)) == null) {
            return null;
        }
        if (n.isBoolean()) {
            return n.booleanValue();
        }
        if (stringly && n.isTextual()) {
            String t = n.textValue().strip();
            if (t.equalsIgnoreCase("true") || t.equalsIgnoreCase("false")) {
                return Boolean.parseBoolean(t);
            }
        }
        error(path + ": expected true or false, got " + describe(n));
        return null;
    }

    Integer integer(JsonNode n, String path, int min, int max) {
        if ((n = present(n)) == null) {
            return null;
        }
        Long v = null;
        if (n.isIntegralNumber() && n.canConvertToLong()) {
            v = n.longValue();
        } else if (stringly && n.isTextual()) {
            try {
                v = Long.parseLong(n.textValue().strip());
            } catch (NumberFormatException e) {
                v = null;
            }
        }
        String range = max == Integer.MAX_VALUE ? "at least " + min : "from " + min + " to " + max;
        if (v == null) {
            error(path + ": expected a whole number " + range + ", got " + describe(n));
            return null;
        }
        if (v < min || v > max) {
            error(path + ": " + v + " is out of range; expected a whole number " + range);
            return null;
        }
        return (int) (long) v;
    }

    String string(JsonNode n, String path, boolean emptyAllowed) {
        if ((n = present(n)) == null) {
            return null;
        }
        if (!n.isTextual()) {
            error(path + ": expected a string, got " + describe(n));
            return null;
        }
        if (!emptyAllowed && n.textValue().isBlank()) {
            error(path + ": must not be empty");
            return null;
        }
        return n.textValue();
    }

    Path path(JsonNode n, String path) {
        String s = string(n, path, false);
        if (s == null) {
            return null;
        }
        try {
            return ConfigLoader.expandHome(s.strip());
        } catch (InvalidPathException e) {
            error(path + ": '" + clip(s) + "' is not a valid path: " + e.getReason());
            return null;
        }
    }

    <E> E choice(JsonNode n, String path, Map<String, E> allowed) {
        if ((n = present(n)) == null) {
            return null;
        }
        String names = String.join(", ", allowed.keySet());
        if (!n.isTextual()) {
            error(path + ": expected one of " + names + ", got " + describe(n));
            return null;
        }
        String t = n.textValue().strip();
        E v = allowed.get(t.toLowerCase(Locale.ROOT));
        if (v == null) {
            error(path + ": '" + clip(t) + "' is not allowed; allowed: " + names + KeySuggestions.suggestion(t, allowed.keySet()));
        }
        return v;
    }

    Duration duration(JsonNode n, String path) {
        return duration(n, path, PipelineOptions.MAX_WAIT);
    }

    Duration duration(JsonNode n, String path, Duration max) {
        if ((n = present(n)) == null) {
            return null;
        }
        Duration d = n.isTextual() ? Units.parseDuration(n.textValue().strip()) : null;
        if (d == null) {
            String hint = n.isIntegralNumber() ? " (add a unit, e.g. " + n.asText() + "ms)" : "";
            error(path + ": " + (n.isTextual() ? "'" + clip(n.textValue()) + "'" : describe(n))
                    + " is not a duration; expected " + Units.DURATION_GRAMMAR + hint);
        } else if (d.compareTo(max) > 0) {
            error(path + ": '" + clip(n.textValue()) + "' is too long; at most " + Units.formatDuration(max));
            return null;
        }
        return d;
    }

    Long size(JsonNode n, String path, long min, long max) {
        if ((n = present(n)) == null) {
            return null;
        }
        Long v = null;
        if (n.isIntegralNumber() && n.canConvertToLong()) {
            v = n.longValue() < 0 ? null : n.longValue();
        } else if (n.isTextual()) {
            v = Units.parseSize(n.textValue().strip());
        }
        if (v == null) {
            error(path + ": " + (n.isTextual() ? "'" + clip(n.textValue()) + "'" : describe(n))
                    + " is not a size; expected " + Units.SIZE_GRAMMAR);
            return null;
        }
        if (v < min || v > max) {
            error(path + ": " + Units.formatSize(v) + " is out of range; expected "
                    + (max == Long.MAX_VALUE ? "at least " + Units.formatSize(min)
                    : "from " + Units.formatSize(min) + " to " + max + " bytes"));
            return null;
        }
        return v;
    }

    /** The elements of a list; in properties a comma-separated value is a list too. */
    List<JsonNode> list(JsonNode n, String path, String what) {
        if ((n = present(n)) == null) {
            return null;
        }
        List<JsonNode> items = new ArrayList<>();
        if (n.isArray()) {
            n.forEach(items::add);
        } else if (stringly && n.isTextual()) {
            for (String part : n.textValue().split(",")) {
                if (!part.isBlank()) {
                    items.add(JsonNodeFactory.instance.textNode(part.strip()));
                }
            }
        } else {
            error(path + ": expected a list of " + what + ", got " + describe(n));
            return null;
        }
        return items;
    }

    List<String> stringList(JsonNode n, String path, String what) {
        List<JsonNode> items = list(n, path, what);
        if (items == null) {
            return null;
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            JsonNode item = items.get(i);
            if (item.isTextual()) {
                out.add(item.textValue());
            } else {
                error(path + "[" + i + "]: expected a string, got " + describe(item));
            }
        }
        return out;
    }

    /** {@code all}, or a non-empty list of names; null when absent or wrong. */
    <E extends Enum<E>> Set<E> allOrList(JsonNode n, String path, Map<String, E> allowed, Class<E> type,
                                                 String what) {
        if ((n = present(n)) == null) {
            return null;
        }
        String names = String.join(", ", allowed.keySet());
        if (n.isTextual() && n.textValue().strip().equalsIgnoreCase("all")) {
            return EnumSet.allOf(type);
        }
        if (!n.isArray() && !(stringly && n.isTextual())) {
            error(path + ": expected 'all' or a list of " + what + " (" + names + "), got " + describe(n));
            return null;
        }
        List<JsonNode> items = list(n, path, what);
        if (items.isEmpty()) {
            // An empty list would silently keep nothing; someone who wants that should say enabled: false.
            error(path + ": an empty list keeps no events; use 'all', list some " + what + ", or set enabled: false");
            return null;
        }
        EnumSet<E> set = EnumSet.noneOf(type);
        boolean ok = true;
        for (int i = 0; i < items.size(); i++) {
            E v = choice(items.get(i), path + "[" + i + "]", allowed);
            if (v == null) {
                ok = false;
            } else {
                set.add(v);
            }
        }
        return ok ? set : null;
    }

    static String describe(JsonNode n) {
        if (n.isTextual()) {
            return "the string '" + clip(n.textValue()) + "'";
        }
        if (n.isNumber()) {
            return "the number " + n.asText();
        }
        if (n.isBoolean()) {
            return "the boolean " + n.asText();
        }
        if (n.isArray()) {
            return "a list";
        }
        if (n.isObject()) {
            return "a mapping";
        }
        return n.getNodeType().toString().toLowerCase(Locale.ROOT);
    }

    static String clip(String s) {
        return s.length() <= 80 ? s : s.substring(0, 77) + "...";
    }

    private void error(String message) {
        errors.add(message);
    }
}
