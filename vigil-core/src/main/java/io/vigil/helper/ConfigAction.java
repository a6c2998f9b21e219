package io.vigil.helper;

/**
 * Configuration actions (the legacy helpers had the category but no helper for it).
 *
 * @see ConfigEvents#record(ConfigAction, io.vigil.event.Outcome, io.vigil.event.Actor)
 */
public enum ConfigAction {
    CONFIG_LOAD("config_load"),
    CONFIG_CHANGE("config_change"),
    CONFIG_RELOAD("config_reload");

    private final String action;

    ConfigAction(String action) {
        this.action = action;
    }

    /** The action as named in the catalogue mappings, e.g. {@code config_load}; see {@link CatalogMappings}. */
    public String action() {
        return action;
    }
}
