/**
 * Formats that turn a Vigil event, with its place in the ledger, into one line a SIEM reads, and the syslog sink
 * that carries them ({@link io.vigil.siem.SyslogSinks}).
 */
package io.vigil.siem;
