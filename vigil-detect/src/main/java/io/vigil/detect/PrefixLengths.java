package io.vigil.detect;

import io.vigil.event.IpAddress;
import io.vigil.event.IpRange;

/**
 * How many leading bits of a source address name its network, per address family: {@code (32, 128)} takes each
 * address as its own network, {@code (16, 48)} groups an IPv4 /16 or an IPv6 /48 (a typical site allocation). An
 * IPv4-mapped IPv6 address is read as IPv4, so it takes the IPv4 length.
 *
 * @param ipv4 bits of an IPv4 address, 1 to 32
 * @param ipv6 bits of an IPv6 address, 1 to 128
 */
public record PrefixLengths(int ipv4, int ipv6) {

    /** Each address is a network of its own: /32 and /128. */
    public static final PrefixLengths SINGLE_ADDRESS = new PrefixLengths(32, 128);

    public PrefixLengths {
        if (ipv4 < 1 || ipv4 > 32) {
            throw new IllegalArgumentException("IPv4 prefix length /" + ipv4 + " must be between 1 and 32");
        }
        if (ipv6 < 1 || ipv6 > 128) {
            throw new IllegalArgumentException("IPv6 prefix length /" + ipv6 + " must be between 1 and 128");
        }
    }

    /** The network of {@code address} at this length for its family, host bits cleared. */
    public IpRange networkOf(IpAddress address) {
        return IpRange.prefixOf(address, address.length() == 4 ? ipv4 : ipv6);
    }
}
