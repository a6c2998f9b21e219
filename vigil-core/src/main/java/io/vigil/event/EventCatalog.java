package io.vigil.event;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The closed catalogue of event types with stable names. Names never change once released; new types may be
 * added. {@code docs/event-catalog.md} is generated from this class.
 *
 * <p>Conventions: a type's name starts with its category's JSON name; its action is the verb that was attempted
 * ({@code login}, {@code token_refresh}), shared by the success and failure types of the same attempt, and kept
 * as the legacy action names spell it where it comes from them ({@code access_denied}, {@code request_limited}).
 * Every legacy {@code security_audit_log} type name is kept as it was.
 */
public final class EventCatalog {
    private static final Map<String, EventType> BY_NAME = new LinkedHashMap<>();

    // ---- auth: logins ----------------------------------------------------------------------------------------
    public static final EventType AUTH_LOGIN_SUCCESS = def("auth.login.success", Category.AUTH, "login",
            Outcome.SUCCESS, Severity.INFO, "A principal authenticated successfully (OWASP authn_login_success).");
    public static final EventType AUTH_LOGIN_FAILURE = def("auth.login.failure", Category.AUTH, "login",
            Outcome.FAILURE, Severity.LOW,
            "A login failed: bad credentials, unknown user or locked account (OWASP authn_login_fail).");
    public static final EventType AUTH_LOGIN_SUCCESS_AFTER_FAILURE = def("auth.login.success_after_failure",
            Category.AUTH, "login", Outcome.SUCCESS, Severity.LOW,
            "A login succeeded after details.failedAttempts failures (OWASP authn_login_successafterfail).");
    public static final EventType AUTH_LOGIN_FAILURE_LIMIT_REACHED = def("auth.login.failure_limit_reached",
            Category.AUTH, "login", Outcome.FAILURE, Severity.MEDIUM,
            "Consecutive failed logins reached details.limit (OWASP authn_login_fail_max).");
    public static final EventType AUTH_ACCOUNT_LOCKED = def("auth.account.locked", Category.AUTH, "account_lock",
            Outcome.SUCCESS, Severity.MEDIUM,
            "An account was locked; reason says why, e.g. maxretries (OWASP authn_login_lock).");
    public static final EventType AUTH_LOGOUT = def("auth.logout", Category.AUTH, "logout",
            Outcome.SUCCESS, Severity.INFO, "A principal logged out.");

    // ---- auth: passwords -------------------------------------------------------------------------------------
    public static final EventType AUTH_PASSWORD_CHANGED = def("auth.password.changed", Category.AUTH,
            "password_change", Outcome.SUCCESS, Severity.INFO, "A password was changed (OWASP authn_password_change).");
    public static final EventType AUTH_PASSWORD_CHANGE_FAILED = def("auth.password.change_failed", Category.AUTH,
            "password_change", Outcome.FAILURE, Severity.MEDIUM,
            "A password change failed, e.g. the current password was wrong (OWASP authn_password_change_fail).");
    public static final EventType AUTH_PASSWORD_RESET_REQUESTED = def("auth.password.reset.requested", Category.AUTH,
            "password_reset_request", Outcome.SUCCESS, Severity.INFO, "A password reset was requested.");
    public static final EventType AUTH_PASSWORD_RESET_COMPLETED = def("auth.password.reset.completed", Category.AUTH,
            "password_reset", Outcome.SUCCESS, Severity.LOW, "A new password was set through the reset flow.");

