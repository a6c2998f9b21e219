package io.vigil.config;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The duration and size grammars of configuration files. One grammar each, no guessing: a duration always carries
 * its unit, because a bare {@code 100} could mean milliseconds or seconds and the wrong guess is a silent bug.
 */
final class Units {

    /** Said in every error about a duration. */
    static final String DURATION_GRAMMAR =
            "a whole number followed by ms, s, m or h (e.g. 250ms, 10s, 5m, 1h)";
    /** Said in every error about a size. */
    static final String SIZE_GRAMMAR =
            "a whole number of bytes, optionally followed by B, KB, MB or GB (1 KB = 1024 bytes; KiB, MiB, GiB mean"
                    + " the same), e.g. 512, 64KB, 100MB";

    private static final Pattern DURATION = Pattern.compile("([0-9]{1,19})(ms|s|m|h)", Pattern.CASE_INSENSITIVE);
    private static final Pattern SIZE = Pattern.compile("([0-9]{1,19})(b|kb|kib|mb|mib|gb|gib)?",
            Pattern.CASE_INSENSITIVE);

    private Units() {
    }

    /** The duration denoted by {@code text}, or null when it does not follow {@link #DURATION_GRAMMAR} or overflows. */
    static Duration parseDuration(String text) {
        Matcher m = DURATION.matcher(text);
        if (!m.matches()) {
            return null;
        }
        try {
            long n = Long.parseLong(m.group(1));
            long millisPerUnit = switch (m.group(2).toLowerCase(Locale.ROOT)) {
                case "ms" -> 1L;
                case "s" -> 1_000L;
                case "m" -> 60_000L;
                default -> 3_600_000L;
            };
            return Duration.ofMillis(Math.multiplyExact(n, millisPerUnit));
        } catch (ArithmeticException | NumberFormatException e) {
            return null;
        }
    }

    /** The shortest text that {@link #parseDuration} reads back as {@code d}; {@code d} must be whole milliseconds. */
    static String formatDuration(Duration d) {
        if (d.isNegative() || d.getNano() % 1_000_000 != 0) {
            throw new IllegalArgumentException("not a non-negative whole number of milliseconds: " + d);
        }
        long ms = d.toMillis();
        if (ms != 0 && ms % 3_600_000L == 0) {
            return ms / 3_600_000L + "h";
        }
        if (ms != 0 && ms % 60_000L == 0) {
            return ms / 60_000L + "m";
        }
        if (ms != 0 && ms % 1_000L == 0) {
            return ms / 1_000L + "s";
        }
        return ms + "ms";
    }

    /** The number of bytes denoted by {@code text}, or null when it does not follow {@link #SIZE_GRAMMAR} or overflows. */
    static Long parseSize(String text) {
        Matcher m = SIZE.matcher(text);
        if (!m.matches()) {
            return null;
        }
        try {
            long n = Long.parseLong(m.group(1));
            String unit = m.group(2) == null ? "b" : m.group(2).toLowerCase(Locale.ROOT);
            long factor = switch (unit) {
                case "b" -> 1L;
                case "kb", "kib" -> 1L << 10;
                case "mb", "mib" -> 1L << 20;
                default -> 1L << 30;
            };
            return Math.multiplyExact(n, factor);
        } catch (ArithmeticException | NumberFormatException e) {
            return null;
        }
    }

    /** The shortest text that {@link #parseSize} reads back as {@code bytes}. */
    static String formatSize(long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("negative size: " + bytes);
        }
        if (bytes != 0 && bytes % (1L << 30) == 0) {
            return (bytes >> 30) + "GB";
        }
        if (bytes != 0 && bytes % (1L << 20) == 0) {
            return (bytes >> 20) + "MB";
        }
        if (bytes != 0 && bytes % (1L << 10) == 0) {
            return (bytes >> 10) + "KB";
        }
        return Long.toString(bytes);
    }
}
