package io.vigil.spring.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Values from application objects as event details: text, numbers, booleans, enums (by name), lists, arrays and maps
 * are kept as such; what becomes of any other object is the caller's choice.
 */
public final class JsonValues {

    private JsonValues() {
    }

    /**
     * Only the class name: for objects nobody chose to audit, whose {@code toString} may hold a session id or a
     * credential (Spring Security's {@code WebAuthenticationDetails} shows the session id).
     */
    public static Object className(Object v) {
        return "[" + v.getClass().getSimpleName() + "]";
    }

    /** {@code v} as a details value, with {@code other} applied to objects of any other kind. */
    public static Object of(Object v, Function<Object, Object> other) {
        if (v == null || v instanceof String || v instanceof Number || v instanceof Boolean) {
            return v;
        }
        if (v instanceof Enum<?> e) {
            return e.name();
        }
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, val) -> out.put(String.valueOf(k), of(val, other)));
            return out;
        }
        if (v instanceof Collection<?> c) {
            List<Object> out = new ArrayList<>(c.size());
            c.forEach(x -> out.add(of(x, other)));
            return out;
        }
        if (v instanceof Object[] a) {
            return of(Arrays.asList(a), other);
        }
        return other.apply(v);
    }
}
