package io.vigil.spring.internal.actuator;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Values handed over by Spring Boot's audit events as details: text, numbers, booleans, lists and maps are kept;
 * any other object becomes only its class name, because its {@code toString} may hold a session id or a credential
 * (Spring Security's {@code WebAuthenticationDetails} shows the session id).
 */
final class JsonValues {

    private JsonValues() {
    }

    static Object of(Object v) {
        if (v == null || v instanceof String || v instanceof Number || v instanceof Boolean) {
            return v;
        }
        if (v instanceof Enum<?> e) {
            return e.name();
        }
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, val) -> out.put(String.valueOf(k), of(val)));
            return out;
        }
        if (v instanceof Collection<?> c) {
            List<Object> out = new ArrayList<>(c.size());
            c.forEach(x -> out.add(of(x)));
            return out;
        }
        return "[" + v.getClass().getSimpleName() + "]";
    }
}
