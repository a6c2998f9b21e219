package io.vigil.spring.internal.web;

import java.util.Arrays;
import java.util.Optional;

/**
 * An IP address parsed strictly from its text, never through a name lookup: IPv4 dotted quads and IPv6 in the forms
 * of RFC 4291 section 2.2 (a zone suffix is dropped). An IPv4-mapped IPv6 address is its IPv4 address, so that a
 * proxy list and a dual-stack peer agree. {@link #toString()} is the canonical text: dotted decimal, or RFC 5952.
 */
public final class IpAddress {
    private final byte[] bytes;

    private IpAddress(byte[] bytes) {
        this.bytes = bytes;
    }

    /** The address written in {@code text}, which must be a literal and nothing else. */
    public static Optional<IpAddress> parse(String text) {
        if (text == null || text.isEmpty() || text.length() > 64) {
            return Optional.empty();
        }
        byte[] b = text.indexOf(':') < 0 ? ipv4(text, 0, text.length()) : ipv6(text);
        if (b == null) {
            return Optional.empty();
        }
        if (b.length == 16 && isMappedIpv4(b)) {
            b = Arrays.copyOfRange(b, 12, 16);
        }
        return Optional.of(new IpAddress(b));
    }

    /** 4 or 16. */
    int length() {
        return bytes.length;
    }

    byte byteAt(int i) {
        return bytes[i];
    }

    private static boolean isMappedIpv4(byte[] b) {
        for (int i = 0; i < 10; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return b[10] == (byte) 0xff && b[11] == (byte) 0xff;
    }

    private static byte[] ipv4(String s, int from, int to) {
        byte[] out = new byte[4];
        int part = 0;
        int i = from;
        while (true) {
            int value = 0;
            int digits = 0;
            while (i < to && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
                value = value * 10 + (s.charAt(i) - '0');
                i++;
                if (++digits > 3) {
                    return null;
                }
            }
            if (digits == 0 || value > 255) {
                return null;
            }
            out[part++] = (byte) value;
            if (i == to) {
                return part == 4 ? out : null;
            }
            if (s.charAt(i) != '.' || part == 4) {
                return null;
            }
            i++;
        }
    }

    private static byte[] ipv6(String text) {
        int end = text.indexOf('%');
        String s = end < 0 ? text : text.substring(0, end);
        if (end >= 0 && end == text.length() - 1) {
            return null; // "%" with no zone
        }
        int gap = s.indexOf("::");
        if (gap >= 0 && s.indexOf("::", gap + 1) >= 0) {
            return null;
        }
        int[] head = gap < 0 ? groups(s, 0, s.length()) : groups(s, 0, gap);
        int[] tail = gap < 0 ? new int[0] : groups(s, gap + 2, s.length());
        if (head == null || tail == null) {
            return null;
        }
        int n = head.length + tail.length;
        if (gap < 0 ? n != 16 : n > 14) {
            return null;
        }
        byte[] out = new byte[16];
        for (int i = 0; i < head.length; i++) {
            out[i] = (byte) head[i];
        }
        for (int i = 0; i < tail.length; i++) {
            out[16 - tail.length + i] = (byte) tail[i];
        }
        return out;
    }

    /** The bytes of the ':'-separated groups in s[from, to); the last may be an IPv4 quad. Empty input: none. */
    private static int[] groups(String s, int from, int to) {
        if (from == to) {
            return new int[0];
        }
        int[] out = new int[16];
        int n = 0;
        int i = from;
        while (true) {
            int next = s.indexOf(':', i);
            if (next < 0 || next > to) {
                next = to;
            }
            if (next == i) {
                return null; // empty group (a single ':' at an end, or ":::")
            }
            if (next == to && s.lastIndexOf('.', to - 1) >= i) {
                byte[] v4 = ipv4(s, i, to);
                if (v4 == null || n + 4 > 16) {
                    return null;
                }
                for (byte b : v4) {
                    out[n++] = b & 0xff;
                }
                break;
            }
            if (next - i > 4 || n + 2 > 16) {
                return null;
            }
            int value = 0;
            for (int k = i; k < next; k++) {
                int d = hexDigit(s.charAt(k));
                if (d < 0) {
                    return null;
                }
                value = value * 16 + d;
            }
            out[n++] = value >> 8;
            out[n++] = value & 0xff;
            if (next == to) {
                break;
            }
            i = next + 1;
            if (i == to) {
                return null; // trailing single ':'
            }
        }
        return Arrays.copyOf(out, n);
    }

    private static int hexDigit(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }

    @Override
    public String toString() {
        if (bytes.length == 4) {
            return (bytes[0] & 0xff) + "." + (bytes[1] & 0xff) + "." + (bytes[2] & 0xff) + "." + (bytes[3] & 0xff);
        }
        int[] g = new int[8];
        for (int i = 0; i < 8; i++) {
            g[i] = (bytes[2 * i] & 0xff) << 8 | (bytes[2 * i + 1] & 0xff);
        }
        // RFC 5952: the longest run of two or more zero groups (the first of equals) becomes "::".
        int bestStart = -1;
        int bestLen = 1;
        for (int i = 0; i < 8; ) {
            if (g[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && g[j] == 0) {
                j++;
            }
            if (j - i > bestLen) {
                bestStart = i;
                bestLen = j - i;
            }
            i = j;
        }
        StringBuilder sb = new StringBuilder(39);
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLen - 1;
                continue;
            }
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
                sb.append(':');
            }
            sb.append(Integer.toHexString(g[i]));
        }
        return sb.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IpAddress other && Arrays.equals(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }
}
