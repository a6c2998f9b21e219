package io.vigil.json;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** ECMAScript number formatting (RFC 8785 §3.2.2.3). */
class NumberFormatTest {

    /** ECMAScript's Number::toString output for finite numbers: plain, or d[.ddd]e±n. */
    private static final Pattern ES_NUMBER =
            Pattern.compile("-?(0|[1-9][0-9]*)(\\.[0-9]*[1-9])?|-?[1-9](\\.[0-9]*[1-9])?e[+-][1-9][0-9]*");

    /** RFC 8785 Appendix B: IEEE 754 bit patterns and their canonical form. */
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "0000000000000000, 0",
            "8000000000000000, 0",
            "0000000000000001, 5e-324",
            "8000000000000001, -5e-324",
            "7fefffffffffffff, 1.7976931348623157e+308",
            "ffefffffffffffff, -1.7976931348623157e+308",
            "4340000000000000, 9007199254740992",
            "c340000000000000, -9007199254740992",
            "4430000000000000, 295147905179352830000",
            "44b52d02c7e14af5, 9.999999999999997e+22",
            "44b52d02c7e14af6, 1e+23",
            "44b52d02c7e14af7, 1.0000000000000001e+23",
            "444b1ae4d6e2ef4e, 999999999999999700000",
            "444b1ae4d6e2ef4f, 999999999999999900000",
            "444b1ae4d6e2ef50, 1e+21",
            "3eb0c6f7a0b5ed8c, 9.999999999999997e-7",
            "3eb0c6f7a0b5ed8d, 0.000001",
            "41b3de4355555553, 333333333.3333332",
            "41b3de4355555554, 333333333.33333325",
            "41b3de4355555555, 333333333.3333333",
            "41b3de4355555556, 333333333.3333334",
            "41b3de4355555557, 333333333.33333343",
            "becbf647612f3696, -0.0000033333333333333333",
            "43143ff3c1cb0959, 1424953923781206.2",
    })
    void rfc8785AppendixB(String bits, String expected) {
        double d = Double.longBitsToDouble(Long.parseUnsignedLong(bits, 16));
        assertThat(format(d)).isEqualTo(expected);
        // the same value read from JSON text (Java's own digits) canonicalizes the same way
        assertThat(CanonicalJson.canonicalize("[" + Double.toString(d) + "]")).isEqualTo("[" + expected + "]");
    }

    /** RFC 8785 Appendix B: NaN and Infinity have no JSON form. */
    @ParameterizedTest
    @CsvSource({"7fffffffffffffff", "7ff0000000000000", "fff0000000000000"})
    void rfc8785AppendixBErrors(String bits) {
        double d = Double.longBitsToDouble(Long.parseUnsignedLong(bits, 16));
        CanonicalBuffer out = new CanonicalBuffer();
        assertThatThrownBy(() -> out.appendDouble(d)).isInstanceOf(CanonicalJsonException.class)
                .hasMessageContaining("finite");
        assertThat(out.length()).isZero();
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "1.0, 1", "-1.0, -1", "0.5, 0.5", "100.0, 100", "1.0E20, 100000000000000000000", "1.0E21, 1e+21",
            "1.5E21, 1.5e+21", "1.0E-6, 0.000001", "1.5E-6, 0.0000015", "1.0E-7, 1e-7", "1.25E-7, 1.25e-7",
            "123.456, 123.456", "2.0E-3, 0.002", "4.35, 4.35", "0.1, 0.1", "0.30000000000000004, 0.30000000000000004",
            "4.9E-324, 5e-324", "2.2250738585072014E-308, 2.2250738585072014e-308",
            "9007199254740991, 9007199254740991", "-9007199254740991, -9007199254740991",
            "9007199254740994, 9007199254740994", "1.8446744073709552E19, 18446744073709552000",
            "2.0E-3, 0.002", "1.0E-5, 0.00001", "5.0E-324, 5e-324",
    })
    void formatsLikeEcmaScript(double d, String expected) {
        assertThat(format(d)).isEqualTo(expected);
    }

    /**
     * Java 17's Double.toString (JDK-4511638) gives more digits than needed for these (shown on the right), or for
     * the last one as many digits but not the closest; ECMAScript's answer is shortest, then closest.
     */
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "2e23, 2e+23",                                    // 1.9999999999999998E23
            "1e23, 1e+23",                                    // 9.999999999999999E22
            "8.41e21, 8.41e+21",                              // 8.409999999999999E21
            "5e-324, 5e-324",                                 // 4.9E-324
            "2.31845256772633248E17, 231845256772633250",     // 2.31845256772633248E17 (18 digits)
            "1.9400994884341945e25, 1.9400994884341945e+25",  // 1.9400994884341944E25
    })
    void shortestAndClosestWhereJava17IsNot(double d, String expected) {
        assertThat(format(d)).isEqualTo(expected);
    }

    /** Samples printed once by Node.js's String(x), an independent implementation of the same rule. */
    @Test
    void matchesNodeJsOnSampleDoubles() throws IOException {
        int checked = 0;
        try (InputStream in = Objects.requireNonNull(getClass().getResourceAsStream("/jcs/es-number-samples.txt"));
             BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                if (line.startsWith("#") || line.isBlank()) {
                    continue;
                }
                String[] parts = line.split(" ");
                double d = Double.longBitsToDouble(Long.parseUnsignedLong(parts[0], 16));
                assertThat(format(d)).as("bits %s", parts[0]).isEqualTo(parts[1]);
                checked++;
            }
        }
        assertThat(checked).isGreaterThan(3000);
    }

    // ---- properties ---------------------------------------------------------------------------------------------

    @Property(tries = 20_000)
    void readsBackAsTheSameDouble(@ForAll("finiteDoubles") double d) {
        String s = format(d);
        assertThat(Double.parseDouble(s)).isEqualTo(d == 0 ? 0.0 : d);
    }

    @Property(tries = 20_000)
    void hasNoMoreDigitsThanJava17(@ForAll("finiteDoubles") double d) {
        assertThat(significantDigits(format(d))).isLessThanOrEqualTo(significantDigits(Double.toString(d)));
    }

    @Property(tries = 20_000)
    void followsTheEcmaScriptLayout(@ForAll("finiteDoubles") double d) {
        String s = format(d);
        assertThat(s).matches(ES_NUMBER);
        double abs = Math.abs(d);
        boolean exponent = abs != 0 && (abs >= 1e21 || abs < 1e-6);
        assertThat(s.contains("e")).as("exponent form for %s", s).isEqualTo(exponent);
    }

    @Property(tries = 5_000)
    void isTheShortestDecimalAndTheClosestOfThatLength(@ForAll("finiteDoubles") double d) {
        if (d == 0) {
            return;
        }
        String s = format(Math.abs(d));
        BigDecimal chosen = new BigDecimal(s);
        int digits = significantDigits(s);
        BigDecimal exact = new BigDecimal(Math.abs(d));
        // no decimal with one digit fewer reads back as d: its two neighbours of the exact value do not
        if (digits > 1) {
            for (RoundingMode mode : new RoundingMode[]{RoundingMode.FLOOR,
                    RoundingMode.CEILING}) {
                BigDecimal shorter = exact.round(new MathContext(digits - 1, mode));
                assertThat(shorter.doubleValue()).as("%s rounded %s", s, mode).isNotEqualTo(Math.abs(d));
            }
        }
        // of the decimals with that many digits, it is the one nearest the exact value
        BigDecimal nearest = exact.round(new MathContext(digits, RoundingMode.HALF_EVEN));
        if (nearest.doubleValue() == Math.abs(d)) {
            assertThat(chosen.compareTo(nearest)).as("%s vs nearest %s", s, nearest).isZero();
        }
    }

    @Property(tries = 5_000)
    void printsIntegersBelow2To53Exactly(@ForAll("safeIntegers") long v) {
        assertThat(format((double) v)).isEqualTo(Long.toString(v));
    }

    @Provide
    Arbitrary<Double> finiteDoubles() {
        return JsonArbitraries.finiteDoubles();
    }

    @Provide
    Arbitrary<Long> safeIntegers() {
        return Arbitraries.longs().between(-(1L << 53) + 1, (1L << 53) - 1);
    }

    static String format(double d) {
        CanonicalBuffer out = new CanonicalBuffer(4);
        out.appendDouble(d);
        return out.toString();
    }

    /** Significant digits of a decimal string in either Java's or ECMAScript's notation. */
    static int significantDigits(String s) {
        String mantissa = s.split("[eE]")[0].replace("-", "").replace(".", "");
        String stripped = mantissa.replaceFirst("^0+", "").replaceFirst("0+$", "");
        return Math.max(1, stripped.length());
    }
}
