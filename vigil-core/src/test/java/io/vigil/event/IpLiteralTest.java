package io.vigil.event;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class IpLiteralTest {

    @Property(tries = 2_000)
    void everyIpv4AddressIsAccepted(@ForAll @Size(4) byte[] bytes) throws UnknownHostException {
        // getByAddress with a raw address never resolves anything
        String text = ((Inet4Address) InetAddress.getByAddress(bytes)).getHostAddress();
        assertThat(IpAddress.isLiteral(text)).as(text).isTrue();
        assertThat(Actor.user("u").withIp(text).ip()).contains(text);
    }

    @Property(tries = 2_000)
    void everyIpv6AddressIsAcceptedInFullAndCompressedForms(@ForAll @Size(16) byte[] bytes,
                                                           @ForAll("zeroRuns") int zeroRun,
                                                           @ForAll @IntRange(min = 0, max = 7) int runStart,
                                                           @ForAll boolean upperCase) throws UnknownHostException {
        // force a run of zero groups so that "::" forms of every position and length get tried
        for (int g = runStart; g < Math.min(8, runStart + zeroRun); g++) {
            bytes[2 * g] = 0;
            bytes[2 * g + 1] = 0;
        }
        InetAddress address = InetAddress.getByAddress(bytes);
        String full = address instanceof Inet6Address a6 ? a6.getHostAddress() : null;
        if (full == null) {
            // ::ffff:a.b.c.d comes back from the JDK as an Inet4Address; test the mapped text form instead
            full = "0:0:0:0:0:ffff:" + address.getHostAddress();
        }
        String compressed = compress(bytes);
        String mixed = mixed(bytes);
        for (String text : List.of(full, compressed, mixed)) {
            String t = upperCase ? text.toUpperCase(Locale.ROOT) : text;
            assertThat(IpAddress.isLiteral(t)).as(t).isTrue();
        }
    }

    @Provide
    Arbitrary<Integer> zeroRuns() {
        return Arbitraries.integers().between(0, 8);
    }

    @Property(tries = 500)
    void scopedIpv6AddressesAreAccepted(@ForAll @Size(16) byte[] bytes,
                                        @ForAll @IntRange(min = 1, max = 1_000_000) int scope)
            throws UnknownHostException {
        bytes[0] = (byte) 0xfe; // link-local, where a zone is meaningful (the check does not insist on it)
        bytes[1] = (byte) 0x80;
        String text = Inet6Address.getByAddress(null, bytes, scope).getHostAddress();
        assertThat(text).contains("%");
        assertThat(IpAddress.isLiteral(text)).as(text).isTrue();
    }

    @Example
    void compressedAndSpecialFormsAreAccepted() {
        for (String ok : List.of("::", "::1", "1::", "2001:db8::1", "2001:DB8::7", "fe80::1%eth0", "fe80::1%en0.1_a-b",
                "1:2:3:4:5:6:7::", "::2:3:4:5:6:7:8", "1:2:3:4:5:6:7:8", "::ffff:1.2.3.4", "::1.2.3.4",
                "1:2:3:4:5:6:1.2.3.4", "64:ff9b::192.0.2.33", "0.0.0.0", "255.255.255.255", "10.0.0.1",
                "010.001.002.003", "abcd:ef01:2345:6789:abcd:ef01:2345:6789")) {
            assertThat(IpAddress.isLiteral(ok)).as(ok).isTrue();
        }
    }

    @Example
    void junkIsRejected() {
        for (String junk : List.of("admin:hunter2", "1.2.3", "256.1.1.1", "1.2.3.4.5", "1.2.3.", ".1.2.3", "1..2.3",
                "+1.2.3.4", "1.2.3.-4", "1.2.3.1000", "1.2.3.4%eth0", ":::", "1::2::3", "example.com", "12345::",
                "::12345", ":1:2:3:4:5:6:7", "1:2:3:4:5:6:7:", "1:2:3:4:5:6:7", "1:2:3:4:5:6:7:8:9",
                "1:2:3:4:5:6:7:8::", "::1:2:3:4:5:6:7:8", "1.2.3.4::", "::1.2.3", "::1.2.3.4:5", "1:2:3:4:5:6:7:1.2.3.4",
                "::ffff:256.1.1.1", "g::1", "fe80::1%", "fe80::1%eth 0", "fe80::1%a%b", "fe80::1%eth0:1", "",
                " 10.0.0.1", "10.0.0.1 ", "localhost", "::1 ", "１.２.３.４", "[::1]", "::1/128", "0x7f.0.0.1",
                "user:pass@10.0.0.1", "a:b:c:d:e:f:g:h")) {
            assertThat(IpAddress.isLiteral(junk)).as(junk).isFalse();
        }
        assertThatThrownBy(() -> Actor.user("u").withIp("admin:hunter2"))
                .isInstanceOf(EventValidationException.class).hasMessageContaining("not an IP address literal");
    }

    /** RFC 5952 text: the longest run of two or more zero groups (the first if tied) becomes "::". */
    static String compress(byte[] bytes) {
        int[] groups = groups(bytes);
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < 8; ) {
            if (groups[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = j;
        }
        if (bestStart < 0) {
            return join(groups, 0, 8);
        }
        return join(groups, 0, bestStart) + "::" + join(groups, bestStart + bestLength, 8);
    }

    /** The last 32 bits as a dotted quad after the first six groups, compressed where possible. */
    static String mixed(byte[] bytes) {
        byte[] head = bytes.clone();
        for (int i = 12; i < 16; i++) {
            head[i] = 1; // non-zero, so compression stays within the first six groups
        }
        String six = compress(head);
        six = six.substring(0, six.lastIndexOf(':', six.lastIndexOf(':') - 1) + 1);
        if (!six.endsWith(":")) {
            six = six + ":";
        }
        return six + (bytes[12] & 0xff) + "." + (bytes[13] & 0xff) + "." + (bytes[14] & 0xff) + "." + (bytes[15] & 0xff);
    }

    private static int[] groups(byte[] bytes) {
        int[] g = new int[8];
        for (int i = 0; i < 8; i++) {
            g[i] = ((bytes[2 * i] & 0xff) << 8) | (bytes[2 * i + 1] & 0xff);
        }
        return g;
    }

    private static String join(int[] groups, int from, int to) {
        List<String> parts = new ArrayList<>();
        for (int i = from; i < to; i++) {
            parts.add(Integer.toHexString(groups[i]));
        }
        return String.join(":", parts);
    }
}
