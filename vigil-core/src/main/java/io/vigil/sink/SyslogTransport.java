package io.vigil.sink;

/** How a syslog sink reaches its receiver. */
public enum SyslogTransport {
    /** TLS over TCP with octet-counted framing (RFC 5425); the default, and the only one that protects the events. */
    TLS,
    /** Plain TCP with octet-counted framing (RFC 6587 §3.4.1), for a receiver on the same host or a trusted network. */
    TCP,
    /** One datagram per event (RFC 5426): nothing confirms delivery, so events can be lost on the way. */
    UDP;

    /** The receiver's usual port: 6514 for TLS (RFC 5425), 514 for TCP (by custom) and UDP (RFC 5426). */
    public int defaultPort() {
        return this == TLS ? 6514 : 514;
    }
}
