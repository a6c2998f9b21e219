package io.vigil.siem.internal.syslog;

import java.nio.charset.StandardCharsets;

/**
 * Octet-counted framing, {@code MSG-LEN SP SYSLOG-MSG} (RFC 5425 §4.3, RFC 6587 §3.4.1): the receiver reads exactly
 * the announced number of octets, so nothing inside a message (a line break, say) can end it or start another.
 */
final class OctetCounting {
    private OctetCounting() {
    }

    /** The frame's prefix for a message of {@code length} octets: the decimal length and a space. */
    static byte[] prefix(int length) {
        if (length < 1) {
            throw new IllegalArgumentException("a syslog message has at least one octet, not " + length);
        }
        return (length + " ").getBytes(StandardCharsets.US_ASCII);
    }

    /** The whole frame of {@code message}. */
    static byte[] frame(byte[] message) {
        byte[] prefix = prefix(message.length);
        byte[] out = new byte[prefix.length + message.length];
        System.arraycopy(prefix, 0, out, 0, prefix.length);
        System.arraycopy(message, 0, out, prefix.length, message.length);
        return out;
    }
}
