package io.vigil.detect;

import io.vigil.detect.internal.IpBlockFile;
import io.vigil.detect.internal.IpBlockListFormat;
import io.vigil.detect.internal.IpBlocks;
import io.vigil.event.IpAddress;
import io.vigil.event.IpRange;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Addresses and address blocks known to be bad (a threat feed, a deny list), for the known bad ip detector
 * ({@link DetectionStage.Builder#knownBadIps}). One address or CIDR block per line, IPv4 or IPv6 ({@code 203.0.113.7},
 * {@code 198.51.100.0/24}, {@code 2001:db8::/32}); {@code #} starts a comment, blank lines are allowed, whitespace
 * around an entry is ignored. An IPv4-mapped IPv6 address or block is the IPv4 one.
 *
 * <p>A list loaded from a file is read again when the file changes: its modification time and size are looked at,
 * at most once per {@code checkEvery}, when an address is looked up, and the file is read on that thread. A reload
 * that fails keeps the list read before; it is logged with its reason and counted in {@link #failedReloads()}.
 * Replace the file in one step (write a new one, then move it over the old) so that a reload never reads it half
 * written.
 *
 * <p>Looking an address up costs one hash probe per distinct prefix length in the list, not one per block.
 */
public final class KnownBadIps {

    /** How often a list file is looked at by default. */
    public static final Duration DEFAULT_CHECK_EVERY = Duration.ofSeconds(5);

    private final Supplier<IpBlocks> blocks;
    private final LongSupplier reloads;
    private final LongSupplier failedReloads;

    private KnownBadIps(Supplier<IpBlocks> blocks, LongSupplier reloads, LongSupplier failedReloads) {
        this.blocks = blocks;
        this.reloads = reloads;
        this.failedReloads = failedReloads;
    }

    /**
     * A fixed list, one entry per element in the file format (comments and blank elements allowed).
     *
     * @throws IllegalArgumentException on the first element that is not an address or block, naming its position
     *                                  ({@code list:3: why})
     */
    public static KnownBadIps of(List<String> entries) {
        IpBlocks fixed = IpBlockListFormat.read(List.copyOf(entries), "list");
        return new KnownBadIps(() -> fixed, () -> 0, () -> 0);
    }

    /** A list read from {@code file} now, looked at for changes every {@link #DEFAULT_CHECK_EVERY}. */
    public static KnownBadIps load(Path file) throws IOException {
        return load(file, DEFAULT_CHECK_EVERY, Clock.systemUTC());
    }

    /**
     * A list read from {@code file} now, looked at for changes at most once per {@code checkEvery} of {@code clock}.
     *
     * @throws IOException              when the file cannot be read
     * @throws IllegalArgumentException on a line that is not an address or block ({@code file:line: why}), or when
     *                                  {@code checkEvery} is not positive
     */
    public static KnownBadIps load(Path file, Duration checkEvery, Clock clock) throws IOException {
        IpBlockFile watched = IpBlockFile.open(Objects.requireNonNull(file, "file"), checkEvery, clock);
        return new KnownBadIps(watched::current, watched::reloads, watched::failedReloads);
    }

    /** The most specific listed block holding {@code address}; empty when the address is not listed. */
    public Optional<IpRange> blockOf(IpAddress address) {
        return blocks.get().blockOf(Objects.requireNonNull(address, "address"));
    }

    /** Distinct blocks in the list in use. */
    public int size() {
        return blocks.get().size();
    }

    /** Times the file was read again and replaced the list; 0 for a fixed list. */
    public long reloads() {
        return reloads.getAsLong();
    }

    /** Times the file changed but could not be read or held a bad line, so the list stayed as it was. */
    public long failedReloads() {
        return failedReloads.getAsLong();
    }
}
