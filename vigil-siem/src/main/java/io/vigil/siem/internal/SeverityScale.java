package io.vigil.siem.internal;

import io.vigil.event.Severity;

/**
 * Vigil's five severities on the 0 to 10 scale of CEF (0-3 low, 4-6 medium, 7-8 high, 9-10 very high), also used
 * for ECS {@code event.severity}, whose scale ECS leaves to the source: one number per severity in both formats.
 */
final class SeverityScale {
    private SeverityScale() {
    }

    static int of(Severity s) {
        return switch (s) {
            case INFO -> 1;
            case LOW -> 3;
            case MEDIUM -> 5;
            case HIGH -> 8;
            case CRITICAL -> 10;
        };
    }
}
