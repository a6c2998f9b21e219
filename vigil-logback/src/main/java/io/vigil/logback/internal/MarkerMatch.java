package io.vigil.logback.internal;

import org.slf4j.Marker;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Whether a logging event's markers make it an audit event: one of them is, or references, a configured name. */
public final class MarkerMatch {
    private final String[] names;

    private MarkerMatch(List<String> names) {
        if (names.isEmpty()) {
            throw new IllegalArgumentException("at least one marker name is required, e.g. AUDIT");
        }
        this.names = names.toArray(String[]::new);
    }

    /** Matches the given names. */
    public static MarkerMatch of(List<String> names) {
        return new MarkerMatch(List.copyOf(names));
    }

    /** Matches the names of a comma-separated list, as written in {@code logback.xml}; blanks are skipped. */
    public static MarkerMatch parse(String commaSeparated) {
        List<String> out = new ArrayList<>();
        for (String part : commaSeparated.split(",")) {
            String name = part.trim();
            if (!name.isEmpty()) {
                out.add(name);
            }
        }
        return of(out);
    }

    /** The configured names. */
    public List<String> names() {
        return List.of(names);
    }

    /** True when one of the markers matches; {@code null} (Logback's "no markers") matches nothing. */
    public boolean matches(List<Marker> markers) {
        if (markers == null) {
            return false;
        }
        for (int i = 0; i < markers.size(); i++) {
            if (matches(markers.get(i))) {
                return true;
            }
        }
        return false;
    }

    /** True when the marker is one of the names or references one (at any depth). */
    public boolean matches(Marker marker) {
        if (marker == null) {
            return false;
        }
        for (String name : names) {
            if (marker.contains(name)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return Arrays.toString(names);
    }
}
