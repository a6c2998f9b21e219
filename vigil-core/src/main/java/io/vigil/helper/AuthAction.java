package io.vigil.helper;

/**
 * The legacy authentication action names (of the legacy auth helper).
 *
 * @see AuthEvents#record(AuthAction, io.vigil.event.Outcome, io.vigil.event.Actor)
 */
public enum AuthAction {
    LOGIN("login"),
    LOGOUT("logout"),
    TOKEN_REFRESH("token_refresh"),
    PASSWORD_CHANGE("password_change"),
    API_KEY_USE("api_key_use");

    private final String action;

    AuthAction(String action) {
        this.action = action;
    }

    /** The action as named in the catalogue mappings, e.g. {@code login}; see {@link CatalogMappings}. */
    public String action() {
        return action;
    }
}
