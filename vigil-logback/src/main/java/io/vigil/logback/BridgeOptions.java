package io.vigil.logback;

import java.util.List;
import java.util.Objects;

/**
 * How {@link LogbackBridge#attach} sets the bridge up.
 *
 * @param markers          the marker names that make a log event an audit event; a marker that references one of
 *                         them counts too
 * @param acceptAtAnyLevel whether to add an {@link AuditMarkerTurboFilter}, so that a marked event is logged even
 *                         when its logger is not enabled at its level
 */
public record BridgeOptions(List<String> markers, boolean acceptAtAnyLevel) {

    /** Markers {@code AUDIT} and {@code SECURITY}, accepted at any level. */
    public static final BridgeOptions DEFAULTS = new BridgeOptions(List.of("AUDIT", "SECURITY"), true);

    public BridgeOptions {
        markers = List.copyOf(Objects.requireNonNull(markers, "markers"));
        if (markers.isEmpty()) {
            throw new IllegalArgumentException("markers must name at least one marker, e.g. AUDIT");
        }
        for (String m : markers) {
            if (m.isBlank()) {
                throw new IllegalArgumentException("markers must not hold a blank name: " + markers);
            }
        }
    }

    public BridgeOptions withMarkers(List<String> v) {
        return new BridgeOptions(v, acceptAtAnyLevel);
    }

    public BridgeOptions withAcceptAtAnyLevel(boolean v) {
        return new BridgeOptions(markers, v);
    }
}