    // ---- auth: tokens and API keys ---------------------------------------------------------------------------
    public static final EventType AUTH_TOKEN_CREATED = def("auth.token.created", Category.AUTH, "token_create",
            Outcome.SUCCESS, Severity.INFO, "An access or API token was issued (OWASP authn_token_created).");
    public static final EventType AUTH_TOKEN_REFRESHED = def("auth.token.refreshed", Category.AUTH, "token_refresh",
            Outcome.SUCCESS, Severity.INFO, "A token was exchanged for a fresh one.");
    public static final EventType AUTH_TOKEN_REFRESH_FAILED = def("auth.token.refresh_failed", Category.AUTH,
            "token_refresh", Outcome.FAILURE, Severity.LOW,
            "A token refresh was refused: the refresh token was expired, revoked or unknown.");
    public static final EventType AUTH_TOKEN_REVOKED = def("auth.token.revoked", Category.AUTH, "token_revoke",
            Outcome.SUCCESS, Severity.INFO, "A token was revoked before it expired (OWASP authn_token_revoked).");
    public static final EventType AUTH_TOKEN_DELETED = def("auth.token.deleted", Category.AUTH, "token_delete",
            Outcome.SUCCESS, Severity.LOW, "A token was deleted outright (OWASP authn_token_delete).");
    public static final EventType AUTH_TOKEN_REUSED = def("auth.token.reused", Category.AUTH, "token_use",
            Outcome.DENIED, Severity.HIGH,
            "A revoked or spent token was presented again: theft or replay (OWASP authn_token_reuse).");
    public static final EventType AUTH_TOKEN_USED = def("auth.token.used", Category.AUTH, "token_use",
            Outcome.SUCCESS, Severity.INFO, "A request authenticated with an issued token; details.tokenHash says which.");
    public static final EventType AUTH_TOKEN_REJECTED = def("auth.token.rejected", Category.AUTH, "token_use",
            Outcome.FAILURE, Severity.LOW,
            "A presented token was unknown, expired or malformed; reason says which.");
    public static final EventType AUTH_API_KEY_USED = def("auth.api_key.used", Category.AUTH, "api_key_use",
            Outcome.SUCCESS, Severity.INFO, "A request authenticated with an API key.");
    public static final EventType AUTH_API_KEY_REJECTED = def("auth.api_key.rejected", Category.AUTH, "api_key_use",
            Outcome.FAILURE, Severity.LOW, "A request presented an API key that was unknown, expired or revoked.");

    // ---- auth: second factors, sessions, devices -------------------------------------------------------------
    public static final EventType AUTH_MFA_ENABLED = def("auth.mfa.enabled", Category.AUTH, "mfa_enable",
            Outcome.SUCCESS, Severity.INFO, "A second factor was enrolled for an account; details.factor names it.");
    public static final EventType AUTH_MFA_DISABLED = def("auth.mfa.disabled", Category.AUTH, "mfa_disable",
            Outcome.SUCCESS, Severity.LOW, "A second factor was removed from an account, weakening it.");
    public static final EventType AUTH_MFA_CHALLENGED = def("auth.mfa.challenged", Category.AUTH, "mfa_challenge",
            Outcome.SUCCESS, Severity.INFO, "A principal was asked for a second factor.");
    public static final EventType AUTH_MFA_VERIFIED = def("auth.mfa.verified", Category.AUTH, "mfa_verify",
            Outcome.SUCCESS, Severity.INFO, "A second factor was verified.");
    public static final EventType AUTH_MFA_FAILED = def("auth.mfa.failed", Category.AUTH, "mfa_verify",
            Outcome.FAILURE, Severity.LOW, "A second factor was wrong or was not given in time.");
    public static final EventType AUTH_SESSION_CREATED = def("auth.session.created", Category.AUTH, "session_create",
            Outcome.SUCCESS, Severity.INFO, "An authenticated session was issued (OWASP session_created).");
    public static final EventType AUTH_SESSION_REVOKED = def("auth.session.revoked", Category.AUTH, "session_revoke",
            Outcome.SUCCESS, Severity.LOW,
            "An authenticated session was invalidated before its end, e.g. by an administrator or a password change.");
    public static final EventType AUTH_DEVICE_REGISTERED = def("auth.device.registered", Category.AUTH,
            "device_register", Outcome.SUCCESS, Severity.INFO, "A device was registered as trusted for an account.");
    public static final EventType AUTH_DEVICE_REVOKED = def("auth.device.revoked", Category.AUTH, "device_revoke",
            Outcome.SUCCESS, Severity.LOW, "A trusted device was removed from an account.");
    public static final EventType AUTH_USER_SWITCHED = def("auth.user.switched", Category.AUTH, "switch_user",
            Outcome.SUCCESS, Severity.MEDIUM,
            "A principal began, or ended, acting as another user (impersonation); target is the user acted as and"
                    + " details.exit is true when switching back.");

