package io.vigil.example.gateway.domain;

import io.vigil.spring.Audited;
import org.springframework.stereotype.Service;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The gateway's runtime settings. A change is audited before it happens (fail closed): when the audit trail cannot
 * take the attempt, the settings stay as they were and the caller gets 503.
 */
@Service
public class GatewaySettings {
    /** Values of these keys are shown masked; the ledger masks them by its own redaction rules. */
    private static final Pattern SECRET_KEY = Pattern.compile("(?i).*(password|secret|token|key).*");

    private final Map<String, String> values = Collections.synchronizedMap(new TreeMap<>(Map.of(
            "maintenanceMode", "false",
            "smtpHost", "mail.example.com",
            "sessionTimeoutMinutes", "30")));

    /** The current settings, secret-looking values masked. */
    public Map<String, String> current() {
        synchronized (values) {
            return masked(values);
        }
    }

    /** Sets the given values (others stay) and returns the settings, secret-looking values masked. */
    @Audited(type = "admin.settings.changed", targetType = "settings", targetId = "'gateway'",
             details = {"changes=#changes"}, failClosed = true)
    public Map<String, String> change(Map<String, String> changes) {
        if (changes.isEmpty()) {
            throw new InvalidSettingsException("no settings to change");
        }
        if (changes.containsKey(null) || changes.containsValue(null)) {
            throw new InvalidSettingsException("a setting needs a name and a value");
        }
        synchronized (values) {
            values.putAll(changes);
            return masked(values);
        }
    }

    private static Map<String, String> masked(Map<String, String> in) {
        Map<String, String> out = new LinkedHashMap<>();
        in.forEach((k, v) -> out.put(k, SECRET_KEY.matcher(k).matches() ? "********" : v));
        return out;
    }
}
