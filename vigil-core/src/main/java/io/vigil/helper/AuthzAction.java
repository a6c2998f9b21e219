package io.vigil.helper;

/**
 * The legacy authorization action names (of the legacy authz helper).
 *
 * @see AuthzEvents#record(AuthzAction, io.vigil.event.Outcome, io.vigil.event.Actor)
 */
public enum AuthzAction {
    ACCESS_GRANTED("access_granted"),
    ACCESS_DENIED("access_denied"),
    PERMISSION_CHECK("permission_check"),
    ROLE_ASSIGNED("role_assigned");

    private final String action;

    AuthzAction(String action) {
        this.action = action;
    }

    /** The action as named in the catalogue mappings, e.g. {@code access_granted}; see {@link CatalogMappings}. */
    public String action() {
        return action;
    }
}
