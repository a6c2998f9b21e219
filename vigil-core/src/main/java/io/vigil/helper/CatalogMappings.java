package io.vigil.helper;

import io.vigil.event.Category;
import io.vigil.event.EventType;
import io.vigil.event.EventValidationException;
import io.vigil.event.Outcome;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

import static io.vigil.event.EventCatalog.*;

/**
 * Names from other vocabularies and the catalogue types they map to: the legacy action names (the helper actions of
 * the audit logger Vigil replaces, plus the actions Vigil's helpers add for categories it had no helper for), and the
 * OWASP Logging Vocabulary. The helpers resolve their actions here, and {@code docs/event-catalog.md} prints these tables.
 */
public final class CatalogMappings {

    /** Where a helper action's name comes from. */
    public enum Origin {
        /** A legacy action name: a helper action of the audit logger Vigil replaces, spelled as it was. */
        LEGACY("legacy"),
        /** An action added by Vigil, for a category the legacy helpers did not cover, or one they lacked. */
        VIGIL("new");

        private final String label;

        Origin(String label) {
            this.label = label;
        }

        /** A short label for documentation. */
        public String label() {
            return label;
        }
    }

    /**
     * A helper action and the catalogue types it becomes.
     *
     * @param category  the category the action belongs to
     * @param action    the action name, e.g. {@code token_refresh}
     * @param onSuccess the type recorded when the outcome is {@link Outcome#SUCCESS}
     * @param otherwise the type recorded for any other outcome (often the same type)
     * @param origin    where the action's name comes from
     */
    public record ActionMapping(Category category, String action, EventType onSuccess, EventType otherwise,
                                Origin origin) {

        public ActionMapping {
            Objects.requireNonNull(category, "category");
            Objects.requireNonNull(action, "action");
            Objects.requireNonNull(onSuccess, "onSuccess");
            Objects.requireNonNull(otherwise, "otherwise");
            Objects.requireNonNull(origin, "origin");
        }

        /** The type an event with this outcome is recorded as. */
        public EventType typeFor(Outcome outcome) {
            return Objects.requireNonNull(outcome, "outcome") == Outcome.SUCCESS ? onSuccess : otherwise;
        }
    }

    /**
     * A name from the OWASP Logging Vocabulary and the catalogue type to record instead.
     *
     * @param name the vocabulary name without its arguments, e.g. {@code authn_login_fail_max}
     * @param type the catalogue type
     * @param note how to fill the event where the type alone does not say it; empty when nothing needs saying
     */
    public record VocabularyMapping(String name, EventType type, String note) {

        public VocabularyMapping {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(note, "note");
        }
    }

