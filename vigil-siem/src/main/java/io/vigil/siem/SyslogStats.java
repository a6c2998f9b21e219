package io.vigil.siem;

/**
 * What a syslog sink has done since it was opened.
 *
 * @param sent         messages written to the receiver (a message replayed after a reconnection counts again)
 * @param pendingBytes spooled bytes not yet known to be delivered
 * @param reconnects   connections made after the first
 * @param failures     connection attempts and connections that failed (refused, timed out, TLS handshake or
 *                     certificate rejected, closed by the receiver)
 * @param connected    whether a connection to the receiver is open now
 */
public record SyslogStats(long sent, long pendingBytes, long reconnects, long failures, boolean connected) {
}
