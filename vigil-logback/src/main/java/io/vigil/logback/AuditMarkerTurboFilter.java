package io.vigil.logback;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import io.vigil.logback.internal.MarkerMatch;
import org.slf4j.Marker;

import java.util.List;
import java.util.Objects;

/**
 * Lets a log event carrying an audit marker through whatever its logger's level, so that
 * {@code log.debug(AUDIT, …)} is audited in a service that logs at INFO. Logback checks the level before any appender
 * sees an event; this filter answers that check with ACCEPT for marked events and stays neutral for all others.
 *
 * <p>It sees the marker only when the logging call passes it with the level check: the classic
 * {@code log.debug(AUDIT, …)} and {@code makeLoggingEventBuilder(level)}. The fluent {@code log.atDebug()} checks
 * the level before any marker is added and returns a no-op builder when DEBUG is off; use {@code atInfo()} or
 * higher there, or enable the logger. An accepted event also reaches the logger's other appenders, as any event at
 * an enabled level would.
 */
public class AuditMarkerTurboFilter extends TurboFilter {
    private volatile MarkerMatch markers = MarkerMatch.of(BridgeOptions.DEFAULTS.markers());

    /** The marker names, comma separated, as in {@code <markers>AUDIT,SECURITY</markers>}. */
    public void setMarkers(String commaSeparated) {
        markers = MarkerMatch.parse(Objects.requireNonNull(commaSeparated, "markers"));
    }

    /** The marker names. */
    public void setMarkerNames(List<String> names) {
        markers = MarkerMatch.of(names);
    }

    /** The marker names in force. */
    public List<String> markerNames() {
        return markers.names();
    }

    @Override
    public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params,
                              Throwable t) {
        return isStarted() && markers.matches(marker) ? FilterReply.ACCEPT : FilterReply.NEUTRAL;
    }
}
