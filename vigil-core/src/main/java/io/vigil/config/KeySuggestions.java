package io.vigil.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Hints for a key or name that is not allowed: the closest allowed one ("did you mean"), or where the key belongs. */
final class KeySuggestions {
    private KeySuggestions() {
    }

    static String hint(String key, String path, List<String> allowed) {
        String s = suggestion(key, allowed);
        if (!s.isEmpty()) {
            return s;
        }
        // A real key in the wrong section (queueCapacity at top level) is worth pointing to where it belongs.
        String relative = path.equals(ConfigLoader.WRAPPER) ? ""
                : path.startsWith(ConfigLoader.WRAPPER + ".") ? path.substring(ConfigLoader.WRAPPER.length() + 1)
                : path;
        String shape = relative.replaceAll("\\[[0-9]+]", "[]");
        List<String> homes = new ArrayList<>();
        for (String accepted : ConfigLoader.acceptedKeys()) {
            String[] segments = accepted.split("\\.");
            for (int i = 0; i < segments.length; i++) {
                if (segments[i].equals(key)) {
                    String parent = String.join(".", List.of(segments).subList(0, i));
                    String home = String.join(".", List.of(segments).subList(0, i + 1));
                    if (!parent.equals(shape) && !homes.contains(home)) {
                        homes.add(home);
                    }
                }
            }
        }
        return homes.isEmpty() ? "" : "; '" + key + "' belongs at " + String.join(" or ", homes);
    }

    /** "; did you mean 'x'?" for the closest candidate within a small edit distance, else "". */
    static String suggestion(String given, Iterable<String> candidates) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        String g = given.toLowerCase(Locale.ROOT);
        for (String c : candidates) {
            int d = editDistance(g, c.toLowerCase(Locale.ROOT));
            if (d < bestDistance) {
                best = c;
                bestDistance = d;
            }
        }
        int limit = Math.max(1, Math.min(3, given.length() / 3));
        return best != null && bestDistance <= limit ? "; did you mean '" + best + "'?" : "";
    }

    /** Levenshtein distance; inputs are short keys, so the quadratic table is fine. */
    static int editDistance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
