package io.vigil.siem.internal.syslog;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An RFC 5424 message parsed back, strictly: the header fields, the one SD element's parameters unescaped as
 * §6.3.3 says, and the MSG after its byte order mark. A message that does not parse throws.
 */
public record SyslogRecord(int pri, String timestamp, String hostname, String appName, String procId, String msgId,
                           String sdId, Map<String, String> params, boolean bom, String msg) {

    private static final byte[] BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

    public static SyslogRecord parse(byte[] raw) {
        Reader r = new Reader(raw);
        r.expect('<');
        int pri = Integer.parseInt(r.until('>'));
        r.expect('>');
        r.expect('1');
        r.expect(' ');
        String ts = r.field();
        String host = r.field();
        String app = r.field();
        String proc = r.field();
        String msgId = r.field();
        String sdId = null;
        Map<String, String> params = new LinkedHashMap<>();
        if (r.peek() == '-') {
            r.expect('-');
        } else {
            r.expect('[');
            sdId = r.name();
            while (r.peek() == ' ') {
                r.expect(' ');
                String name = r.name();
                r.expect('=');
                r.expect('"');
                if (params.put(name, r.value()) != null) {
                    throw new IllegalArgumentException("parameter " + name + " twice");
                }
            }
            r.expect(']');
            if (r.more() && r.peek() == '[') {
                throw new IllegalArgumentException("more than one SD element");
            }
        }
        boolean bom = false;
        String msg = "";
        if (r.more()) {
            r.expect(' ');
            byte[] rest = Arrays.copyOfRange(raw, r.pos, raw.length);
            bom = rest.length >= 3 && Arrays.equals(rest, 0, 3, BOM, 0, 3);
            msg = new String(rest, bom ? 3 : 0, rest.length - (bom ? 3 : 0), StandardCharsets.UTF_8);
        }
        return new SyslogRecord(pri, ts, host, app, proc, msgId, sdId, params, bom, msg);
    }

    public static SyslogRecord parse(String raw) {
        return parse(raw.getBytes(StandardCharsets.UTF_8));
    }

    /** Undoes §6.3.3: a backslash before {@code "}, {@code \} or {@code ]} is dropped; any other is kept. */
    public static String unescape(String escaped) {
        StringBuilder sb = new StringBuilder(escaped.length());
        for (int i = 0; i < escaped.length(); i++) {
            char c = escaped.charAt(i);
            if (c == '\\' && i + 1 < escaped.length() && "\"\\]".indexOf(escaped.charAt(i + 1)) >= 0) {
                c = escaped.charAt(++i);
            }
            sb.append(c);
        }
        return sb.toString();
    }

    private static final class Reader {
        private final byte[] b;
        private int pos;

        Reader(byte[] b) {
            this.b = b;
        }

        boolean more() {
            return pos < b.length;
        }

        int peek() {
            if (!more()) {
                throw new IllegalArgumentException("message ends early");
            }
            return b[pos];
        }

        void expect(char c) {
            if (peek() != c) {
                throw new IllegalArgumentException("expected '" + c + "' at " + pos + ", found '" + (char) b[pos]
                        + "'");
            }
            pos++;
        }

        String until(char c) {
            int start = pos;
            while (peek() != c) {
                pos++;
            }
            return new String(b, start, pos - start, StandardCharsets.US_ASCII);
        }

        /** A header field: printable ASCII up to a space, which is consumed. */
        String field() {
            int start = pos;
            while (peek() != ' ') {
                if (b[pos] < 33 || b[pos] > 126) {
                    throw new IllegalArgumentException("non-printable octet in a header field at " + pos);
                }
                pos++;
            }
            String s = new String(b, start, pos - start, StandardCharsets.US_ASCII);
            pos++;
            return s;
        }

        /** An SD-NAME: 1 to 32 printable ASCII characters other than {@code = ] "} and space. */
        String name() {
            int start = pos;
            while (more() && b[pos] > 32 && b[pos] < 127 && b[pos] != '=' && b[pos] != ']' && b[pos] != '"') {
                pos++;
            }
            if (pos == start || pos - start > 32) {
                throw new IllegalArgumentException("bad SD name at " + start);
            }
            return new String(b, start, pos - start, StandardCharsets.US_ASCII);
        }

        /** A PARAM-VALUE after its opening quote, through the closing quote; {@code ]} must be escaped. */
        String value() {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            while (true) {
                int c = peek();
                pos++;
                if (c == '"') {
                    return out.toString(StandardCharsets.UTF_8);
                }
                if (c == ']') {
                    throw new IllegalArgumentException("unescaped ']' in a parameter value at " + (pos - 1));
                }
                if (c == '\\' && more() && (b[pos] == '"' || b[pos] == '\\' || b[pos] == ']')) {
                    c = b[pos++];
                }
                out.write(c);
            }
        }
    }
}
