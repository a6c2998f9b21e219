package io.vigil.json;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;

/**
 * The event timestamp format: UTC with exactly three fraction digits, e.g. {@code 2026-01-29T12:00:00.000Z}.
 * Formatting is done by hand for years 0000-9999 because it runs for every event; other years (which ISO 8601 writes
 * with a sign, e.g. {@code +10000}) go through {@link DateTimeFormatter}.
 */
final class IsoMillis {
    private static final DateTimeFormatter WIDE_YEARS = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC)
            .withResolverStyle(ResolverStyle.STRICT);
    private static final int SECONDS_PER_DAY = 86_400;
    /** Days from 0000-03-01 to 1970-01-01, for the civil-from-days conversion (which counts years from March). */
    private static final long DAYS_0000_03_01_TO_EPOCH = 719_468;
    private static final long DAYS_PER_400_YEARS = 146_097;

    static final String EXAMPLE = "2026-01-29T12:00:00.000Z";

    private IsoMillis() {
    }

    /** {@code t} (sub-millisecond digits dropped) in the event timestamp format, without quotes. */
    static String format(Instant t) {
        CanonicalBuffer b = new CanonicalBuffer(32);
        appendQuoted(t, b);
        String quoted = b.toString();
        return quoted.substring(1, quoted.length() - 1);
    }

    /** Appends {@code t} (sub-millisecond digits dropped) in the event timestamp format, with quotes. */
    static void appendQuoted(Instant t, CanonicalBuffer out) {
        long seconds = t.getEpochSecond();
        long days = Math.floorDiv(seconds, SECONDS_PER_DAY);
        int secondOfDay = Math.floorMod(seconds, SECONDS_PER_DAY);

        // Civil date from a day count, with years starting in March so that the leap day ends the year.
        long z = days + DAYS_0000_03_01_TO_EPOCH;
        long era = Math.floorDiv(z, DAYS_PER_400_YEARS);
        int dayOfEra = (int) (z - era * DAYS_PER_400_YEARS);                                    // 0..146096
        int yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146096) / 365; // 0..399
        int dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);          // 0..365
        int marchMonth = (5 * dayOfYear + 2) / 153;                                              // 0..11, 0 = March
        int day = dayOfYear - (153 * marchMonth + 2) / 5 + 1;
        int month = marchMonth < 10 ? marchMonth + 3 : marchMonth - 9;
        long year = era * 400 + yearOfEra + (month <= 2 ? 1 : 0);

        if (year < 0 || year > 9999) {
            out.appendAscii('"');
            out.appendAscii(WIDE_YEARS.format(t));
            out.appendAscii('"');
            return;
        }
        out.appendAscii('"');
        out.appendDigits(year, 4);
        out.appendAscii('-');
        out.appendDigits(month, 2);
        out.appendAscii('-');
        out.appendDigits(day, 2);
        out.appendAscii('T');
        out.appendDigits(secondOfDay / 3600, 2);
        out.appendAscii(':');
        out.appendDigits(secondOfDay / 60 % 60, 2);
        out.appendAscii(':');
        out.appendDigits(secondOfDay % 60, 2);
        out.appendAscii('.');
        out.appendDigits(t.getNano() / 1_000_000, 3);
        out.appendAscii('Z');
        out.appendAscii('"');
    }

    /**
     * Parses the event timestamp format strictly (UTC, exactly millisecond precision).
     *
     * @throws DateTimeException with a message saying what was wrong
     */
    static Instant parse(String s) {
        if (s.length() == EXAMPLE.length() && s.charAt(4) == '-' && s.charAt(7) == '-' && s.charAt(10) == 'T'
                && s.charAt(13) == ':' && s.charAt(16) == ':' && s.charAt(19) == '.' && s.charAt(23) == 'Z') {
            int year = digits(s, 0, 4);
            int month = digits(s, 5, 2);
            int day = digits(s, 8, 2);
            int hour = digits(s, 11, 2);
            int minute = digits(s, 14, 2);
            int second = digits(s, 17, 2);
            int milli = digits(s, 20, 3);
            if ((year | month | day | hour | minute | second | milli) >= 0) {
                long epochSecond = LocalDateTime.of(year, month, day, hour, minute, second).toEpochSecond(ZoneOffset.UTC);
                return Instant.ofEpochSecond(epochSecond, milli * 1_000_000L);
            }
        }
        if (s.length() > EXAMPLE.length() && (s.charAt(0) == '+' || s.charAt(0) == '-')) {
            try {
                return WIDE_YEARS.parse(s, Instant::from);
            } catch (DateTimeParseException e) {
                // fall through to the general message
            }
        }
        throw new DateTimeException("must be a UTC time with millisecond precision, like " + EXAMPLE);
    }

    /** The non-negative number in {@code s[from, from+count)}, or -1 if any of those is not an ASCII digit. */
    private static int digits(String s, int from, int count) {
        int v = 0;
        for (int i = from; i < from + count; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }
}
