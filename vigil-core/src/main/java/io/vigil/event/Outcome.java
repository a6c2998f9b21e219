package io.vigil.event;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * How the audited action ended. Declared from least to most notable, so that a "minimum outcome"
 * filter ({@code success < failure < denied < error}) has a defined meaning.
 */
public enum Outcome {
    SUCCESS("success"),
    FAILURE("failure"),
    DENIED("denied"),
    ERROR("error");

    private final String jsonName;

    Outcome(String jsonName) {
        this.jsonName = jsonName;
    }

    /** The name used in JSON. */
    public String jsonName() {
        return jsonName;
    }

    /** @throws IllegalArgumentException naming the allowed values when the name is unknown */
    public static Outcome fromJson(String name) {
        for (Outcome o : values()) {
            if (o.jsonName.equals(name)) {
                return o;
            }
        }
        throw new IllegalArgumentException("unknown outcome '" + name + "'; allowed: " + allowed());
    }

    /** The allowed JSON names, comma separated. */
    public static String allowed() {
        return Arrays.stream(values()).map(Outcome::jsonName).collect(Collectors.joining(", "));
    }
}
