package io.vigil.event;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class IpRangeTest {

    @Test
    void blocksContainTheirAddressesOnly() {
        IpRange ten = IpRange.parse("10.0.0.0/8").orElseThrow();
        assertThat(ten.contains(ip("10.255.1.2"))).isTrue();
        assertThat(ten.contains(ip("11.0.0.1"))).isFalse();
        assertThat(ten.contains(ip("::ffff:10.1.1.1"))).isTrue();
        IpRange odd = IpRange.parse("192.168.4.0/22").orElseThrow();
        assertThat(odd.contains(ip("192.168.7.255"))).isTrue();
        assertThat(odd.contains(ip("192.168.8.0"))).isFalse();
        IpRange v6 = IpRange.parse("2001:db8::/32").orElseThrow();
        assertThat(v6.contains(ip("2001:db8:ffff::1"))).isTrue();
        assertThat(v6.contains(ip("2001:db9::1"))).isFalse();
        assertThat(v6.contains(ip("10.0.0.1"))).isFalse();
        IpRange one = IpRange.parse("127.0.0.1").orElseThrow();
        assertThat(one.contains(ip("127.0.0.1"))).isTrue();
        assertThat(one.contains(ip("127.0.0.2"))).isFalse();
        assertThat(IpRange.parse("0.0.0.0/0").orElseThrow().contains(ip("203.0.113.1"))).isTrue();
        assertThat(IpRange.parse("::ffff:10.0.0.0/104").orElseThrow().contains(ip("10.9.9.9"))).isTrue();
        for (String bad : List.of("10.0.0.0/33", "::/129", "10.0.0.0/", "10.0.0.0/x", "host/8", "10.0.0.0/-1")) {
            assertThat(IpRange.parse(bad)).as(bad).isEmpty();
        }
    }

    @Test
    void prefixOfClearsTheHostBitsSoAddressesOfOneNetworkAreEqual() {
        assertThat(IpRange.prefixOf(ip("203.0.113.7"), 16)).isEqualTo(IpRange.prefixOf(ip("203.0.9.1"), 16));
        assertThat(IpRange.prefixOf(ip("203.0.113.7"), 16).toString()).isEqualTo("203.0.0.0/16");
        assertThat(IpRange.prefixOf(ip("203.1.113.7"), 16)).isNotEqualTo(IpRange.prefixOf(ip("203.0.113.7"), 16));
        assertThat(IpRange.prefixOf(ip("2001:db8:1:2::1"), 48).toString()).isEqualTo("2001:db8:1::/48");
        assertThat(IpRange.prefixOf(ip("2001:db8:1:ffff::9"), 48)).isEqualTo(IpRange.prefixOf(ip("2001:db8:1::1"), 48));
        assertThat(IpRange.prefixOf(ip("::ffff:198.51.100.9"), 16).toString()).isEqualTo("198.51.0.0/16");
        assertThat(IpRange.prefixOf(ip("192.168.7.200"), 22).toString()).isEqualTo("192.168.4.0/22");
        assertThat(IpRange.prefixOf(ip("10.1.2.3"), 0).contains(ip("203.0.113.1"))).isTrue();
        assertThatThrownBy(() -> IpRange.prefixOf(ip("10.1.2.3"), 33)).hasMessageContaining("/33");
        assertThatThrownBy(() -> new IpRange(ip("::1"), 129)).hasMessageContaining("/129");
    }

    private static IpAddress ip(String s) {
        return IpAddress.parse(s).orElseThrow(() -> new AssertionError("not parsed: " + s));
    }
}
