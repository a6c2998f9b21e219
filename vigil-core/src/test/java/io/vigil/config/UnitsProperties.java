package io.vigil.config;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.LongRange;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class UnitsProperties {

    @Property
    void durationsRoundTrip(@ForAll @LongRange(min = 0, max = 1L << 50) long millis) {
        Duration d = Duration.ofMillis(millis);
        String text = Units.formatDuration(d);
        assertThat(text).matches("[0-9]+(ms|s|m|h)");
        assertThat(Units.parseDuration(text)).isEqualTo(d);
    }

    @Property
    void everyUnitMeansWhatItSays(@ForAll @LongRange(min = 0, max = 1_000_000) long n,
                                  @ForAll("durationUnits") String unit) {
        long factor = switch (unit.toLowerCase()) {
            case "ms" -> 1;
            case "s" -> 1_000;
            case "m" -> 60_000;
            default -> 3_600_000;
        };
        assertThat(Units.parseDuration(n + unit)).isEqualTo(Duration.ofMillis(n * factor));
    }

    @Provide
    Arbitrary<String> durationUnits() {
        return Arbitraries.of("ms", "s", "m", "h", "MS", "S", "M", "H");
    }

    @Property
    void sizesRoundTrip(@ForAll @LongRange(min = 0, max = Long.MAX_VALUE) long bytes) {
        String text = Units.formatSize(bytes);
        assertThat(text).matches("[0-9]+(KB|MB|GB)?");
        assertThat(Units.parseSize(text)).isEqualTo(bytes);
    }

    @Property
    void binaryAndDecimalLookingUnitsAreTheSame(@ForAll @LongRange(min = 0, max = 1_000_000) long n,
                                                @ForAll("sizeUnits") String unit) {
        long factor = switch (unit.toLowerCase().replace("i", "")) {
            case "b" -> 1;
            case "kb" -> 1L << 10;
            case "mb" -> 1L << 20;
            default -> 1L << 30;
        };
        assertThat(Units.parseSize(n + unit)).isEqualTo(n * factor);
    }

    @Provide
    Arbitrary<String> sizeUnits() {
        return Arbitraries.of("B", "KB", "KiB", "MB", "MiB", "GB", "GiB", "kb", "mib", "Gb");
    }

    @Property
    void garbageIsRejectedNotGuessed(@ForAll("garbage") String text) {
        assertThat(Units.parseDuration(text)).isNull();
    }

    @Provide
    Arbitrary<String> garbage() {
        return Arbitraries.of("", "100", "-1s", "1.5s", "10 s", "s", "1d", "1sec", "PT10S", "10ms ", "99999999999999999999h");
    }

    @Example
    void sizeEdgeCases() {
        assertThat(Units.parseSize("512")).isEqualTo(512L);
        assertThat(Units.parseSize("0")).isZero();
        assertThat(Units.parseSize("100MB")).isEqualTo(100L << 20);
        assertThat(Units.parseSize("64 KB")).isNull();
        assertThat(Units.parseSize("1.5GB")).isNull();
        assertThat(Units.parseSize("-1")).isNull();
        assertThat(Units.parseSize("1TB")).isNull();
        assertThat(Units.parseSize("9999999999GB")).isNull();
        assertThat(Units.formatSize(1536)).isEqualTo("1536");
        assertThat(Units.formatDuration(Duration.ofSeconds(90))).isEqualTo("90s");
        assertThat(Units.formatDuration(Duration.ZERO)).isEqualTo("0ms");
    }
}
