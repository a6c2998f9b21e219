package io.vigil.siem.internal.syslog;

import io.vigil.config.SinkConfig;
import io.vigil.siem.SyslogSinks;
import io.vigil.sink.AuditSink;
import io.vigil.sink.EventFormat;
import io.vigil.sink.SinkProvider;

import java.io.IOException;
import java.time.Clock;

/** Opens the {@code syslog} sinks of a configuration. */
public final class SyslogSinkProvider implements SinkProvider {

    @Override
    public String type() {
        return "syslog";
    }

    /** The clock is not used: messages carry each event's own timestamp. */
    @Override
    public AuditSink open(SinkConfig sink, EventFormat format, Clock clock) throws IOException {
        if (!(sink instanceof SinkConfig.Syslog syslog)) {
            throw new IllegalArgumentException("sink '" + sink.name() + "' is not a syslog sink");
        }
        return SyslogSinks.open(syslog.options(), format);
    }
}
