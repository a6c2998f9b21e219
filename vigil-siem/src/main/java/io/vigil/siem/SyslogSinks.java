package io.vigil.siem;

import io.vigil.siem.internal.syslog.SpoolingSyslogSink;
import io.vigil.sink.EventFormat;
import io.vigil.sink.SyslogOptions;

import java.io.IOException;

/**
 * Opens syslog sinks: each event becomes one RFC 5424 message whose body is the event's line in an
 * {@link EventFormat}, sent over TLS or TCP with octet-counted framing (RFC 5425, RFC 6587 §3.4.1) or as one UDP
 * datagram (RFC 5426).
 *
 * <p>Delivery: a batch is first appended to the spool in {@link SyslogOptions#spoolDir()} and fsynced, so a write
 * succeeds while the receiver is down (until the spool reaches {@link SyslogOptions#spoolMaxBytes()}, when writes
 * fail). A sender thread sends the spool in order, reconnecting with exponential backoff, and remembers on disk how
 * far delivery got, so that a restart resumes there. Syslog has no acknowledgements: over TCP and TLS a message
 * counts as delivered once the connection has stayed open for a short while after it was written; when the
 * receiver closes or resets the connection, everything not yet counted is sent again. Delivery is thus at least
 * once: a receiver that restarts right after reading messages may receive them twice (the SD parameter {@code id}
 * identifies duplicates), and a receiver that dies without closing its connections (a crashed host) or that drops
 * what it read may lose what was sent in the meantime. Over UDP a message counts as delivered once sent, and any of
 * them can be lost.
 */
public final class SyslogSinks {
    private SyslogSinks() {
    }

    /**
     * Opens the spool (resuming what an earlier sink left there) and starts the sender.
     *
     * @throws IOException when the spool cannot be created or opened, is in use by another sink, or the trust file
     *                     cannot be read
     */
    public static SyslogSink open(SyslogOptions options, EventFormat format) throws IOException {
        return SpoolingSyslogSink.open(options, format);
    }
}
