package io.vigil.event;

import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * An IP address read strictly from its text: an IPv4 dotted quad ({@code 203.0.113.7}) or IPv6 in a text form of
 * RFC 4291 section 2.2 ({@code 2001:db8::1}, {@code ::ffff:192.0.2.1}), optionally followed by {@code %zone} (one or
 * more of {@code [A-Za-z0-9_.-]}, dropped). This is the one reading of an address in Vigil: the event model accepts
 * {@code actor.ip} by it, and the Spring module matches client and proxy addresses with it.
 *
 * <p>Written by hand on purpose: {@code InetAddress.getByName} would resolve a host name (a DNS lookup on the caller's
 * thread, and a name would pass), and its literal parsing is lenient in ways an audit field should not be. This
 * accepts only the text forms and never touches the network. An IPv4-mapped IPv6 address is its IPv4 address, so a
 * proxy list and a dual-stack peer agree; {@link #toString()} is the canonical text (dotted decimal, or RFC 5952).
 */
public final class IpAddress {
    /** Longer text is no address (the longest IPv6 form with a zone is far shorter). */
    private static final int MAX_CHARS = 64;

    private final byte[] bytes;

    private IpAddress(byte[] bytes) {
        this.bytes = bytes;
    }

    /** The address {@code text} is, when it is an address literal and nothing else. */
    public static Optional<IpAddress> parse(String text) {
        Objects.requireNonNull(text, "text");
        byte[] b = new byte[16];
        int length = scan(text, b);
        if (length < 0) {
            return Optional.empty();
        }
        if (length == 4) {
            return Optional.of(new IpAddress(Arrays.copyOf(b, 4)));
        }
        return Optional.of(new IpAddress(isMappedIpv4(b) ? Arrays.copyOfRange(b, 12, 16) : b));
    }

    /** An address from its 4 or 16 bytes, network order, taken as they are (for masks computed in this package). */
    static IpAddress ofBytes(byte[] bytes) {
        if (bytes.length != 4 && bytes.length != 16) {
            throw new IllegalArgumentException("an address has 4 or 16 bytes, not " + bytes.length);
        }
        return new IpAddress(bytes.clone());
    }

    /** Whether {@code text} is an address literal; the same rule as {@link #parse}, without allocating. */
    public static boolean isLiteral(String text) {
        return scan(text, null) >= 0;
    }

    /** 4 for IPv4 (mapped IPv6 addresses included), 16 for IPv6. */
    public int length() {
        return bytes.length;
    }

    /** Byte {@code i} of the address, network order. */
    public byte byteAt(int i) {
        return bytes[i];
    }

    /** The address's bytes, network order (a copy). */
    public byte[] bytes() {
        return bytes.clone();
    }

    /**
     * Reads {@code s}: 4 or 16 (the bytes written to {@code out} when it is not null), or -1 when {@code s} is not a
     * literal. One scanner serves the allocation-free check and the parse, so they cannot disagree.
     */
    private static int scan(String s, byte[] out) {
        if (s.isEmpty() || s.length() > MAX_CHARS) {
            return -1;
        }
        if (s.indexOf(':') < 0) {
            return ipv4(s, 0, s.length(), out, 0) ? 4 : -1;
        }
        int end = s.indexOf('%');
        if (end < 0) {
            end = s.length();
        } else if (!isZone(s, end + 1)) {
            return -1;
        }
        return ipv6(s, end, out) ? 16 : -1;
    }

    /** {@code s[from, to)} is four decimal parts of 1 to 3 ASCII digits, each at most 255, separated by dots. */
    private static boolean ipv4(String s, int from, int to, byte[] out, int at) {
        int parts = 0;
        int i = from;
        while (true) {
            int value = 0;
            int digits = 0;
            while (i < to && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
                value = value * 10 + (s.charAt(i) - '0');
                i++;
                if (++digits > 3) {
                    return false;
                }
            }
            if (digits == 0 || value > 255) {
                return false;
            }
            if (out != null) {
                out[at + parts] = (byte) value;
            }
            parts++;
            if (i == to) {
                return parts == 4;
            }
            if (s.charAt(i) != '.' || parts == 4) {
                return false;
            }
            i++;
        }
    }

    private static boolean isZone(String s, int from) {
        if (from >= s.length()) {
            return false;
        }
        for (int i = from; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '_' || c == '.' || c == '-';
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /**
     * {@code s[0, end)} as IPv6: groups of 1 to 4 hex digits separated by single colons, at most one {@code ::}
     * standing for one or more zero groups, exactly 8 groups without it (at most 7 written with it), and optionally
     * a dotted quad as the last 32 bits (counting as two groups).
     */
    private static boolean ipv6(String s, int end, byte[] out) {
        int gap = s.indexOf("::");
        if (gap >= end) {
            gap = -1;
        }
        if (gap < 0) {
            return groups(s, 0, end, true, out, 0) == 16;
        }
        if (s.indexOf(':', gap + 2) == gap + 2 && gap + 2 < end) {
            return false; // ":::"
        }
        int next = s.indexOf("::", gap + 1);
        if (next >= 0 && next < end) {
            return false; // a second "::"
        }
        int head = groups(s, 0, gap, false, out, 0);
        if (head < 0) {
            return false;
        }
        int tail = groups(s, gap + 2, end, true, out, head);
        if (tail < 0 || head + tail > 14) {
            return false;
        }
        if (out != null) {
            // The tail was read right after the head; it belongs at the end, the gap between them is zeros.
            System.arraycopy(out, head, out, 16 - tail, tail);
            Arrays.fill(out, head, 16 - tail, (byte) 0);
        }
        return true;
    }

    /**
     * Reads the colon-separated hex groups of {@code s[from, to)} (an empty range has none), a trailing dotted quad
     * when {@code quadAllowed}, into {@code out} from {@code at} when {@code out} is not null: the number of bytes
     * (two a group, four for a quad), or -1 when the range is not such a list or holds more than 16 bytes.
     */
    private static int groups(String s, int from, int to, boolean quadAllowed, byte[] out, int at) {
        if (from == to) {
            return 0;
        }
        int n = 0;
        int i = from;
        while (true) {
            int start = i;
            int value = 0;
            int d;
            while (i < to && (d = hexDigit(s.charAt(i))) >= 0) {
                value = value * 16 + d;
                i++;
                if (i - start > 4) {
                    return -1;
                }
            }
            if (i < to && s.charAt(i) == '.') {
                // only the last piece may be a dotted quad
                int colon = s.indexOf(':', start);
                if (!quadAllowed || (colon >= 0 && colon < to) || at + n + 4 > 16
                        || !ipv4(s, start, to, out, at + n)) {
                    return -1;
                }
                return n + 4;
            }
            if (i == start || at + n + 2 > 16) {
                return -1;
            }
            if (out != null) {
                out[at + n] = (byte) (value >> 8);
                out[at + n + 1] = (byte) value;
            }
            n += 2;
            if (i == to) {
                return n;
            }
            if (s.charAt(i) != ':') {
                return -1;
            }
            i++;
            if (i == to) {
                return -1; // a single trailing colon
            }
        }
    }

    /** The value of an ASCII hex digit, or -1 (Character.digit alone would take other scripts' digits too). */
    private static int hexDigit(char c) {
        return c < 0x80 ? Character.digit(c, 16) : -1;
    }

    private static boolean isMappedIpv4(byte[] b) {
        for (int i = 0; i < 10; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return b[10] == (byte) 0xff && b[11] == (byte) 0xff;
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
