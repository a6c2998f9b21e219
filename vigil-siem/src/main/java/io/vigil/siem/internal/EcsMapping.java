package io.vigil.siem.internal;

import io.vigil.event.Category;
import io.vigil.event.EventCatalog;
import io.vigil.event.EventType;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How each event type is categorized in ECS: {@code event.kind}, {@code event.category} and {@code event.type}, each
 * value one ECS allows, and each type one ECS expects for every category it is paired with.
 *
 * @param kind       {@code event}, or {@code alert} for the detections of the {@code security} category
 * @param categories the values of {@code event.category}
 * @param types      the values of {@code event.type}
 */
public record EcsMapping(String kind, List<String> categories, List<String> types) {

    private static final Map<String, EcsMapping> BY_TYPE = new HashMap<>();
    private static final Map<Category, EcsMapping> BY_CATEGORY = new HashMap<>();

    public EcsMapping {
        Objects.requireNonNull(kind, "kind");
        categories = List.copyOf(categories);
        types = List.copyOf(types);
    }

    static {
        // auth: logins and logouts are ECS authentication; changes to an account or its credentials are iam.
        put(EventCatalog.AUTH_LOGIN_SUCCESS, "authentication", "start");
        put(EventCatalog.AUTH_LOGIN_FAILURE, "authentication", "start");
        put(EventCatalog.AUTH_LOGIN_SUCCESS_AFTER_FAILURE, "authentication", "start");
        put(EventCatalog.AUTH_LOGIN_FAILURE_LIMIT_REACHED, "authentication", "start");
        put(EventCatalog.AUTH_ACCOUNT_LOCKED, "iam", "user", "change");
        put(EventCatalog.AUTH_LOGOUT, "authentication", "end");
        put(EventCatalog.AUTH_PASSWORD_CHANGED, "iam", "user", "change");
        put(EventCatalog.AUTH_PASSWORD_CHANGE_FAILED, "iam", "user", "change");
        put(EventCatalog.AUTH_PASSWORD_RESET_REQUESTED, "iam", "user", "info");
        put(EventCatalog.AUTH_PASSWORD_RESET_COMPLETED, "iam", "user", "change");
        put(EventCatalog.AUTH_TOKEN_CREATED, "iam", "creation");
        put(EventCatalog.AUTH_TOKEN_REFRESHED, "authentication", "info");
        put(EventCatalog.AUTH_TOKEN_REFRESH_FAILED, "authentication", "info");
        put(EventCatalog.AUTH_TOKEN_REVOKED, "iam", "change");
        put(EventCatalog.AUTH_TOKEN_DELETED, "iam", "deletion");
        put(EventCatalog.AUTH_TOKEN_REUSED, "authentication", "info");
        put(EventCatalog.AUTH_TOKEN_USED, "authentication", "info");
        put(EventCatalog.AUTH_TOKEN_REJECTED, "authentication", "info");
        put(EventCatalog.AUTH_API_KEY_USED, "authentication", "info");
        put(EventCatalog.AUTH_API_KEY_REJECTED, "authentication", "info");
        put(EventCatalog.AUTH_MFA_ENABLED, "iam", "user", "change");
        put(EventCatalog.AUTH_MFA_DISABLED, "iam", "user", "change");
        put(EventCatalog.AUTH_MFA_CHALLENGED, "authentication", "info");
        put(EventCatalog.AUTH_MFA_VERIFIED, "authentication", "info");
        put(EventCatalog.AUTH_MFA_FAILED, "authentication", "info");
        put(new EcsMapping("event", List.of("authentication", "session"), List.of("start")),
                EventCatalog.AUTH_SESSION_CREATED);
        put(EventCatalog.AUTH_SESSION_REVOKED, "session", "end");
        put(EventCatalog.AUTH_DEVICE_REGISTERED, "iam", "user", "change");
        put(EventCatalog.AUTH_DEVICE_REVOKED, "iam", "user", "change");
        put(EventCatalog.AUTH_USER_SWITCHED, "authentication", "start");

        // authz: ECS has no authorization category; a decision is an api access, a change of rights is iam.
        put(EventCatalog.AUTHZ_ACCESS_GRANTED, "api", "access", "allowed");
        put(EventCatalog.AUTHZ_ACCESS_DENIED, "api", "access", "denied");
        put(EventCatalog.AUTHZ_PERMISSION_CHECKED, "api", "access", "allowed");
        put(EventCatalog.AUTHZ_PERMISSION_CHECK_DENIED, "api", "access", "denied");
        put(EventCatalog.AUTHZ_PERMISSION_GRANTED, "iam", "user", "change");
        put(EventCatalog.AUTHZ_PERMISSION_REVOKED, "iam", "user", "change");
        put(EventCatalog.AUTHZ_ROLE_ASSIGNED, "iam", "user", "change");
        put(EventCatalog.AUTHZ_ROLE_REMOVED, "iam", "user", "change");
        put(EventCatalog.AUTHZ_PRIVILEGE_CHANGED, "iam", "user", "change");
        put(EventCatalog.AUTHZ_ACL_CHANGED, "iam", "admin", "change");

        put(EventCatalog.ADMIN_USER_CREATED, "iam", "user", "creation");
        put(EventCatalog.ADMIN_USER_UPDATED, "iam", "user", "change");
        put(EventCatalog.ADMIN_USER_SUSPENDED, "iam", "user", "change");
        put(EventCatalog.ADMIN_USER_REACTIVATED, "iam", "user", "change");
        put(EventCatalog.ADMIN_USER_DELETED, "iam", "user", "deletion");
        put(EventCatalog.ADMIN_SETTINGS_CHANGED, "configuration", "change");
        put(EventCatalog.ADMIN_CHANNEL_ADDED, "configuration", "creation");
        put(EventCatalog.ADMIN_CHANNEL_REMOVED, "configuration", "deletion");
        put(EventCatalog.ADMIN_EXEC_ELEVATED, "iam", "admin", "info");

        // configuration allows no "error": a rejected configuration is info with outcome failure.
        put(EventCatalog.CONFIG_LOADED, "configuration", "info");
        put(EventCatalog.CONFIG_CHANGED, "configuration", "change");
        put(EventCatalog.CONFIG_RELOADED, "configuration", "change");
        put(EventCatalog.CONFIG_VALIDATION_FAILED, "configuration", "info");

        put(EventCatalog.RATE_LIMIT_REQUEST_LIMITED, "network", "denied");
        put(EventCatalog.RATE_LIMIT_CHANNEL_LIMITED, "network", "denied");
        put(EventCatalog.RATE_LIMIT_AUTH_BACKOFF, "authentication", "info");

        // "connection" is left out: ECS reserves it for flow records with addresses and ports on both ends.
        put(EventCatalog.CHANNEL_CONNECTED, "network", "start");
        put(EventCatalog.CHANNEL_DISCONNECTED, "network", "end");
        put(EventCatalog.CHANNEL_ADDED, "configuration", "creation");
        put(EventCatalog.CHANNEL_REMOVED, "configuration", "deletion");
        put(EventCatalog.CHANNEL_ERROR, "network", "info");
        put(EventCatalog.CHANNEL_MESSAGE_REJECTED, "network", "denied");

        put(EventCatalog.SESSION_STARTED, "session", "start");
        put(EventCatalog.SESSION_RENEWED, "session", "info");
        put(EventCatalog.SESSION_ENDED, "session", "end");
        put(EventCatalog.SESSION_TIMEOUT, "session", "end");
        put(EventCatalog.SESSION_USED_AFTER_EXPIRY, "session", "info");

        // Records of an application's data: database allows access, change, info and error only.
        put(EventCatalog.DATA_READ, "database", "access");
        put(EventCatalog.DATA_CREATE, "database", "change");
        put(EventCatalog.DATA_UPDATE, "database", "change");
        put(EventCatalog.DATA_WRITE, "database", "change");
        put(EventCatalog.DATA_DELETE, "database", "change");
        put(EventCatalog.DATA_EXPORT, "database", "access");
        put(EventCatalog.DATA_SHARE, "database", "change");
        put(EventCatalog.DATA_UPLOAD, "file", "creation");
        put(EventCatalog.DATA_UPLOAD_REJECTED, "file", "info");

        putAlert(EventCatalog.SECURITY_ANOMALY_DETECTED, "info");
        putAlert(EventCatalog.SECURITY_BRUTE_FORCE_DETECTED, "denied");
        putAlert(EventCatalog.SECURITY_SUSPICIOUS_ACTIVITY, "info");
        putAlert(EventCatalog.SECURITY_ATTACK_DETECTED, "denied");
        put(EventCatalog.SECURITY_RATE_LIMITED, "network", "denied");
        put(EventCatalog.SECURITY_INPUT_REJECTED, "intrusion_detection", "denied");
        put(EventCatalog.SECURITY_CRYPTO_FAILED, "api", "info");
        put(EventCatalog.SECURITY_EVENT_UNMAPPED, "intrusion_detection", "info");

        // The audit log and its ledger are a data store (database); starting and stopping it is a process's life.
        put(EventCatalog.AUDIT_STARTED, "process", "start");
        put(EventCatalog.AUDIT_STOPPED, "process", "end");
        put(EventCatalog.AUDIT_CONFIG_CHANGED, "configuration", "change");
        put(EventCatalog.AUDIT_LOG_READ, "database", "access");
        put(EventCatalog.AUDIT_VERIFICATION_PASSED, "database", "info");
        put(EventCatalog.AUDIT_VERIFICATION_FAILED, "database", "error");
        put(EventCatalog.AUDIT_EVENTS_DROPPED, "database", "error");
        put(EventCatalog.AUDIT_SINK_FAILED, "database", "error");
        put(EventCatalog.AUDIT_LEDGER_RECOVERED, "database", "change");
        put(EventCatalog.AUDIT_ACTION_ATTEMPTED, "api", "info");

        // Custom types (x.*) are categorized by their category alone.
        BY_CATEGORY.put(Category.AUTH, event("authentication", "info"));
        BY_CATEGORY.put(Category.AUTHZ, event("api", "access"));
        BY_CATEGORY.put(Category.ADMIN, event("iam", "admin"));
        BY_CATEGORY.put(Category.CONFIG, event("configuration", "change"));
        BY_CATEGORY.put(Category.RATE_LIMIT, event("network", "denied"));
        BY_CATEGORY.put(Category.CHANNEL, event("network", "info"));
        BY_CATEGORY.put(Category.SESSION, event("session", "info"));
        BY_CATEGORY.put(Category.DATA, event("database", "access"));
        BY_CATEGORY.put(Category.SECURITY, event("intrusion_detection", "info"));
        BY_CATEGORY.put(Category.AUDIT, event("database", "info"));
        for (EventType t : EventCatalog.all()) {
            if (!BY_TYPE.containsKey(t.name())) {
                throw new IllegalStateException("no ECS mapping for catalogue type " + t.name());
            }
        }
    }

    /** The mapping of an event's type: the catalogue type's own, or its category's for a custom type. */
    public static EcsMapping of(String type, Category category) {
        EcsMapping m = BY_TYPE.get(type);
        return m != null ? m : BY_CATEGORY.get(category);
    }

    private static EcsMapping event(String category, String... types) {
        return new EcsMapping("event", List.of(category), List.of(types));
    }

    private static void put(EventType t, String category, String... types) {
        put(event(category, types), t);
    }

    private static void putAlert(EventType t, String type) {
        put(new EcsMapping("alert", List.of("intrusion_detection"), List.of(type)), t);
    }

    private static void put(EcsMapping m, EventType t) {
        if (BY_TYPE.putIfAbsent(t.name(), m) != null) {
            throw new IllegalStateException("duplicate ECS mapping for " + t.name());
        }
    }
}
