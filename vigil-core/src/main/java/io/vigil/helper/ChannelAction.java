package io.vigil.helper;

/**
 * Channel actions (the legacy helpers had the category but no helper for it).
 *
 * @see ChannelEvents#record(ChannelAction, io.vigil.event.Outcome, io.vigil.event.Actor)
 */
public enum ChannelAction {
    CHANNEL_CONNECT("channel_connect"),
    CHANNEL_DISCONNECT("channel_disconnect"),
    CHANNEL_ADD("channel_add"),
    CHANNEL_REMOVE("channel_remove");

    private final String action;

    ChannelAction(String action) {
        this.action = action;
    }

    /** The action as named in the catalogue mappings, e.g. {@code channel_connect}; see {@link CatalogMappings}. */
    public String action() {
        return action;
    }
}
