package io.vigil.event;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The check the event model uses ({@link IpAddress#isLiteral}) and the parse the Spring module uses
 * ({@link IpAddress#parse}) are one scanner: they must accept exactly the same texts, and a parsed address must be
 * the address the JDK reads from the same literal.
 */
class IpAddressPropertiesTest {

    @Property(tries = 3000)
    void theCheckAndTheParseAcceptTheSameTexts(@ForAll("addressLike") String text) {
        assertThat(IpAddress.isLiteral(text)).as(text).isEqualTo(IpAddress.parse(text).isPresent());
    }

    @Property(tries = 1000)
    void anIpv6AddressParsesToItsBytesInEveryTextForm(@ForAll @Size(16) byte[] raw) throws UnknownHostException {
        InetAddress jdk = InetAddress.getByAddress(raw);
        String full = jdk.getHostAddress(); // eight groups, no "::"
        IpAddress fromFull = IpAddress.parse(full).orElseThrow();
        IpAddress fromCanonical = IpAddress.parse(fromFull.toString()).orElseThrow();
        assertThat(fromCanonical).isEqualTo(fromFull);
        byte[] expected = isMappedIpv4(raw) ? Arrays.copyOfRange(raw, 12, 16) : raw;
        assertThat(fromFull.bytes()).as(full).containsExactly(expected);
        assertThat(IpAddress.isLiteral(fromFull.toString())).isTrue();
    }

    @Property(tries = 500)
    void anIpv4AddressParsesToItsBytes(@ForAll @Size(4) byte[] raw) throws UnknownHostException {
        String text = InetAddress.getByAddress(raw).getHostAddress();
        IpAddress address = IpAddress.parse(text).orElseThrow();
        assertThat(address.bytes()).containsExactly(raw);
        assertThat(address.toString()).isEqualTo(text);
        assertThat(IpAddress.parse("::ffff:" + text)).as("mapped").contains(address);
    }

    @Provide
    Arbitrary<String> addressLike() {
        return Arbitraries.strings().withChars("0123456789abcdefABCDEF:.%z").ofMinLength(0).ofMaxLength(45);
    }

    private static boolean isMappedIpv4(byte[] b) {
        for (int i = 0; i < 10; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return b[10] == (byte) 0xff && b[11] == (byte) 0xff;
    }
}