    // ---- authz -----------------------------------------------------------------------------------------------
    public static final EventType AUTHZ_ACCESS_GRANTED = def("authz.access.granted", Category.AUTHZ, "access_granted",
            Outcome.SUCCESS, Severity.INFO, "Access to a resource was allowed.");
    public static final EventType AUTHZ_ACCESS_DENIED = def("authz.access.denied", Category.AUTHZ, "access_denied",
            Outcome.DENIED, Severity.LOW, "Access to a resource was refused (OWASP authz_fail).");
    public static final EventType AUTHZ_PERMISSION_CHECKED = def("authz.permission.checked", Category.AUTHZ,
            "permission_check", Outcome.SUCCESS, Severity.INFO,
            "A named permission was checked and held; details.permission names it.");
    public static final EventType AUTHZ_PERMISSION_CHECK_DENIED = def("authz.permission.check_denied", Category.AUTHZ,
            "permission_check", Outcome.DENIED, Severity.LOW,
            "A named permission was checked and did not hold; details.permission names it.");
    public static final EventType AUTHZ_PERMISSION_GRANTED = def("authz.permission.granted", Category.AUTHZ,
            "permission_granted", Outcome.SUCCESS, Severity.LOW, "A permission was given to a principal.");
    public static final EventType AUTHZ_PERMISSION_REVOKED = def("authz.permission.revoked", Category.AUTHZ,
            "permission_revoked", Outcome.SUCCESS, Severity.LOW, "A permission was taken away from a principal.");
    public static final EventType AUTHZ_ROLE_ASSIGNED = def("authz.role.assigned", Category.AUTHZ, "role_assigned",
            Outcome.SUCCESS, Severity.LOW, "A role was assigned to a principal; details.role names it.");
    public static final EventType AUTHZ_ROLE_REMOVED = def("authz.role.removed", Category.AUTHZ, "role_removed",
            Outcome.SUCCESS, Severity.LOW, "A role was removed from a principal; details.role names it.");
    public static final EventType AUTHZ_PRIVILEGE_CHANGED = def("authz.privilege.changed", Category.AUTHZ,
            "privilege_changed", Outcome.SUCCESS, Severity.MEDIUM,
            "A principal's privilege level changed; details.from and details.to hold the levels (OWASP authz_change).");
    public static final EventType AUTHZ_ACL_CHANGED = def("authz.acl.changed", Category.AUTHZ, "acl_changed",
            Outcome.SUCCESS, Severity.MEDIUM,
            "The access rules of an object changed, e.g. file permissions (OWASP privilege_permissions_changed).");

    // ---- admin -----------------------------------------------------------------------------------------------
    public static final EventType ADMIN_USER_CREATED = def("admin.user.created", Category.ADMIN, "user_add",
            Outcome.SUCCESS, Severity.LOW, "An administrator created a user account (OWASP user_created).");
    public static final EventType ADMIN_USER_UPDATED = def("admin.user.updated", Category.ADMIN, "user_update",
            Outcome.SUCCESS, Severity.LOW,
            "An administrator changed a user's attributes; details.changes lists them (OWASP user_updated).");
    public static final EventType ADMIN_USER_SUSPENDED = def("admin.user.suspended", Category.ADMIN, "user_suspend",
            Outcome.SUCCESS, Severity.LOW,
            "An administrator suspended a user account, keeping its data (OWASP user_archived).");
    public static final EventType ADMIN_USER_REACTIVATED = def("admin.user.reactivated", Category.ADMIN,
            "user_reactivate", Outcome.SUCCESS, Severity.LOW, "An administrator reactivated a suspended user account.");
    public static final EventType ADMIN_USER_DELETED = def("admin.user.deleted", Category.ADMIN, "user_remove",
            Outcome.SUCCESS, Severity.MEDIUM, "An administrator deleted a user account (OWASP user_deleted).");
    public static final EventType ADMIN_SETTINGS_CHANGED = def("admin.settings.changed", Category.ADMIN,
            "config_change", Outcome.SUCCESS, Severity.LOW,
            "An administrator changed application settings; details.changes lists them.");
    public static final EventType ADMIN_CHANNEL_ADDED = def("admin.channel.added", Category.ADMIN, "channel_add",
            Outcome.SUCCESS, Severity.LOW, "An administrator added a communication channel or integration.");
    public static final EventType ADMIN_CHANNEL_REMOVED = def("admin.channel.removed", Category.ADMIN,
            "channel_remove", Outcome.SUCCESS, Severity.LOW,
            "An administrator removed a communication channel or integration.");
    public static final EventType ADMIN_EXEC_ELEVATED = def("admin.exec.elevated", Category.ADMIN, "elevated_exec",
            Outcome.SUCCESS, Severity.MEDIUM, "An operation ran with elevated privileges (OWASP authz_admin).");

