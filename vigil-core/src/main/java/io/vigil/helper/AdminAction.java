package io.vigil.helper;

/**
 * The legacy administrative action names (of the legacy admin helper).
 *
 * @see AdminEvents#record(AdminAction, io.vigil.event.Outcome, io.vigil.event.Actor)
 */
public enum AdminAction {
    CONFIG_CHANGE("config_change"),
    USER_ADD("user_add"),
    USER_REMOVE("user_remove"),
    CHANNEL_ADD("channel_add"),
    CHANNEL_REMOVE("channel_remove"),
    ELEVATED_EXEC("elevated_exec");

    private final String action;

    AdminAction(String action) {
        this.action = action;
    }

    /** The action as named in the catalogue mappings, e.g. {@code config_change}; see {@link CatalogMappings}. */
    public String action() {
        return action;
    }
}
