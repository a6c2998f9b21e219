package io.vigil.event;

import java.util.Arrays;
import java.util.stream.Collectors;

/** What kind of principal performed an action. */
public enum ActorType {
    USER("user"),
    SERVICE("service"),
    SYSTEM("system"),
    API("api"),
    ANONYMOUS("anonymous");

    private final String jsonName;

    ActorType(String jsonName) {
        this.jsonName = jsonName;
    }

    /** The name used in JSON. */
    public String jsonName() {
        return jsonName;
    }

    /** @throws IllegalArgumentException naming the allowed values when the name is unknown */
    public static ActorType fromJson(String name) {
        for (ActorType t : values()) {
            if (t.jsonName.equals(name)) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown actor type '" + name + "'; allowed: "
                + Arrays.stream(values()).map(ActorType::jsonName).collect(Collectors.joining(", ")));
    }
}