    // ---- config ----------------------------------------------------------------------------------------------
    public static final EventType CONFIG_LOADED = def("config.loaded", Category.CONFIG, "config_load",
            Outcome.SUCCESS, Severity.INFO, "Configuration was loaded at startup; details.source says from where.");
    public static final EventType CONFIG_CHANGED = def("config.changed", Category.CONFIG, "config_change",
            Outcome.SUCCESS, Severity.LOW,
            "Configuration changed at runtime; details.changes lists the changed keys, secrets redacted.");
    public static final EventType CONFIG_RELOADED = def("config.reloaded", Category.CONFIG, "config_reload",
            Outcome.SUCCESS, Severity.INFO, "Configuration was reloaded from its source and is now in force.");
    public static final EventType CONFIG_VALIDATION_FAILED = def("config.validation_failed", Category.CONFIG,
            "config_validate", Outcome.FAILURE, Severity.MEDIUM,
            "A configuration was rejected as invalid; on reload the previous configuration stays in force.");

    // ---- rate_limit ------------------------------------------------------------------------------------------
    public static final EventType RATE_LIMIT_REQUEST_LIMITED = def("rate_limit.request.limited", Category.RATE_LIMIT,
            "request_limited", Outcome.DENIED, Severity.LOW,
            "A request was throttled; details.retryAfterMs says when to retry.");
    public static final EventType RATE_LIMIT_CHANNEL_LIMITED = def("rate_limit.channel.limited", Category.RATE_LIMIT,
            "channel_limited", Outcome.DENIED, Severity.LOW,
            "Traffic on a channel was throttled; details.retryAfterMs says when to retry.");
    public static final EventType RATE_LIMIT_AUTH_BACKOFF = def("rate_limit.auth.backoff", Category.RATE_LIMIT,
            "auth_backoff", Outcome.DENIED, Severity.MEDIUM,
            "Authentication is refused for details.retryAfterMs after repeated failures.");

    // ---- channel ---------------------------------------------------------------------------------------------
    public static final EventType CHANNEL_CONNECTED = def("channel.connected", Category.CHANNEL, "channel_connect",
            Outcome.SUCCESS, Severity.INFO, "A channel connected to its peer.");
    public static final EventType CHANNEL_DISCONNECTED = def("channel.disconnected", Category.CHANNEL,
            "channel_disconnect", Outcome.SUCCESS, Severity.INFO, "A channel disconnected; reason says why.");
    public static final EventType CHANNEL_ADDED = def("channel.added", Category.CHANNEL, "channel_add",
            Outcome.SUCCESS, Severity.LOW,
            "A channel was put into service, e.g. from configuration; see also admin.channel.added.");
    public static final EventType CHANNEL_REMOVED = def("channel.removed", Category.CHANNEL, "channel_remove",
            Outcome.SUCCESS, Severity.LOW, "A channel was taken out of service.");
    public static final EventType CHANNEL_ERROR = def("channel.error", Category.CHANNEL, "channel_error",
            Outcome.ERROR, Severity.MEDIUM,
            "A channel failed (connection lost, credentials refused, protocol error); error says which.");
    public static final EventType CHANNEL_MESSAGE_REJECTED = def("channel.message.rejected", Category.CHANNEL,
            "message_receive", Outcome.DENIED, Severity.LOW,
            "An inbound message was refused: bad signature, sender not allowed, or malformed.");

    // ---- session ---------------------------------------------------------------------------------------------
    public static final EventType SESSION_STARTED = def("session.started", Category.SESSION, "session_start",
            Outcome.SUCCESS, Severity.INFO, "A session began; auth.session.created records issuing its credential.");
    public static final EventType SESSION_RENEWED = def("session.renewed", Category.SESSION, "session_renew",
            Outcome.SUCCESS, Severity.INFO, "A session was extended before it expired (OWASP session_renewed).");
    public static final EventType SESSION_ENDED = def("session.ended", Category.SESSION, "session_end",
            Outcome.SUCCESS, Severity.INFO, "A session ended, e.g. on logout, after details.durationMs.");
    public static final EventType SESSION_TIMEOUT = def("session.timeout", Category.SESSION, "session_timeout",
            Outcome.SUCCESS, Severity.INFO,
            "A session expired (idle or maximum lifetime) after details.durationMs (OWASP session_expired).");
    public static final EventType SESSION_USED_AFTER_EXPIRY = def("session.used_after_expiry", Category.SESSION,
            "session_use", Outcome.DENIED, Severity.MEDIUM,
            "An expired session was presented again, possibly a hijack attempt (OWASP session_use_after_expire).");

