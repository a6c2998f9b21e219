/** The syslog sink behind {@link io.vigil.siem.SyslogSinks}: RFC 5424 messages, the durable spool and the sender. */
package io.vigil.siem.internal.syslog;