    private static final List<ActionMapping> ACTIONS = List.of(
            legacy(Category.AUTH, "login", AUTH_LOGIN_SUCCESS, AUTH_LOGIN_FAILURE),
            legacy(Category.AUTH, "logout", AUTH_LOGOUT, AUTH_LOGOUT),
            legacy(Category.AUTH, "token_refresh", AUTH_TOKEN_REFRESHED, AUTH_TOKEN_REFRESH_FAILED),
            legacy(Category.AUTH, "password_change", AUTH_PASSWORD_CHANGED, AUTH_PASSWORD_CHANGE_FAILED),
            legacy(Category.AUTH, "api_key_use", AUTH_API_KEY_USED, AUTH_API_KEY_REJECTED),

            legacy(Category.AUTHZ, "access_granted", AUTHZ_ACCESS_GRANTED, AUTHZ_ACCESS_DENIED),
            legacy(Category.AUTHZ, "access_denied", AUTHZ_ACCESS_DENIED, AUTHZ_ACCESS_DENIED),
            legacy(Category.AUTHZ, "permission_check", AUTHZ_PERMISSION_CHECKED, AUTHZ_PERMISSION_CHECK_DENIED),
            legacy(Category.AUTHZ, "role_assigned", AUTHZ_ROLE_ASSIGNED, AUTHZ_ROLE_ASSIGNED),

            legacy(Category.ADMIN, "config_change", ADMIN_SETTINGS_CHANGED, ADMIN_SETTINGS_CHANGED),
            legacy(Category.ADMIN, "user_add", ADMIN_USER_CREATED, ADMIN_USER_CREATED),
            legacy(Category.ADMIN, "user_remove", ADMIN_USER_DELETED, ADMIN_USER_DELETED),
            legacy(Category.ADMIN, "channel_add", ADMIN_CHANNEL_ADDED, ADMIN_CHANNEL_ADDED),
            legacy(Category.ADMIN, "channel_remove", ADMIN_CHANNEL_REMOVED, ADMIN_CHANNEL_REMOVED),
            legacy(Category.ADMIN, "elevated_exec", ADMIN_EXEC_ELEVATED, ADMIN_EXEC_ELEVATED),

            vigil(Category.CONFIG, "config_load", CONFIG_LOADED, CONFIG_VALIDATION_FAILED),
            vigil(Category.CONFIG, "config_change", CONFIG_CHANGED, CONFIG_CHANGED),
            vigil(Category.CONFIG, "config_reload", CONFIG_RELOADED, CONFIG_VALIDATION_FAILED),

            legacy(Category.RATE_LIMIT, "request_limited", RATE_LIMIT_REQUEST_LIMITED, RATE_LIMIT_REQUEST_LIMITED),
            legacy(Category.RATE_LIMIT, "channel_limited", RATE_LIMIT_CHANNEL_LIMITED, RATE_LIMIT_CHANNEL_LIMITED),
            legacy(Category.RATE_LIMIT, "auth_backoff", RATE_LIMIT_AUTH_BACKOFF, RATE_LIMIT_AUTH_BACKOFF),

            vigil(Category.CHANNEL, "channel_connect", CHANNEL_CONNECTED, CHANNEL_ERROR),
            vigil(Category.CHANNEL, "channel_disconnect", CHANNEL_DISCONNECTED, CHANNEL_DISCONNECTED),
            vigil(Category.CHANNEL, "channel_add", CHANNEL_ADDED, CHANNEL_ADDED),
            vigil(Category.CHANNEL, "channel_remove", CHANNEL_REMOVED, CHANNEL_REMOVED),

            legacy(Category.SESSION, "session_start", SESSION_STARTED, SESSION_STARTED),
            legacy(Category.SESSION, "session_end", SESSION_ENDED, SESSION_ENDED),
            legacy(Category.SESSION, "session_timeout", SESSION_TIMEOUT, SESSION_TIMEOUT),
            vigil(Category.SESSION, "session_renew", SESSION_RENEWED, SESSION_RENEWED),

            vigil(Category.DATA, "read", DATA_READ, DATA_READ),
            vigil(Category.DATA, "write", DATA_WRITE, DATA_WRITE),
            vigil(Category.DATA, "create", DATA_CREATE, DATA_CREATE),
            vigil(Category.DATA, "update", DATA_UPDATE, DATA_UPDATE),
            vigil(Category.DATA, "delete", DATA_DELETE, DATA_DELETE),
            vigil(Category.DATA, "export", DATA_EXPORT, DATA_EXPORT),
            vigil(Category.DATA, "share", DATA_SHARE, DATA_SHARE),
            vigil(Category.DATA, "upload", DATA_UPLOAD, DATA_UPLOAD_REJECTED));

    private static final List<VocabularyMapping> OWASP = List.of(
            vocab("authn_login_success", AUTH_LOGIN_SUCCESS, ""),
            vocab("authn_login_successafterfail", AUTH_LOGIN_SUCCESS_AFTER_FAILURE, "details.failedAttempts = retries"),
            vocab("authn_login_fail", AUTH_LOGIN_FAILURE, ""),
            vocab("authn_login_fail_max", AUTH_LOGIN_FAILURE_LIMIT_REACHED, "details.limit = maxlimit"),
            vocab("authn_login_lock", AUTH_ACCOUNT_LOCKED, "reason = maxretries, suspicious, customer or other"),
            vocab("authn_password_change", AUTH_PASSWORD_CHANGED, ""),
            vocab("authn_password_change_fail", AUTH_PASSWORD_CHANGE_FAILED, ""),
            vocab("authn_impossible_travel", SECURITY_ANOMALY_DETECTED,
                    "anomalyFlags contains impossible_travel; details.from and details.to = the regions"),
            vocab("authn_token_created", AUTH_TOKEN_CREATED, "details.entitlements = the token's scopes"),
            vocab("authn_token_revoked", AUTH_TOKEN_REVOKED, ""),
            vocab("authn_token_reuse", AUTH_TOKEN_REUSED, ""),
            vocab("authn_token_delete", AUTH_TOKEN_DELETED, ""),
            vocab("authz_fail", AUTHZ_ACCESS_DENIED, ""),
            vocab("authz_change", AUTHZ_PRIVILEGE_CHANGED, ""),
            vocab("authz_admin", ADMIN_EXEC_ELEVATED, "or the admin.* type naming the activity"),
            vocab("crypt_decrypt_fail", SECURITY_CRYPTO_FAILED, "details.operation = decrypt"),
            vocab("crypt_encrypt_fail", SECURITY_CRYPTO_FAILED, "details.operation = encrypt"),
            vocab("excess_rate_limit_exceeded", SECURITY_RATE_LIMITED, "details.limit = max"),
            vocab("upload_complete", DATA_UPLOAD, ""),
            vocab("upload_stored", DATA_UPLOAD, "one event per upload; target.id = the stored key"),
            vocab("upload_validation", DATA_UPLOAD_REJECTED, "when validation failed; details.check names it"),
            vocab("upload_delete", DATA_DELETE, ""),
            vocab("input_validation_fail", SECURITY_INPUT_REJECTED, ""),
            vocab("input_validation_discrete_fail", SECURITY_SUSPICIOUS_ACTIVITY,
                    "anomalyFlags contains tampered_input; details.fields names the field"),
            vocab("malicious_excess_404", SECURITY_SUSPICIOUS_ACTIVITY, "anomalyFlags contains excess_404"),
            vocab("malicious_extraneous", SECURITY_ATTACK_DETECTED, "details.technique = extraneous_input"),
            vocab("malicious_attack_tool", SECURITY_ATTACK_DETECTED, "details.technique = attack_tool"),
            vocab("malicious_cors", SECURITY_ATTACK_DETECTED, "details.technique = cors"),
            vocab("malicious_direct_reference", SECURITY_ATTACK_DETECTED, "details.technique = direct_reference"),
            vocab("privilege_permissions_changed", AUTHZ_ACL_CHANGED, ""),
            vocab("sensitive_create", DATA_CREATE, ""),
            vocab("sensitive_read", DATA_READ, ""),
            vocab("sensitive_update", DATA_UPDATE, ""),
            vocab("sensitive_delete", DATA_DELETE, ""),
            vocab("sequence_fail", SECURITY_SUSPICIOUS_ACTIVITY, "anomalyFlags contains out_of_sequence"),
            vocab("session_created", AUTH_SESSION_CREATED, ""),
            vocab("session_renewed", SESSION_RENEWED, ""),
            vocab("session_expired", SESSION_TIMEOUT,
                    "reason logout: session.ended; reason revoked: auth.session.revoked"),
            vocab("session_use_after_expire", SESSION_USED_AFTER_EXPIRY, ""),
            vocab("sys_startup", AUDIT_STARTED, "the audit log starts and stops with the service"),
            vocab("sys_shutdown", AUDIT_STOPPED, "the audit log starts and stops with the service"),
            vocab("sys_restart", AUDIT_STARTED, "a restart records audit.stopped, then audit.started"),
            vocab("sys_crash", AUDIT_STOPPED,
                    "outcome error when the crash is caught; a torn tail found later is audit.ledger.recovered"),
            vocab("sys_monitor_disabled", AUDIT_STOPPED, "when the monitor is the audit log"),
            vocab("sys_monitor_enabled", AUDIT_STARTED, "when the monitor is the audit log"),
            vocab("user_created", ADMIN_USER_CREATED, ""),
            vocab("user_updated", ADMIN_USER_UPDATED, ""),
            vocab("user_archived", ADMIN_USER_SUSPENDED, ""),
            vocab("user_deleted", ADMIN_USER_DELETED, ""));