    // ---- data ------------------------------------------------------------------------------------------------
    public static final EventType DATA_READ = def("data.read", Category.DATA, "read",
            Outcome.SUCCESS, Severity.INFO,
            "Sensitive data was read; details.recordCount may say how many records (OWASP sensitive_read).");
    public static final EventType DATA_CREATE = def("data.create", Category.DATA, "create",
            Outcome.SUCCESS, Severity.INFO, "Sensitive data was created (OWASP sensitive_create).");
    public static final EventType DATA_UPDATE = def("data.update", Category.DATA, "update",
            Outcome.SUCCESS, Severity.INFO, "Sensitive data was modified (OWASP sensitive_update).");
    public static final EventType DATA_WRITE = def("data.write", Category.DATA, "write",
            Outcome.SUCCESS, Severity.INFO, "Sensitive data was created or modified, not told apart.");
    public static final EventType DATA_DELETE = def("data.delete", Category.DATA, "delete",
            Outcome.SUCCESS, Severity.LOW,
            "Sensitive data was deleted or marked for deletion (OWASP sensitive_delete).");
    public static final EventType DATA_EXPORT = def("data.export", Category.DATA, "export",
            Outcome.SUCCESS, Severity.LOW,
            "Data left the system in bulk, e.g. a download or a report; details.recordCount may say how many records.");
    public static final EventType DATA_SHARE = def("data.share", Category.DATA, "share",
            Outcome.SUCCESS, Severity.LOW, "Data was made available to another party; details.sharedWith names it.");
    public static final EventType DATA_UPLOAD = def("data.upload", Category.DATA, "upload",
            Outcome.SUCCESS, Severity.INFO, "A file was uploaded and stored (OWASP upload_complete, upload_stored).");
    public static final EventType DATA_UPLOAD_REJECTED = def("data.upload.rejected", Category.DATA, "upload",
            Outcome.FAILURE, Severity.MEDIUM,
            "An uploaded file failed validation (type check, virus scan) and was discarded (OWASP upload_validation).");

    // ---- security --------------------------------------------------------------------------------------------
    public static final EventType SECURITY_ANOMALY_DETECTED = def("security.anomaly.detected", Category.SECURITY,
            "anomaly_detected", Outcome.FAILURE, Severity.MEDIUM,
            "Activity scored as anomalous; riskScore and anomalyFlags say why, e.g. impossible_travel.");
    public static final EventType SECURITY_BRUTE_FORCE_DETECTED = def("security.brute.force.detected",
            Category.SECURITY, "brute_force_detected", Outcome.DENIED, Severity.HIGH,
            "Repeated failed attempts to guess credentials were detected; details.failedAttempts says how many.");
    public static final EventType SECURITY_RATE_LIMITED = def("security.rate.limited", Category.SECURITY,
            "rate_limited", Outcome.DENIED, Severity.LOW,
            "A principal exceeded its usage ceiling, details.limit (OWASP excess_rate_limit_exceeded).");
    public static final EventType SECURITY_SUSPICIOUS_ACTIVITY = def("security.suspicious.activity",
            Category.SECURITY, "suspicious_activity", Outcome.FAILURE, Severity.MEDIUM,
            "Possibly malicious behaviour, e.g. out-of-sequence requests; reason and anomalyFlags say what.");
    public static final EventType SECURITY_ATTACK_DETECTED = def("security.attack.detected", Category.SECURITY,
            "attack_detected", Outcome.DENIED, Severity.HIGH,
            "A request bore clear signs of an attack; details.technique says which, e.g. attack_tool.");
    public static final EventType SECURITY_INPUT_REJECTED = def("security.input.rejected", Category.SECURITY,
            "input_rejected", Outcome.FAILURE, Severity.LOW,
            "Input validation rejected details.fields (OWASP input_validation_fail).");
    public static final EventType SECURITY_CRYPTO_FAILED = def("security.crypto.failed", Category.SECURITY,
            "crypto_failed", Outcome.ERROR, Severity.MEDIUM,
            "An encrypt or decrypt details.operation failed (OWASP crypt_encrypt_fail, crypt_decrypt_fail).");
    public static final EventType SECURITY_EVENT_UNMAPPED = def("security.event.unmapped", Category.SECURITY,
            "log", Outcome.SUCCESS, Severity.LOW,
            "A security event from another source (a log line with an audit marker, an application audit event) whose"
                    + " type has no catalogue name; details.sourceType keeps the type it gave. Kept, never dropped.");

