package io.vigil.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns flat properties ({@code sinks[0].rotation.maxSize=100MB}) into the same tree a YAML file gives, so that one
 * validator serves both formats. Values stay strings; the validator coerces them where a number, boolean or
 * comma-separated list is expected.
 */
final class PropertiesTree {

    private static final Pattern SEGMENT = Pattern.compile("([^.\\[\\]]+)((?:\\[[0-9]{1,4}])*)");
    private static final Pattern INDEX = Pattern.compile("\\[([0-9]{1,4})]");

    private final List<String> errors;
    /** Nodes under construction: LinkedHashMap for mappings, TreeMap by index for lists, String for values. */
    private final Map<String, Object> root = new LinkedHashMap<>();

    private PropertiesTree(List<String> errors) {
        this.errors = errors;
    }

    /**
     * Builds the tree of the given properties, sorted by key so errors come in a stable order.
     *
     * @param errors receives one line per malformed or conflicting key
     */
    static ObjectNode build(Properties props, List<String> keys, List<String> errors) {
        PropertiesTree t = new PropertiesTree(errors);
        for (String key : keys) {
            t.put(key, props.getProperty(key));
        }
        return (ObjectNode) t.toJson(t.root, "");
    }

    private void put(String key, String value) {
        List<Object> path = parseKey(key);
        if (path == null) {
            errors.add("property '" + key + "': malformed key; expected names separated by dots, each optionally"
                    + " followed by [index], e.g. vigil.sinks[0].type");
            return;
        }
        Object node = root;
        for (int i = 0; i < path.size(); i++) {
            Object step = path.get(i);
            boolean last = i == path.size() - 1;
            Object next = last ? value : (path.get(i + 1) instanceof Integer ? new TreeMap<Integer, Object>()
                    : new LinkedHashMap<String, Object>());
            Object existing = child(node, step);
            if (existing == null) {
                setChild(node, step, next);
                node = next;
            } else if (last || existing instanceof String || kindDiffers(existing, next)) {
                errors.add("property '" + key + "' conflicts with another property that gives "
                        + describeConflict(existing) + " at the same place; use one form");
                return;
            } else {
                node = existing;
            }
        }
    }

    private static boolean kindDiffers(Object existing, Object wanted) {
        return (existing instanceof TreeMap) != (wanted instanceof TreeMap);
    }

    private static String describeConflict(Object existing) {
        if (existing instanceof String) {
            return "a value";
        }
        return existing instanceof TreeMap ? "an indexed list" : "nested keys";
    }

    @SuppressWarnings("unchecked")
    private static Object child(Object node, Object step) {
        if (node instanceof TreeMap && step instanceof Integer i) {
            return ((TreeMap<Integer, Object>) node).get(i);
        }
        if (node instanceof LinkedHashMap && step instanceof String s) {
            return ((LinkedHashMap<String, Object>) node).get(s);
        }
        return null;
    }

    @SuppressWarnings("unchecked")
    private static void setChild(Object node, Object step, Object value) {
        if (node instanceof TreeMap) {
            ((TreeMap<Integer, Object>) node).put((Integer) step, value);
        } else {
            ((LinkedHashMap<String, Object>) node).put((String) step, value);
        }
    }

    /** The key as names and indices, or null when malformed. The first step is always a name. */
    static List<Object> parseKey(String key) {
        List<Object> steps = new ArrayList<>();
        for (String part : key.split("\\.", -1)) {
            Matcher m = SEGMENT.matcher(part);
            if (!m.matches()) {
                return null;
            }
            steps.add(m.group(1));
            Matcher idx = INDEX.matcher(m.group(2));
            while (idx.find()) {
                steps.add(Integer.parseInt(idx.group(1)));
            }
        }
        return steps;
    }

    @SuppressWarnings("unchecked")
    private JsonNode toJson(Object node, String path) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        if (node instanceof String s) {
            return f.textNode(s);
        }
        if (node instanceof TreeMap) {
            TreeMap<Integer, Object> list = (TreeMap<Integer, Object>) node;
            ArrayNode a = f.arrayNode();
            int expected = 0;
            for (Map.Entry<Integer, Object> e : list.entrySet()) {
                if (e.getKey() != expected) {
                    // A gap usually means a typo in an index; filling it silently would shift or lose a sink.
                    errors.add(path + "[" + e.getKey() + "]: index " + expected + " is missing; list indices must"
                            + " start at 0 and have no gaps");
                    return a;
                }
                a.add(toJson(e.getValue(), path + "[" + expected + "]"));
                expected++;
            }
            return a;
        }
        ObjectNode o = f.objectNode();
        for (Map.Entry<String, Object> e : ((Map<String, Object>) node).entrySet()) {
            o.set(e.getKey(), toJson(e.getValue(), path.isEmpty() ? e.getKey() : path + "." + e.getKey()));
        }
        return o;
    }
}
