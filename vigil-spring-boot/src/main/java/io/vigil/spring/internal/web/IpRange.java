package io.vigil.spring.internal.web;

import io.vigil.event.IpAddress;

import java.util.Optional;

/**
 * A block of addresses: a CIDR ({@code 10.0.0.0/8}, {@code fd00::/8}) or one address ({@code 127.0.0.1},
 * {@code ::1}).
 *
 * @param network the block's first address (bits past the prefix are ignored)
 * @param prefix  the bits that must match, 0 to 32 for IPv4 and 0 to 128 for IPv6
 */
public record IpRange(IpAddress network, int prefix) {

    /** The range written in {@code text}, or empty when it is neither an address nor a CIDR block. */
    public static Optional<IpRange> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        String t = text.trim();
        int slash = t.indexOf('/');
        Optional<IpAddress> address = IpAddress.parse(slash < 0 ? t : t.substring(0, slash));
        if (address.isEmpty()) {
            return Optional.empty();
        }
        int max = address.get().length() * 8;
        if (slash < 0) {
            return Optional.of(new IpRange(address.get(), max));
        }
        String bits = t.substring(slash + 1);
        if (bits.isEmpty() || bits.length() > 3 || !bits.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return Optional.empty();
        }
        int prefix = Integer.parseInt(bits);
        // An IPv4-mapped network ("::ffff:10.0.0.0/104") is held as IPv4, so its prefix is counted from there.
        if (address.get().length() == 4 && t.indexOf(':') >= 0) {
            prefix -= 96;
        }
        if (prefix < 0 || prefix > max) {
            return Optional.empty();
        }
        return Optional.of(new IpRange(address.get(), prefix));
    }

    /** Whether {@code address} is in this block (an IPv4 address is never in an IPv6 block, nor the reverse). */
    public boolean contains(IpAddress address) {
        if (address.length() != network.length()) {
            return false;
        }
        int full = prefix / 8;
        for (int i = 0; i < full; i++) {
            if (address.byteAt(i) != network.byteAt(i)) {
                return false;
            }
        }
        int rest = prefix % 8;
        if (rest == 0) {
            return true;
        }
        int mask = (0xff << (8 - rest)) & 0xff;
        return (address.byteAt(full) & mask) == (network.byteAt(full) & mask);
    }
}
