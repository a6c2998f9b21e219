package io.vigil.event;

import java.util.Arrays;
import java.util.stream.Collectors;

/** What area of security an event belongs to; the first segment of every catalogue type name. */
public enum Category {
    AUTH("auth", "Authentication: logins, logouts, tokens, passwords, MFA, devices."),
    AUTHZ("authz", "Authorization: access decisions, permissions and roles."),
    ADMIN("admin", "Administrative changes to users, channels and privileged execution."),
    CONFIG("config", "Changes to application or security configuration."),
    RATE_LIMIT("rate_limit", "Requests, channels or authentication attempts that were throttled."),
    CHANNEL("channel", "Lifecycle of communication channels and integrations."),
    SESSION("session", "Session lifecycle: start, end, timeout, revocation."),
    DATA("data", "Access to and movement of sensitive data."),
    SECURITY("security", "Detected anomalies, attacks and suspicious activity."),
    AUDIT("audit", "The audit system itself: start, stop, configuration, reads of the log, verification.");

    private final String jsonName;
    private final String description;

    Category(String jsonName, String description) {
        this.jsonName = jsonName;
        this.description = description;
    }

    /** The name used in JSON and in type names, e.g. {@code rate_limit}. */
    public String jsonName() {
        return jsonName;
    }

    /** One line saying what the category covers. */
    public String description() {
        return description;
    }

    /**
     * Parses a JSON name.
     *
     * @throws IllegalArgumentException naming the allowed values when the name is unknown
     */
    public static Category fromJson(String name) {
        for (Category c : values()) {
            if (c.jsonName.equals(name)) {
                return c;
            }
        }
        throw new IllegalArgumentException("unknown category '" + name + "'; allowed: " + allowed());
    }

    /** The allowed JSON names, comma separated. */
    public static String allowed() {
        return Arrays.stream(values()).map(Category::jsonName).collect(Collectors.joining(", "));
    }
}
