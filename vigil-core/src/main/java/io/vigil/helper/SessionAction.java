package io.vigil.helper;

/**
 * The legacy session action names (of the legacy session helper), plus renewal.
 *
 * @see SessionEvents#record(SessionAction, io.vigil.event.Outcome, io.vigil.event.Actor)
 */
public enum SessionAction {
    SESSION_START("session_start"),
    SESSION_END("session_end"),
    SESSION_TIMEOUT("session_timeout"),
    SESSION_RENEW("session_renew");

    private final String action;

    SessionAction(String action) {
        this.action = action;
    }

    /** The action as named in the catalogue mappings, e.g. {@code session_start}; see {@link CatalogMappings}. */
    public String action() {
        return action;
    }
}
