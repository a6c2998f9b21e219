package io.vigil.event;

import java.util.Optional;

/**
 * What the action was performed on.
 *
 * @param type the kind of resource, e.g. {@code user}, {@code document}, {@code gateway}
 * @param id   the resource's identifier
 * @param name the resource's display name
 */
public record Target(String type, Optional<String> id, Optional<String> name) {

    public Target {
        Checks.required("target.type", type, Checks.MAX_ID_CHARS);
        Checks.optional("target.id", id, Checks.MAX_ID_CHARS);
        Checks.optional("target.name", name, Checks.MAX_ID_CHARS);
    }

    /** A resource of the given type and id. */
    public static Target of(String type, String id) {
        return new Target(type, Optional.of(id), Optional.empty());
    }

    /** A resource known only by its type. */
    public static Target ofType(String type) {
        return new Target(type, Optional.empty(), Optional.empty());
    }

    public Target withName(String value) {
        return new Target(type, id, Optional.of(value));
    }
}
