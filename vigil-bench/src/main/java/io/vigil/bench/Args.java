package io.vigil.bench;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/** {@code --name value} arguments of the harness mains, with defaults, and a clear error for unknown names. */
final class Args {
    private final Map<String, String> values = new HashMap<>();

    Args(String[] args, Set<String> known, Set<String> flags) {
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--") || !known.contains(a.substring(2))) {
                throw new IllegalArgumentException("unknown argument " + a + "; known: --" + String.join(", --", known));
            }
            String name = a.substring(2);
            if (flags.contains(name)) {
                values.put(name, "true");
            } else if (i + 1 < args.length) {
                values.put(name, args[++i]);
            } else {
                throw new IllegalArgumentException(a + " needs a value");
            }
        }
    }

    String get(String name, String dflt) {
        return values.getOrDefault(name, dflt);
    }

    long getLong(String name, long dflt) {
        String v = values.get(name);
        return v == null ? dflt : Long.parseLong(v.replace("_", ""));
    }

    boolean flag(String name) {
        return values.containsKey(name);
    }
}
