package io.vigil.event;

import java.util.Arrays;
import java.util.stream.Collectors;

/** How much attention an event deserves, from least to most. */
public enum Severity {
    INFO("info"),
    LOW("low"),
    MEDIUM("medium"),
    HIGH("high"),
    CRITICAL("critical");

    private final String jsonName;

    Severity(String jsonName) {
        this.jsonName = jsonName;
    }

    /** The name used in JSON. */
    public String jsonName() {
        return jsonName;
    }

    /** True when this severity is at least {@code other}. */
    public boolean atLeast(Severity other) {
        return compareTo(other) >= 0;
    }

    /** @throws IllegalArgumentException naming the allowed values when the name is unknown */
    public static Severity fromJson(String name) {
        for (Severity s : values()) {
            if (s.jsonName.equals(name)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown severity '" + name + "'; allowed: " + allowed());
    }

    /** The allowed JSON names, comma separated. */
    public static String allowed() {
        return Arrays.stream(values()).map(Severity::jsonName).collect(Collectors.joining(", "));
    }
}
