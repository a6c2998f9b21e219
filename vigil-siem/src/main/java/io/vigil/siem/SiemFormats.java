package io.vigil.siem;

import io.vigil.siem.internal.CefFormat;
import io.vigil.siem.internal.EcsFormat;
import io.vigil.siem.internal.OcsfFormat;

import java.util.List;
import java.util.Optional;

/** The SIEM formats Vigil writes, by name: {@code ocsf} (OCSF 1.8.0), {@code ecs} (ECS 9.4.0) and {@code cef}. */
public final class SiemFormats {
    private static final List<SiemFormat> ALL = List.of(new OcsfFormat(), new EcsFormat(), new CefFormat());

    private SiemFormats() {
    }

    /** The names, in the order the docs list them. */
    public static List<String> names() {
        return ALL.stream().map(SiemFormat::name).toList();
    }

    /** The format called {@code name}, when there is one. */
    public static Optional<SiemFormat> named(String name) {
        return ALL.stream().filter(f -> f.name().equals(name)).findFirst();
    }
}
