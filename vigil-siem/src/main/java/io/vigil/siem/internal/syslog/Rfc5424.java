package io.vigil.siem.internal.syslog;

import io.vigil.event.AuditEvent;
import io.vigil.event.Severity;
import io.vigil.json.CanonicalBuffer;
import io.vigil.sink.EntryPosition;
import io.vigil.sink.EventFormat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Optional;

/**
 * Events as RFC 5424 messages: {@code <PRI>1 TIMESTAMP HOSTNAME APP-NAME PROCID MSGID [SD] BOM MSG}.
 *
 * <ul>
 *   <li>PRI is {@code facility * 8 + severity}, Vigil's severity mapped as: critical → 2 (critical), high → 3
 *       (error), medium → 4 (warning), low → 5 (notice), info → 6 (informational). None maps to 0 or 1 (emergency,
 *       alert): those announce an unusable system, which one audit event does not.</li>
 *   <li>TIMESTAMP is the event's time in UTC with milliseconds; MSGID is the event type, kept to 32 printable ASCII
 *       characters.</li>
 *   <li>One SD element, {@code vigil@<enterprise number>}, with {@code id}, {@code type}, {@code outcome},
 *       {@code tenant}, {@code seq} and {@code hash} when known, and {@code truncated="true"} with the body's
 *       original {@code length} in octets when it was cut. Values are escaped as §6.3.3 says.</li>
 *   <li>MSG is a UTF-8 byte order mark and the event's line in the sink's format (§6.4). A message longer than the
 *       limit has its MSG cut at a character boundary; it is never split into two messages.</li>
 * </ul>
 *
 * <p>Stateless after construction and safe to share.
 */
final class Rfc5424 {
    /** The NILVALUE of an absent header field. */
    static final String NIL = "-";
    private static final byte[] BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
    private static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private final int facility;
    private final byte[] header;
    private final String sdId;
    private final EventFormat format;

    /**
     * @param hostname the HOSTNAME field; kept to 255 printable ASCII characters, {@code -} when nothing is left
     * @param appName  the APP-NAME field, up to 48 characters
     * @param procId   the PROCID field, up to 128 characters
     */
    Rfc5424(int facility, String hostname, String appName, String procId, int enterpriseNumber,
                   EventFormat format) {
        if (facility < 0 || facility > 23) {
            throw new IllegalArgumentException("facility must be 0 to 23, was " + facility);
        }
        this.facility = facility;
        this.header = (" " + headerField(hostname, 255) + " " + headerField(appName, 48) + " "
                + headerField(procId, 128) + " ").getBytes(StandardCharsets.US_ASCII);
        this.sdId = "vigil@" + enterpriseNumber;
        this.format = format;
    }

    /** The syslog severity (RFC 5424 table 2) of a Vigil severity. */
    static int severity(Severity s) {
        return switch (s) {
            case CRITICAL -> 2;
            case HIGH -> 3;
            case MEDIUM -> 4;
            case LOW -> 5;
            case INFO -> 6;
        };
    }

    /**
     * One encoded message.
     *
     * @param bytes          the whole message, at most the limit it was made for
     * @param truncated      true when its MSG was cut
     * @param originalLength the MSG's length in octets before any cut (without the BOM)
     */
    record Message(byte[] bytes, boolean truncated, int originalLength) {
    }

    /** The event as one message of at most {@code maxBytes} octets. */
    Message encode(AuditEvent event, Optional<EntryPosition> position, int maxBytes) {
        CanonicalBuffer line = new CanonicalBuffer(1024);
        format.append(event, position, line);
        int msgLen = line.length();
        byte[] head = head(event);
        byte[] sd = structuredData(event, position, -1);
        int whole = head.length + sd.length + 1 + BOM.length + msgLen;
        if (whole <= maxBytes) {
            return new Message(assemble(head, sd, line.array(), msgLen), false, msgLen);
        }
        sd = structuredData(event, position, msgLen);
        int room = maxBytes - head.length - sd.length - 1 - BOM.length;
        if (room < 0) {
            // only a header and SD larger than the limit (a huge tenant name) get here: no body at all then
            room = 0;
        }
        int cut = utf8Boundary(line.array(), msgLen, room);
        return new Message(assemble(head, sd, line.array(), cut), true, msgLen);
    }

