package io.vigil.siem;

import io.vigil.sink.AuditSink;

/**
 * A sink that sends events as RFC 5424 syslog messages through a durable local spool; see {@link SyslogSinks}.
 * {@link #write} returns once the batch is in the spool and fsynced; a background thread sends it.
 */
public interface SyslogSink extends AuditSink {

    /** Counters of what the sink has done, for monitoring. */
    SyslogStats stats();
}
