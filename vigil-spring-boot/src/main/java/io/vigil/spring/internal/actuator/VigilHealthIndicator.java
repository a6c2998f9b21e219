package io.vigil.spring.internal.actuator;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

import java.util.Map;

/** {@code vigil}: DOWN while the ledger cannot be written (the newest write failed, or its database is down). */
public final class VigilHealthIndicator extends AbstractHealthIndicator {
    private final LedgerStatus status;

    public VigilHealthIndicator(LedgerStatus status) {
        super("Vigil's health check failed");
        this.status = status;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        Map<String, Object> d = status.describe();
        // One reading: the status and the details must agree.
        if ("DOWN".equals(d.get("status"))) {
            builder.down();
        } else {
            builder.up();
        }
        for (String k : new String[]{"problem", "store", "location", "size", "lastCheckpoint", "events"}) {
            if (d.containsKey(k)) {
                builder.withDetail(k, d.get(k));
            }
        }
    }
}
