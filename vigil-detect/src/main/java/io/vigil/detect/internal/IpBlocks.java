package io.vigil.detect.internal;

import io.vigil.event.IpAddress;
import io.vigil.event.IpRange;

import java.util.Collection;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * A set of address blocks that answers "which block holds this address" without scanning them: the blocks are kept in
 * one hash set, with host bits cleared, and an address is looked up once per prefix length the set holds for its
 * family ({@link IpRange#prefixOf}), longest first. Lists of thousands of blocks use a handful of prefix lengths, so a
 * lookup is a few hash probes whatever the list's size. Immutable.
 */
public final class IpBlocks {

    private final Set<IpRange> blocks;
    private final int[] ipv4Prefixes;
    private final int[] ipv6Prefixes;

    public IpBlocks(Collection<IpRange> ranges) {
        Set<IpRange> normalised = new HashSet<>();
        TreeSet<Integer> v4 = new TreeSet<>();
        TreeSet<Integer> v6 = new TreeSet<>();
        for (IpRange r : ranges) {
            // IpRange.parse keeps the host bits it was given; equal networks must be equal ranges to be found.
            normalised.add(IpRange.prefixOf(r.network(), r.prefix()));
            (r.network().length() == 4 ? v4 : v6).add(r.prefix());
        }
        this.blocks = Set.copyOf(normalised);
        this.ipv4Prefixes = v4.descendingSet().stream().mapToInt(Integer::intValue).toArray();
        this.ipv6Prefixes = v6.descendingSet().stream().mapToInt(Integer::intValue).toArray();
    }

    /** The most specific block holding {@code address}, or empty when none does. */
    public Optional<IpRange> blockOf(IpAddress address) {
        for (int prefix : address.length() == 4 ? ipv4Prefixes : ipv6Prefixes) {
            IpRange candidate = IpRange.prefixOf(address, prefix);
            if (blocks.contains(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** Distinct blocks held. */
    public int size() {
        return blocks.size();
    }
}
