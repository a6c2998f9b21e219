package io.vigil.helper;

/**
 * Data access actions.
 *
 * @see DataEvents#record(DataAction, io.vigil.event.Outcome, io.vigil.event.Actor, io.vigil.event.Target)
 */
public enum DataAction {
    READ("read"),
    WRITE("write"),
    CREATE("create"),
    UPDATE("update"),
    DELETE("delete"),
    EXPORT("export"),
    SHARE("share"),
    UPLOAD("upload");

    private final String action;

    DataAction(String action) {
        this.action = action;
    }

    /** The action as named in the catalogue mappings, e.g. {@code read}; see {@link CatalogMappings}. */
    public String action() {
        return action;
    }
}
