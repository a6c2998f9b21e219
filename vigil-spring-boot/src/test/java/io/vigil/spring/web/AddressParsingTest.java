package io.vigil.spring.web;

import io.vigil.event.IpAddress;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** Addresses and blocks are read strictly, never looked up, and written in one canonical form. */
class AddressParsingTest {

    @Test
    void literalsAreReadAndWrittenCanonically() {
        assertThat(canonical("192.0.2.1")).isEqualTo("192.0.2.1");
        assertThat(canonical("0:0:0:0:0:0:0:1")).isEqualTo("::1");
        assertThat(canonical("2001:DB8:0:0:1:0:0:1")).isEqualTo("2001:db8::1:0:0:1");
        assertThat(canonical("2001:db8::")).isEqualTo("2001:db8::");
        assertThat(canonical("::")).isEqualTo("::");
        assertThat(canonical("fe80::1%eth0")).isEqualTo("fe80::1");
        assertThat(canonical("::ffff:192.0.2.7")).isEqualTo("192.0.2.7");
        assertThat(canonical("2001:db8:0:1:1:1:1:1")).isEqualTo("2001:db8:0:1:1:1:1:1");
        assertThat(canonical("64:ff9b::192.0.2.33")).isEqualTo("64:ff9b::c000:221");
    }

    @Test
    void anythingButALiteralIsRefused() {
        for (String s : List.of("", "localhost", "example.com", "1.2.3", "1.2.3.4.5", "256.1.1.1", "1.2.3.4 ",
                "1:2:3:4:5:6:7:8:9", "1::2::3", ":1:2", "1:2:", "12345::", "g::1", "[::1]", "::1%", "1.2.3.-4",
                "\u0661.2.3.4", "::ffff:1.2.3")) {
            assertThat(IpAddress.parse(s)).as(s).isEmpty();
        }
    }

    @Test
    void theCanonicalFormReadsBackToTheSameAddressAsTheJdkSees() throws Exception {
        Random random = new Random(7);
        for (int i = 0; i < 2000; i++) {
            byte[] b = new byte[random.nextBoolean() ? 4 : 16];
            random.nextBytes(b);
            if (b.length == 16 && random.nextInt(4) == 0) {
                for (int k = 2 * random.nextInt(6); k < 16 && random.nextBoolean(); k++) {
                    b[k] = 0; // runs of zero groups
                }
            }
            InetAddress jdk = InetAddress.getByAddress(b);
            String text = IpAddress.parse(jdk.getHostAddress()).orElseThrow().toString();
            assertThat(InetAddress.getByName(text)).isEqualTo(jdk);
            assertThat(IpAddress.parse(text).orElseThrow().toString()).isEqualTo(text);
        }
    }

    private static String canonical(String s) {
        return IpAddress.parse(s).orElseThrow(() -> new AssertionError("not parsed: " + s)).toString();
    }

    private static IpAddress ip(String s) {
        return IpAddress.parse(s).orElseThrow();
    }
}
