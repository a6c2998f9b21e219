package io.vigil.detect;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.vigil.event.IpAddress;
import io.vigil.event.IpRange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The known bad ip list: its file format, its lookups, and reloading a real file as an injected clock moves. */
class KnownBadIpsTest {

    private static final Duration CHECK_EVERY = Duration.ofSeconds(5);

    @TempDir
    Path tmp;

    private final TestClock clock = new TestClock(Instant.parse("2025-03-01T09:00:00Z"));
    private final ListAppender<ILoggingEvent> logged = new ListAppender<>();
    private Logger reloadLog;

    @BeforeEach
    void captureLog() {
        reloadLog = (Logger) LoggerFactory.getLogger("io.vigil.detect.internal.IpBlockFile");
        logged.start();
        reloadLog.addAppender(logged);
    }

    @AfterEach
    void releaseLog() {
        reloadLog.detachAppender(logged);
    }

    private static Optional<String> blockOf(KnownBadIps list, String address) {
        return list.blockOf(IpAddress.parse(address).orElseThrow()).map(IpRange::toString);
    }

    /** Writes the list file with a modification time of its own, so that a rewrite is a change however fast. */
    private Path write(Path file, String text, int version) throws IOException {
        Files.writeString(file, text, StandardCharsets.UTF_8);
        Files.setLastModifiedTime(file, FileTime.from(Instant.parse("2025-01-01T00:00:00Z").plusSeconds(version)));
        return file;
    }

    @Test
    void readsAddressesAndBlocksOfBothFamiliesWithCommentsAndBlankLines() throws IOException {
        Path file = write(tmp.resolve("bad-ips.txt"), """
                # scanners seen this week

                  203.0.113.7\t
                198.51.100.0/24   # a hosting range
                198.51.100.128/25
                10.1.2.3/8
                2001:db8::/32
                2001:db8:0:1::5
                ::ffff:192.0.2.0/120
                """, 1);
        KnownBadIps list = KnownBadIps.load(file, CHECK_EVERY, clock);
        assertThat(list.size()).isEqualTo(7);

        assertThat(blockOf(list, "203.0.113.7")).contains("203.0.113.7/32");
        assertThat(blockOf(list, "203.0.113.8")).isEmpty();
        assertThat(blockOf(list, "198.51.100.4")).contains("198.51.100.0/24");
        assertThat(blockOf(list, "198.51.100.200")).as("the most specific block").contains("198.51.100.128/25");
        assertThat(blockOf(list, "198.51.101.1")).isEmpty();
        assertThat(blockOf(list, "10.200.0.1")).as("host bits of the entry are ignored").contains("10.0.0.0/8");
        assertThat(blockOf(list, "2001:db8:ffff::1")).contains("2001:db8::/32");
        assertThat(blockOf(list, "2001:db8:0:1::5")).contains("2001:db8:0:1::5/128");
        assertThat(blockOf(list, "2001:db9::1")).isEmpty();
        // An IPv4-mapped IPv6 address is its IPv4 address, both in the list and looked up.
        assertThat(blockOf(list, "192.0.2.99")).contains("192.0.2.0/24");
        assertThat(blockOf(list, "::ffff:192.0.2.99")).contains("192.0.2.0/24");
        assertThat(blockOf(list, "::ffff:203.0.113.7")).contains("203.0.113.7/32");
        // The families do not mix: no IPv6 block holds an IPv4 address.
        assertThat(blockOf(KnownBadIps.of(List.of("::/0")), "203.0.113.7")).isEmpty();
        assertThat(blockOf(KnownBadIps.of(List.of("0.0.0.0/0")), "2001:db8::1")).isEmpty();
        assertThat(blockOf(KnownBadIps.of(List.of("0.0.0.0/0")), "203.0.113.7")).contains("0.0.0.0/0");
    }