    // ---- audit: the audit system itself ----------------------------------------------------------------------
    public static final EventType AUDIT_STARTED = def("audit.started", Category.AUDIT, "start",
            Outcome.SUCCESS, Severity.INFO, "The audit log started recording (PCI DSS 10.2.1.6).");
    public static final EventType AUDIT_STOPPED = def("audit.stopped", Category.AUDIT, "stop",
            Outcome.SUCCESS, Severity.LOW, "The audit log stopped recording (PCI DSS 10.2.1.6).");
    public static final EventType AUDIT_CONFIG_CHANGED = def("audit.config.changed", Category.AUDIT, "config_change",
            Outcome.SUCCESS, Severity.MEDIUM,
            "The audit configuration (filters, sinks, redaction) changed; details.changes lists it.");
    public static final EventType AUDIT_LOG_READ = def("audit.log.read", Category.AUDIT, "log_read",
            Outcome.SUCCESS, Severity.INFO, "The audit log was read, queried or exported (PCI DSS 10.2.1.3).");
    public static final EventType AUDIT_VERIFICATION_PASSED = def("audit.verification.passed", Category.AUDIT,
            "verify", Outcome.SUCCESS, Severity.INFO, "A verification found the ledger intact up to details.size.");
    public static final EventType AUDIT_VERIFICATION_FAILED = def("audit.verification.failed", Category.AUDIT,
            "verify", Outcome.FAILURE, Severity.CRITICAL,
            "A verification found the ledger modified, reordered or truncated; details.seq says where.");
    public static final EventType AUDIT_EVENTS_DROPPED = def("audit.events.dropped", Category.AUDIT, "drop",
            Outcome.ERROR, Severity.HIGH,
            "Events were dropped because the queue was full; details.count and details.sinceMs summarize them.");
    public static final EventType AUDIT_SINK_FAILED = def("audit.sink.failed", Category.AUDIT, "sink_write",
            Outcome.ERROR, Severity.HIGH, "A sink could not write events; details.sink names it and error says why.");
    public static final EventType AUDIT_LEDGER_RECOVERED = def("audit.ledger.recovered", Category.AUDIT, "recover",
            Outcome.SUCCESS, Severity.MEDIUM,
            "On reopen, an incomplete tail left by a crash was truncated; details.truncatedBytes says how much.");
    public static final EventType AUDIT_ACTION_ATTEMPTED = def("audit.action.attempted", Category.AUDIT, "attempt",
            Outcome.SUCCESS, Severity.INFO,
            "Written and made durable before a fail-closed action runs (audit before act); details.type names the"
                    + " event that records the result, which carries details.attemptId, this entry's id.");

    private EventCatalog() {
    }

    private static EventType def(String name, Category category, String action, Outcome outcome, Severity severity,
                                 String description) {
        EventType t = new EventType(name, category, action, outcome, severity, description);
        if (BY_NAME.putIfAbsent(name, t) != null) {
            throw new IllegalStateException("duplicate catalogue type " + name);
        }
        return t;
    }

    /** The catalogue type with this name, if any. */
    public static Optional<EventType> find(String name) {
        return Optional.ofNullable(BY_NAME.get(name));
    }

    /**
     * The catalogue type with this name.
     *
     * @throws EventValidationException when the name is not in the catalogue
     */
    public static EventType require(String name) {
        EventType t = BY_NAME.get(name);
        if (t == null) {
            throw new EventValidationException("unknown event type '" + name + "'; see docs/event-catalog.md,"
                    + " or use a custom type starting with '" + EventType.CUSTOM_PREFIX + "'");
        }
        return t;
    }

    /** Every catalogue type, in catalogue order. */
    public static List<EventType> all() {
        return List.copyOf(BY_NAME.values());
    }

    /** The catalogue types of one category, in catalogue order. */
    public static List<EventType> byCategory(Category category) {
        Objects.requireNonNull(category, "category");
        List<EventType> out = new ArrayList<>();
        for (EventType t : BY_NAME.values()) {
            if (t.category() == category) {
                out.add(t);
            }
        }
        return List.copyOf(out);
    }
}