    private static byte[] assemble(byte[] head, byte[] sd, byte[] msg, int msgLen) {
        byte[] out = new byte[head.length + sd.length + 1 + BOM.length + msgLen];
        System.arraycopy(head, 0, out, 0, head.length);
        System.arraycopy(sd, 0, out, head.length, sd.length);
        int p = head.length + sd.length;
        out[p++] = ' ';
        System.arraycopy(BOM, 0, out, p, BOM.length);
        System.arraycopy(msg, 0, out, p + BOM.length, msgLen);
        return out;
    }

    /** The largest length at most {@code max} that does not end inside a UTF-8 sequence of the first {@code len}. */
    static int utf8Boundary(byte[] bytes, int len, int max) {
        if (max >= len) {
            return len;
        }
        int end = max;
        // a continuation byte (10xxxxxx) at the cut means the cut is inside a character: move back to its start
        while (end > 0 && (bytes[end] & 0xC0) == 0x80) {
            end--;
        }
        return end;
    }

    private byte[] head(AuditEvent event) {
        int pri = facility * 8 + severity(event.severity());
        String start = "<" + pri + ">1 " + TIMESTAMP.format(event.timestamp());
        String msgId = headerField(event.type(), 32);
        ByteArrayOutputStream out = new ByteArrayOutputStream(128);
        out.writeBytes(start.getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(header);
        out.writeBytes(msgId.getBytes(StandardCharsets.US_ASCII));
        out.write(' ');
        return out.toByteArray();
    }

    private byte[] structuredData(AuditEvent event, Optional<EntryPosition> position, int truncatedFrom) {
        StringBuilder sb = new StringBuilder(160).append('[').append(sdId);
        param(sb, "id", event.id().toString());
        param(sb, "type", event.type());
        param(sb, "outcome", event.outcome().jsonName());
        event.tenant().ifPresent(t -> param(sb, "tenant", t));
        position.ifPresent(p -> {
            param(sb, "seq", Long.toString(p.seq()));
            param(sb, "hash", p.hash());
        });
        if (truncatedFrom >= 0) {
            param(sb, "truncated", "true");
            param(sb, "length", Integer.toString(truncatedFrom));
        }
        return sb.append(']').toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void param(StringBuilder sb, String name, String value) {
        sb.append(' ').append(paramName(name)).append("=\"");
        escapeParamValue(value, sb);
        sb.append('"');
    }

    /**
     * A PARAM-NAME: printable ASCII without {@code =}, space, {@code ]} and {@code "}, at most 32 characters; other
     * characters are dropped.
     */
    static String paramName(String name) {
        StringBuilder sb = new StringBuilder(Math.min(name.length(), 32));
        for (int i = 0; i < name.length() && sb.length() < 32; i++) {
            char c = name.charAt(i);
            if (c > 32 && c < 127 && c != '=' && c != ']' && c != '"') {
                sb.append(c);
            }
        }
        if (sb.length() == 0) {
            throw new IllegalArgumentException("no valid character in SD parameter name '" + name + "'");
        }
        return sb.toString();
    }

    /** Appends a PARAM-VALUE with {@code "}, {@code \} and {@code ]} escaped by a backslash (RFC 5424 §6.3.3). */
    static void escapeParamValue(String value, StringBuilder out) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '"' || c == '\\' || c == ']') {
                out.append('\\');
            }
            out.append(c);
        }
    }

    /** A header field: printable ASCII only (others dropped), at most {@code max} characters, NILVALUE if empty. */
    static String headerField(String value, int max) {
        StringBuilder sb = new StringBuilder(Math.min(value.length(), max));
        for (int i = 0; i < value.length() && sb.length() < max; i++) {
            char c = value.charAt(i);
            if (c > 32 && c < 127) {
                sb.append(c);
            }
        }
        return sb.length() == 0 ? NIL : sb.toString();
    }
}