    private CatalogMappings() {
    }

    /** Every helper action, grouped by category. */
    public static List<ActionMapping> actions() {
        return ACTIONS;
    }

    /**
     * The mapping of one helper action.
     *
     * @throws EventValidationException naming the category's actions when the action is unknown
     */
    public static ActionMapping action(Category category, String action) {
        Objects.requireNonNull(category, "category");
        for (ActionMapping m : ACTIONS) {
            if (m.category() == category && m.action().equals(action)) {
                return m;
            }
        }
        throw new EventValidationException("unknown " + category.jsonName() + " action '" + action + "'; allowed: "
                + ACTIONS.stream().filter(m -> m.category() == category).map(ActionMapping::action)
                        .collect(Collectors.joining(", ")));
    }

    /**
     * The catalogue type a helper action with this outcome is recorded as, e.g. ({@code auth}, {@code login},
     * {@code failure}) is {@code auth.login.failure}.
     *
     * @throws EventValidationException when the action is unknown
     */
    public static EventType typeFor(Category category, String action, Outcome outcome) {
        return action(category, action).typeFor(outcome);
    }

    /** The OWASP Logging Vocabulary names, in the cheat sheet's order, with their catalogue types. */
    public static List<VocabularyMapping> owasp() {
        return OWASP;
    }

    /**
     * The catalogue type for an OWASP vocabulary event as it appears in a log: case is ignored and arguments
     * after {@code :} are dropped, so {@code AUTHN_login_fail:joebob1} finds {@code auth.login.failure}.
     */
    public static Optional<EventType> owasp(String event) {
        Objects.requireNonNull(event, "event");
        int colon = event.indexOf(':');
        String name = (colon < 0 ? event : event.substring(0, colon)).trim().toLowerCase(Locale.ROOT);
        return OWASP.stream().filter(m -> m.name().equals(name)).map(VocabularyMapping::type).findFirst();
    }

    private static ActionMapping legacy(Category c, String action, EventType onSuccess, EventType otherwise) {
        return new ActionMapping(c, action, onSuccess, otherwise, Origin.LEGACY);
    }

    private static ActionMapping vigil(Category c, String action, EventType onSuccess, EventType otherwise) {
        return new ActionMapping(c, action, onSuccess, otherwise, Origin.VIGIL);
    }

    private static VocabularyMapping vocab(String name, EventType type, String note) {
        return new VocabularyMapping(name, type, note);
    }
}
