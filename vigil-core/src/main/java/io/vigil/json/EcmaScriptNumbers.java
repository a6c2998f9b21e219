package io.vigil.json;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * Formats a double as ECMAScript's {@code Number.prototype.toString} does (ES2023 §6.1.6.1.20), which is what
 * RFC 8785 §3.2.2.3 prescribes for JSON numbers.
 *
 * <p>Hand-written because nothing well-kept on Maven Central does this for Java 17: the rule needs the shortest
 * decimal that reads back as the same double (closest to the exact value when several exist), and Java 17's
 * {@link Double#toString(double)} is not always shortest (JDK-4511638, fixed only in JDK 19), while the digit layout
 * (plain up to 1e21, {@code 1e+21}, {@code 1e-7}, no {@code .0}) differs from Java's anyway.
 *
 * <p>How, cheapest first: integers below 2^53 print as themselves; short decimals such as 0.75 are found with a few
 * floating-point operations ({@code appendShortDecimal}); otherwise {@code Double.toString}'s digits are used, which
 * always read back as the same double — for a normal double, when they are 15 or fewer they are the only decimal of
 * that length that does (distinct decimals of at most 15 significant digits never share a double), hence shortest and
 * closest. Left are 16 to 18 digits, or a subnormal whose precision is lower: there the shortest length is searched
 * with exact {@link BigDecimal} arithmetic, trying at each length the two neighbours of the exact value. The lengths
 * that work are closed upwards (a shorter decimal padded with a zero still works), so the search walks down from the
 * length Java gave.
 */
final class EcmaScriptNumbers {
    /** 2^53: below it every integral double is printed exactly as the integer it is. */
    private static final double TWO_53 = 9007199254740992.0;
    private static final double TWO_50 = 1125899906842624.0;
    /** 10^0 .. 10^17 as doubles, all exact. */
    private static final double[] POW10_DOUBLE = new double[18];
    private static final int MAX_DIGITS = 17;
    private static final MathContext[] FLOOR = contexts(RoundingMode.FLOOR);
    private static final MathContext[] CEILING = contexts(RoundingMode.CEILING);

    static {
        POW10_DOUBLE[0] = 1;
        for (int i = 1; i < POW10_DOUBLE.length; i++) {
            POW10_DOUBLE[i] = POW10_DOUBLE[i - 1] * 10;
        }
    }

    private EcmaScriptNumbers() {
    }

    private static MathContext[] contexts(RoundingMode mode) {
        MathContext[] out = new MathContext[MAX_DIGITS + 1];
        for (int p = 1; p <= MAX_DIGITS; p++) {
            out[p] = new MathContext(p, mode);
        }
        return out;
    }

    /** Appends the ECMAScript form of {@code d}; NaN and infinities have none in JSON and are rejected. */
    static void append(double d, CanonicalBuffer out) {
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            throw new CanonicalJsonException("JSON cannot represent the number " + d
                    + "; RFC 8785 allows finite IEEE 754 doubles only");
        }
        if (d == 0) {
            out.appendAscii('0'); // both zeros: ECMAScript prints -0 as "0"
            return;
        }
        if (Math.abs(d) < TWO_53 && d == (long) d) {
            out.appendLong((long) d);
            return;
        }
        if (d < 0) {
            out.appendAscii('-');
            d = -d;
        }
        if (appendShortDecimal(d, out)) {
            return;
        }

        // Decompose Java's digits into value = 0.<digits> x 10^point, digits without leading or trailing zeros.
        String text = Double.toString(d);
        long digits = 0;
        int count = 0;
        boolean tooMany = false; // Java 17 can give 18 digits; past that a long could overflow, and BigDecimal decides
        int seen = 0;
        int leadingZeros = 0;
        int point = -1;
        int exponent = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '.') {
                point = seen;
            } else if (c == 'E') {
                exponent = Integer.parseInt(text, i + 1, text.length(), 10);
                break;
            } else {
                seen++;
                if (count == 0 && c == '0') {
                    leadingZeros++;
                } else {
                    if (count < 18) {
                        digits = digits * 10 + (c - '0');
                    } else {
                        tooMany = true;
                    }
                    count++;
                }
            }
        }
        if (point < 0) {
            point = seen;
        }
        while (!tooMany && digits % 10 == 0) {
            digits /= 10;
            count--;
        }
        int decimalPoint = point + exponent - leadingZeros;

        if (tooMany || count > 15 || d < Double.MIN_NORMAL) {
            BigDecimal shortest = shortest(d, count);
            long unscaled = shortest.unscaledValue().longValueExact();
            int scale = shortest.scale();
            while (unscaled % 10 == 0) {
                unscaled /= 10;
                scale--;
            }
            digits = unscaled;
            count = digitCount(unscaled);
            decimalPoint = count - scale;
        }
        layout(digits, count, decimalPoint, out);
    }

    /**
     * Fast path for the common short decimals (0.75, 123.456): finds the fewest fraction digits k such that the
     * integer m = round(v * 10^k) reads back as v, i.e. m / 10^k == v (one correctly rounded division of two exact
     * doubles, the same rounding as reading the decimal). Keeping m below 2^50 makes the k-digit grid more than four
     * ulps of v wide, so the product's rounding cannot pick the wrong m and at most one k-digit decimal reads back as
     * v: the first k found gives the shortest decimal, and the only one of its length.
     */
    private static boolean appendShortDecimal(double v, CanonicalBuffer out) {
        for (int k = 1; k < POW10_DOUBLE.length; k++) {
            double scaled = v * POW10_DOUBLE[k];
            if (scaled >= TWO_50) {
                return false;
            }
            double m = Math.rint(scaled);
            if (m != 0 && m / POW10_DOUBLE[k] == v) {
                long digits = (long) m;
                int count = digitCount(digits);
                layout(digits, count, count - k, out);
                return true;
            }
        }
        return false;
    }

    /** The shortest decimal that reads back as {@code v} (positive, finite), closest to v's exact value. */
    private static BigDecimal shortest(double v, int javaDigits) {
        BigDecimal exact = new BigDecimal(v);
        int p = Math.min(Math.max(javaDigits, 1), MAX_DIGITS);
        BigDecimal best = candidate(exact, v, p);
        while (best == null) { // only if Java's digits did not read back, which it guarantees they do
            best = candidate(exact, v, ++p);
        }
        while (p > 1) {
            BigDecimal shorter = candidate(exact, v, p - 1);
            if (shorter == null) {
                break;
            }
            best = shorter;
            p--;
        }
        return best;
    }

    /** The p-digit neighbour of {@code exact} that reads back as {@code v}, the closer one if both do; else null. */
    private static BigDecimal candidate(BigDecimal exact, double v, int p) {
        BigDecimal lo = exact.round(FLOOR[p]);
        BigDecimal hi = exact.round(CEILING[p]);
        // BigDecimal.doubleValue rounds correctly (exact fast path, else Double.parseDouble).
        boolean loOk = lo.doubleValue() == v;
        if (lo.compareTo(hi) == 0) {
            return loOk ? lo : null;
        }
        boolean hiOk = hi.doubleValue() == v;
        if (loOk && hiOk) {
            int c = exact.subtract(lo).compareTo(hi.subtract(exact));
            if (c != 0) {
                return c < 0 ? lo : hi;
            }
            return lo.unscaledValue().testBit(0) ? hi : lo; // a tie goes to the even digit
        }
        return loOk ? lo : hiOk ? hi : null;
    }

    /**
     * Lays out {@code digits} (k digits, no trailing zero) with value 0.digits x 10^n as ECMAScript does: plain
     * notation for 1e-7 < |x| < 1e21, exponent notation with an explicit sign otherwise.
     */
    private static void layout(long digits, int k, int n, CanonicalBuffer out) {
        if (k <= n && n <= 21) {
            out.appendLong(digits);
            out.appendZeros(n - k);
        } else if (0 < n && n <= 21) {
            long scale = CanonicalBuffer.POW10[k - n];
            out.appendLong(digits / scale);
            out.appendAscii('.');
            out.appendDigits(digits % scale, k - n);
        } else if (-6 < n && n <= 0) {
            out.appendAscii('0');
            out.appendAscii('.');
            out.appendZeros(-n);
            out.appendLong(digits);
        } else {
            long scale = CanonicalBuffer.POW10[k - 1];
            out.appendLong(digits / scale);
            if (k > 1) {
                out.appendAscii('.');
                out.appendDigits(digits % scale, k - 1);
            }
            out.appendAscii('e');
            out.appendAscii(n - 1 < 0 ? '-' : '+');
            out.appendLong(Math.abs(n - 1));
        }
    }

    private static int digitCount(long v) {
        int k = 1;
        while (k < 19 && v >= CanonicalBuffer.POW10[k]) {
            k++;
        }
        return k;
    }
}
