package io.vigil.json;

import java.util.List;
import java.util.Objects;

/**
 * The names of top-level members a caller adds to every event it writes (a store's own members, say), checked once
 * and held in canonical order, so that writing them per event needs no map and no sorting
 * ({@link EventJson#writeCanonical(io.vigil.event.AuditEvent, ExtraMembers, Object[], CanonicalBuffer, String)}).
 */
public final class ExtraMembers {
    private final String[] names;

    private ExtraMembers(String[] names) {
        this.names = names;
    }

    /**
     * Members named {@code namesInCanonicalOrder}, which must be in canonical order (sorted by UTF-16 code units),
     * distinct, and none the name of an event field.
     *
     * @throws IllegalArgumentException when a name is out of order, repeated or an event field's
     */
    public static ExtraMembers of(String... namesInCanonicalOrder) {
        String[] names = namesInCanonicalOrder.clone();
        for (int i = 0; i < names.length; i++) {
            Objects.requireNonNull(names[i], "a member name is null");
            if (EventJson.isEventField(names[i])) {
                throw new IllegalArgumentException("extra field '" + names[i] + "' collides with the event field of"
                        + " that name");
            }
            if (i > 0 && names[i - 1].compareTo(names[i]) >= 0) {
                throw new IllegalArgumentException("extra members must be distinct and in canonical order; '"
                        + names[i] + "' follows '" + names[i - 1] + "'");
            }
        }
        return new ExtraMembers(names);
    }

    /** The names, in canonical order. */
    public List<String> names() {
        return List.of(names);
    }

    /** The number of members. */
    public int size() {
        return names.length;
    }

    /** The names without a copy, for the writer in this package. */
    String[] sortedNames() {
        return names;
    }

    boolean contains(String name) {
        for (String n : names) {
            if (n.equals(name)) {
                return true;
            }
        }
        return false;
    }
}
