package io.vigil.bench.workload;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The nested maps a Log4j2 or Logback user would hand to a structured message so that the JSON line carries the same
 * fields as Vigil's: {@code category, type, action, outcome, severity, actor{type,id,ip}, target{type,id}, requestId,
 * details{...}}. The timestamp comes from each framework's own event time.
 */
public final class PlainEvents {
    private PlainEvents() {
    }

    /** The top-level fields in a fixed order, with actor, target and details as nested maps. */
    public static Map<String, Object> fields(SampleEvent e) {
        Map<String, Object> m = new LinkedHashMap<>(16);
        m.put("category", e.type().category().jsonName());
        m.put("type", e.type().name());
        m.put("action", e.type().action());
        m.put("outcome", e.type().outcome().jsonName());
        m.put("severity", e.type().severity().jsonName());
        m.put("actor", actor(e));
        m.put("target", target(e));
        m.put("requestId", e.requestId());
        m.put("details", details(e));
        return m;
    }

    public static Map<String, Object> actor(SampleEvent e) {
        Map<String, Object> actor = new LinkedHashMap<>(4);
        actor.put("type", "user");
        actor.put("id", e.actorId());
        actor.put("ip", e.actorIp());
        return actor;
    }

    public static Map<String, Object> target(SampleEvent e) {
        Map<String, Object> target = new LinkedHashMap<>(4);
        target.put("type", e.targetType());
        target.put("id", e.targetId());
        return target;
    }

    public static Map<String, Object> details(SampleEvent e) {
        Map<String, Object> details = new LinkedHashMap<>(4);
        details.put(e.key1(), e.value1());
        details.put(e.key2(), e.value2());
        if (e.key3() != null) {
            details.put(e.key3(), e.value3());
        }
        return details;
    }
}