    @Test
    void aBadLineFailsLoadingWithItsFileAndLineNumber() throws IOException {
        Path file = write(tmp.resolve("bad-ips.txt"), "# list\n203.0.113.7\n\n203.0.113.300\n", 1);
        assertThatThrownBy(() -> KnownBadIps.load(file, CHECK_EVERY, clock))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(file + ":4: '203.0.113.300' is not an IP address or CIDR block (address/bits, at most /32"
                        + " for IPv4 and /128 for IPv6)");
        write(file, "10.0.0.0/33\n", 2);
        assertThatThrownBy(() -> KnownBadIps.load(file, CHECK_EVERY, clock))
                .hasMessageStartingWith(file + ":1: '10.0.0.0/33' is not");
        write(file, "\uFEFF203.0.113.7\nexample.com\n", 3);
        assertThatThrownBy(() -> KnownBadIps.load(file, CHECK_EVERY, clock)).as("a byte order mark is not an error")
                .hasMessageStartingWith(file + ":2: 'example.com' is not");
        assertThatThrownBy(() -> KnownBadIps.of(List.of("203.0.113.7", "203.0.113.0/24/8")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("list:2: '203.0.113.0/24/8'");
        assertThatThrownBy(() -> KnownBadIps.load(tmp.resolve("missing.txt"), CHECK_EVERY, clock))
                .isInstanceOf(IOException.class);
        assertThatThrownBy(() -> KnownBadIps.load(file, Duration.ZERO, clock))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("checkEvery");
    }

    @Test
    void aChangedFileIsReadAgainOnceTheClockSaysItIsTimeToLook() throws IOException {
        Path file = write(tmp.resolve("bad-ips.txt"), "203.0.113.7\n", 1);
        KnownBadIps list = KnownBadIps.load(file, CHECK_EVERY, clock);
        write(file, "203.0.113.7\n192.0.2.0/24\n", 2);

        clock.advance(CHECK_EVERY.minusMillis(1));
        assertThat(blockOf(list, "192.0.2.1")).as("not yet time to look").isEmpty();
        clock.advance(Duration.ofMillis(1));
        assertThat(blockOf(list, "192.0.2.1")).contains("192.0.2.0/24");
        assertThat(list.reloads()).isEqualTo(1);

        // Unchanged since: looked at, not read again.
        clock.advance(CHECK_EVERY);
        assertThat(list.size()).isEqualTo(2);
        assertThat(list.reloads()).isEqualTo(1);
        assertThat(list.failedReloads()).isZero();
    }

    @Test
    void aFailedReloadKeepsTheListBeforeItAndIsLoggedWithTheLineAndCountedOnce() throws IOException {
        Path file = write(tmp.resolve("bad-ips.txt"), "203.0.113.7\n", 1);
        KnownBadIps list = KnownBadIps.load(file, CHECK_EVERY, clock);
        write(file, "192.0.2.0/24\n192.0.2.1/\n", 2);
        clock.advance(CHECK_EVERY);
        assertThat(blockOf(list, "203.0.113.7")).as("the list before the bad edit").contains("203.0.113.7/32");
        assertThat(blockOf(list, "192.0.2.5")).isEmpty();
        assertThat(list.failedReloads()).isEqualTo(1);
        assertThat(logged.list).extracting(ILoggingEvent::getFormattedMessage)
                .anySatisfy(m -> assertThat(m).contains(file + ":2: '192.0.2.1/' is not")
                        .contains("the 1 blocks read before stay in use"));

        clock.advance(CHECK_EVERY);
        assertThat(list.size()).isEqualTo(1);
        assertThat(list.failedReloads()).as("the same broken file is not reported at every look").isEqualTo(1);

        // The file disappears: still the old list, reported once; it comes back fixed: read.
        Files.delete(file);
        clock.advance(CHECK_EVERY);
        assertThat(blockOf(list, "203.0.113.7")).isPresent();
        clock.advance(CHECK_EVERY);
        assertThat(list.failedReloads()).isEqualTo(2);
        write(file, "192.0.2.0/24\n", 3);
        clock.advance(CHECK_EVERY);
        assertThat(blockOf(list, "192.0.2.5")).contains("192.0.2.0/24");
        assertThat(blockOf(list, "203.0.113.7")).isEmpty();
        assertThat(list.reloads()).isEqualTo(1);
    }

    @Test
    void aLargeListFindsWhatAScanOfEveryBlockFinds() {
        Random random = new Random(11);
        List<String> entries = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            entries.add(random.nextInt(224) + "." + random.nextInt(256) + "." + random.nextInt(256) + ".0/24");
        }
        for (int i = 0; i < 500; i++) {
            entries.add(random.nextInt(224) + "." + random.nextInt(256) + ".0.0/16");
        }
        for (int i = 0; i < 2_000; i++) {
            entries.add(random.nextInt(224) + "." + random.nextInt(256) + "." + random.nextInt(256) + "."
                    + random.nextInt(256));
            entries.add("2001:db8:" + Integer.toHexString(random.nextInt(65536)) + "::/48");
        }
        KnownBadIps list = KnownBadIps.of(entries);
        List<IpRange> scanned = entries.stream().map(e -> IpRange.parse(e).orElseThrow())
                .map(r -> IpRange.prefixOf(r.network(), r.prefix())).toList();

        int listed = 0;
        for (int i = 0; i < 2_000; i++) {
            // Half the addresses are taken inside a listed block, half anywhere.
            String text;
            if (i % 2 == 0) {
                IpRange r = scanned.get(random.nextInt(scanned.size()));
                String network = r.network().toString();
                if (r.network().length() == 16) {
                    text = network + Integer.toHexString(random.nextInt(65536)); // "2001:db8:abcd::" + "1f"
                } else if (r.prefix() == 32) {
                    text = network;
                } else {
                    text = network.substring(0, network.lastIndexOf('.') + 1) + random.nextInt(256);
                }
            } else {
                text = random.nextInt(224) + "." + random.nextInt(256) + "." + random.nextInt(256) + "."
                        + random.nextInt(256);
            }
            IpAddress address = IpAddress.parse(text).orElseThrow();
            Optional<IpRange> expected = scanned.stream().filter(r -> r.contains(address))
                    .max((a, b) -> Integer.compare(a.prefix(), b.prefix()));
            assertThat(list.blockOf(address)).as(text).isEqualTo(expected);
            listed += expected.isPresent() ? 1 : 0;
        }
        assertThat(listed).as("the check saw listed addresses, not only misses").isGreaterThan(900);
    }
}
