package io.vigil.event;


import java.util.Objects;
import java.util.Optional;

/**
 * A block of addresses: a CIDR ({@code 10.0.0.0/8}, {@code fd00::/8}) or one address ({@code 127.0.0.1},
 * {@code ::1}). The one reading of an address block in Vigil: trusted proxy lists, known-bad address lists and the
 * network prefixes detection compares all use it.
 *
 * @param network the block's first address (bits past the prefix are ignored)
 * @param prefix  the bits that must match, 0 to 32 for IPv4 and 0 to 128 for IPv6
 */
public record IpRange(IpAddress network, int prefix) {

    public IpRange {
        Objects.requireNonNull(network, "network");
        if (prefix < 0 || prefix > network.length() * 8) {
            throw new IllegalArgumentException("prefix /" + prefix + " is outside 0.." + network.length() * 8
                    + " for " + network);
        }
    }

    /**
     * The block of {@code prefix} bits that holds {@code address}, with the bits past the prefix cleared, so that two
     * addresses in one block give equal ranges ({@code 203.0.113.7} and {@code 203.0.9.1} at 16 both give
     * {@code 203.0.0.0/16}).
     *
     * @throws IllegalArgumentException when {@code prefix} is outside 0..32 (IPv4) or 0..128 (IPv6)
     */
    public static IpRange prefixOf(IpAddress address, int prefix) {
        byte[] b = address.bytes();
        if (prefix < 0 || prefix > b.length * 8) {
            throw new IllegalArgumentException("prefix /" + prefix + " is outside 0.." + b.length * 8
                    + " for " + address);
        }
        for (int i = 0; i < b.length; i++) {
            int keep = Math.max(0, Math.min(8, prefix - i * 8));
            b[i] = (byte) (b[i] & (0xff << (8 - keep)));
        }
        return new IpRange(IpAddress.ofBytes(b), prefix);
    }

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

    /** The block as CIDR text: the canonical network address, a slash and the prefix ({@code 203.0.0.0/16}). */
    @Override
    public String toString() {
        return network + "/" + prefix;
    }
}
