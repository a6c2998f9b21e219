package io.vigil.json;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Date;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CanonicalJsonTest {

    // ---- RFC 8785 examples ------------------------------------------------------------------------------------------

    /** RFC 8785 §3.2.2 and §3.2.4: the sample input and its canonical form. */
    private static final String RFC_SAMPLE = """
            {
              "numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],
              "string": "\\u20ac$\\u000F\\u000aA'\\u0042\\u0022\\u005c\\\\\\"\\/",
              "literals": [null, true, false]
            }
            """;
    private static final String RFC_SAMPLE_CANONICAL =
            "{\"literals\":[null,true,false],\"numbers\":[333333333.3333333,1e+30,4.5,0.002,1e-27],"
                    + "\"string\":\"\u20ac$\\u000f\\nA'B\\\"\\\\\\\\\\\"/\"}";
    /** RFC 8785 §3.2.4: the canonical form of the sample, as UTF-8 in hex. */
    private static final String RFC_SAMPLE_HEX = """
            7b 22 6c 69 74 65 72 61 6c 73 22 3a 5b 6e 75 6c 6c 2c 74 72 75 65 2c 66 61 6c 73 65 5d 2c 22 6e
            75 6d 62 65 72 73 22 3a 5b 33 33 33 33 33 33 33 33 33 2e 33 33 33 33 33 33 33 2c 31 65 2b 33 30
            2c 34 2e 35 2c 30 2e 30 30 32 2c 31 65 2d 32 37 5d 2c 22 73 74 72 69 6e 67 22 3a 22 e2 82 ac 24
            5c 75 30 30 30 66 5c 6e 41 27 42 5c 22 5c 5c 5c 5c 5c 22 2f 22 7d
            """;

    @Test
    void rfc8785SampleCanonicalizes() {
        assertThat(CanonicalJson.canonicalize(RFC_SAMPLE)).isEqualTo(RFC_SAMPLE_CANONICAL);
    }

    @Test
    void rfc8785SampleAsUtf8MatchesTheRfcBytes() {
        byte[] out = CanonicalJson.canonicalize(RFC_SAMPLE.getBytes(StandardCharsets.UTF_8));
        assertThat(hex(out)).isEqualTo(RFC_SAMPLE_HEX.replaceAll("\\s+", ""));
    }

    /** RFC 8785 §3.2.3: members sorted by UTF-16 code units (the emoji's high surrogate sorts below U+FB33). */
    @Test
    void rfc8785SortingExample() {
        String input = """
                {
                  "\\u20ac": "Euro Sign",
                  "\\r": "Carriage Return",
                  "\\ufb33": "Hebrew Letter Dalet With Dagesh",
                  "1": "One",
                  "\\ud83d\\ude00": "Emoji: Grinning Face",
                  "\\u0080": "Control",
                  "\\u00f6": "Latin Small Letter O With Diaeresis"
                }
                """;
        assertThat(CanonicalJson.canonicalize(input)).isEqualTo("{"
                + "\"\\r\":\"Carriage Return\","
                + "\"1\":\"One\","
                + "\"\u0080\":\"Control\","
                + "\"\u00f6\":\"Latin Small Letter O With Diaeresis\","
                + "\"\u20ac\":\"Euro Sign\","
                + "\"\ud83d\ude00\":\"Emoji: Grinning Face\","
                + "\"\ufb33\":\"Hebrew Letter Dalet With Dagesh\""
                + "}");
    }

    // ---- strings ------------------------------------------------------------------------------------------------

    @Test
    void escapesOnlyWhatRfc8785Says() {
        StringBuilder controls = new StringBuilder();
        for (char c = 0; c < 0x20; c++) {
            controls.append(c);
        }
        assertThat(canonical(controls.toString())).isEqualTo("\"\\u0000\\u0001\\u0002\\u0003\\u0004\\u0005\\u0006\\u0007"
                + "\\b\\t\\n\\u000b\\f\\r\\u000e\\u000f\\u0010\\u0011\\u0012\\u0013\\u0014\\u0015\\u0016\\u0017"
                + "\\u0018\\u0019\\u001a\\u001b\\u001c\\u001d\\u001e\\u001f\"");
        assertThat(canonical("\"\\/")).isEqualTo("\"\\\"\\\\/\"");
        // DEL, C1 controls, U+2028/2029, non-ASCII and astral characters are written as literal UTF-8
        String literal = "\u007f\u0080\u009f\u2028\u2029\u00e9\u20ac\ufeff\ud83d\ude00";
        assertThat(canonical(literal)).isEqualTo("\"" + literal + "\"");
        assertThat(CanonicalJson.canonicalize("\"\\u2028\\u00E9\\uD83D\\uDE00\"")).isEqualTo("\"\u2028\u00e9\ud83d\ude00\"");
    }

    @Test
    void rejectsLoneSurrogates() {
        assertThatThrownBy(() -> CanonicalJson.canonicalize("{\"a\":[\"x\\ud800\"]}"))
                .isInstanceOf(CanonicalJsonException.class)
                .hasMessageContaining("lone surrogate U+D800 at index 1")
                .hasMessageContaining("$.a[0]");
        assertThatThrownBy(() -> CanonicalJson.canonicalize("\"\\udc00\\ud800\""))
                .isInstanceOf(CanonicalJsonException.class)
                .hasMessageContaining("lone surrogate U+DC00");
        assertThatThrownBy(() -> CanonicalJson.canonicalize("{\"\\ud800\":1}"))
                .isInstanceOf(CanonicalJsonException.class)
                .hasMessageContaining("lone surrogate");
    }

    // ---- numbers ------------------------------------------------------------------------------------------------

    @Test
    void readsEveryNumberAsADouble() {
        assertThat(CanonicalJson.canonicalize("[0, -0, -0.0, 0e10, 1.0, 1E0, 10.50, 1e21, 1e20, 1e-6, 1e-7, 123456789012345678901234]"))
                .isEqualTo("[0,0,0,0,1,1,10.5,1e+21,100000000000000000000,0.000001,1e-7,1.2345678901234569e+23]");
        // beyond 2^53 an integer is only as exact as the double nearest to it
        assertThat(CanonicalJson.canonicalize("[9007199254740993, 18014398509481985, -9007199254740993]"))
                .isEqualTo("[9007199254740992,18014398509481984,-9007199254740992]");
        // underflow rounds to zero like any other rounding; numbers are read correctly rounded
        assertThat(CanonicalJson.canonicalize("[1e-400, 2.4703282292062328e-324, 0.1e-323]")).isEqualTo("[0,5e-324,0]");
    }

    @Test
    void rejectsNumbersOutsideDoubleRange() {
        assertThatThrownBy(() -> CanonicalJson.canonicalize("{\"big\":1e400}"))
                .isInstanceOf(CanonicalJsonException.class)
                .hasMessageContaining("number 1e400 at /big is outside the range of an IEEE 754 double");
        assertThatThrownBy(() -> CanonicalJson.canonicalize("-1" + "0".repeat(400)))
                .isInstanceOf(CanonicalJsonException.class)
                .hasMessageContaining("outside the range");
    }

    @Test
    void rejectsNaNAndInfinity() {
        assertThatThrownBy(() -> CanonicalJson.canonicalize("[NaN]")).isInstanceOf(CanonicalJsonException.class)
                .hasMessageStartingWith("invalid JSON at line 1, column").hasMessageContaining("NaN");
        assertThatThrownBy(() -> CanonicalJson.canonicalize("[Infinity]")).isInstanceOf(CanonicalJsonException.class);
        assertThatThrownBy(() -> CanonicalJson.canonicalize("[-Infinity]")).isInstanceOf(CanonicalJsonException.class);
        assertThatThrownBy(() -> CanonicalJson.writeValue(Double.NaN, new CanonicalBuffer()))
                .isInstanceOf(CanonicalJsonException.class).hasMessageContaining("NaN");
        assertThatThrownBy(() -> CanonicalJson.writeValue(List.of(Double.POSITIVE_INFINITY), new CanonicalBuffer()))
                .isInstanceOf(CanonicalJsonException.class).hasMessageContaining("Infinity").hasMessageContaining("$[0]");
    }

    // ---- structure and errors --------------------------------------------------------------------------------------

    @Test
    void removesWhitespaceAndSortsNestedObjects() {
        String input = " {\n\t\"b\" : [ 1 , { \"z\" : true , \"a\" : null } , [ ] , { } ] ,\r\n \"a\" : \"x\" } ";
        assertThat(CanonicalJson.canonicalize(input)).isEqualTo("{\"a\":\"x\",\"b\":[1,{\"a\":null,\"z\":true},[],{}]}");
        assertThat(CanonicalJson.canonicalize(" 42 ")).isEqualTo("42");
        assertThat(CanonicalJson.canonicalize("\"x\"")).isEqualTo("\"x\"");
        assertThat(CanonicalJson.canonicalize("null")).isEqualTo("null");
    }

    @Test
    void keepsArrayOrder() {
        assertThat(CanonicalJson.canonicalize("[3,1,2,\"b\",\"a\"]")).isEqualTo("[3,1,2,\"b\",\"a\"]");
    }

    @Test
    void rejectsDuplicateMemberNames() {
        assertThatThrownBy(() -> CanonicalJson.canonicalize("{\"a\":{\"k\":1,\"k\":1}}"))
                .isInstanceOf(CanonicalJsonException.class)
                .hasMessageContaining("duplicate member name 'k' at /a/k");
        // names that differ only by escaping are the same name
        assertThatThrownBy(() -> CanonicalJson.canonicalize("{\"a\":1,\"\\u0061\":2}"))
                .isInstanceOf(CanonicalJsonException.class)
                .hasMessageContaining("duplicate member name 'a'");
    }

    @Test
    void rejectsMalformedInputWithAPosition() {
        assertThatThrownBy(() -> CanonicalJson.canonicalize("{\"a\":1,\n\"b\":}"))
                .isInstanceOf(CanonicalJsonException.class)
                .hasMessageStartingWith("invalid JSON at line 2, column 5");
        assertThatThrownBy(() -> CanonicalJson.canonicalize("")).isInstanceOf(CanonicalJsonException.class)
                .hasMessageContaining("empty");
        assertThatThrownBy(() -> CanonicalJson.canonicalize("{} {}")).isInstanceOf(CanonicalJsonException.class)
                .hasMessageContaining("more than one JSON value");
        assertThatThrownBy(() -> CanonicalJson.canonicalize("[1] x")).isInstanceOf(CanonicalJsonException.class);
        assertThatThrownBy(() -> CanonicalJson.canonicalize("{'a':1}")).isInstanceOf(CanonicalJsonException.class);
        assertThatThrownBy(() -> CanonicalJson.canonicalize("[1,]")).isInstanceOf(CanonicalJsonException.class);
        for (String notJson : new String[]{"// c\n1", "01", "+1", ".5", "1.", "[\"\t\"]", "\"\\x\"", "\"\\u12\"",
                "\"open", "tru", "{\"a\" 1}", "\ufeff1"}) {
            assertThatThrownBy(() -> CanonicalJson.canonicalize(notJson)).as(notJson)
                    .isInstanceOf(CanonicalJsonException.class).hasMessageStartingWith("invalid JSON at line 1");
        }
    }

    @Test
    void rejectsInvalidUtf8() {
        assertThatThrownBy(() -> CanonicalJson.canonicalize(bytes('[', '"', 0xC3, 0x28, '"', ']')))
                .isInstanceOf(CanonicalJsonException.class)
                .hasMessageStartingWith("invalid UTF-8 at byte offset 2: a malformed sequence of 1 byte(s)");
        // forms a lenient decoder would map onto valid characters, giving different bytes the same canonical form
        int[][] bad = {
                {'"', 0xC0, 0x80, '"'},                          // overlong U+0000
                {'"', 0xE0, 0x80, 0xAF, '"'},                    // overlong '/'
                {'"', 0xED, 0xA0, 0x80, '"'},                    // a surrogate encoded on its own
                {'"', 0xED, 0xA0, 0xBD, 0xED, 0xB8, 0x80, '"'},  // CESU-8 pair
                {'"', 0xF4, 0x90, 0x80, 0x80, '"'},              // beyond U+10FFFF
                {'"', 0xE2, 0x82, '"'},                          // truncated
        };
        for (int[] b : bad) {
            assertThatThrownBy(() -> CanonicalJson.canonicalize(bytes(b)))
                    .isInstanceOf(CanonicalJsonException.class)
                    .hasMessageStartingWith("invalid UTF-8 at byte offset 1");
        }
        // UTF-16 text decodes to NUL characters, which JSON does not allow outside strings
        assertThatThrownBy(() -> CanonicalJson.canonicalize(bytes(0, '1'))).isInstanceOf(CanonicalJsonException.class);
    }

    private static byte[] bytes(int... values) {
        byte[] out = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (byte) values[i];
        }
        return out;
    }

    @Test
    void acceptsDeepNestingUpToTheLimit() {
        String deep = "[".repeat(CanonicalJson.MAX_DEPTH) + "]".repeat(CanonicalJson.MAX_DEPTH);
        assertThat(CanonicalJson.canonicalize(deep)).isEqualTo(deep);
        String tooDeep = "[".repeat(CanonicalJson.MAX_DEPTH + 1) + "]".repeat(CanonicalJson.MAX_DEPTH + 1);
        assertThatThrownBy(() -> CanonicalJson.canonicalize(tooDeep)).isInstanceOf(CanonicalJsonException.class)
                .hasMessageContaining("depth");
    }

    // ---- Java values --------------------------------------------------------------------------------------------

    @Test
    void writesJavaValues() {
        Map<String, Object> m = new HashMap<>();
        m.put("int", 7);
        m.put("short", (short) -3);
        m.put("byte", (byte) 1);
        m.put("long53", 1L << 53);
        m.put("long53plus1", (1L << 53) + 1);
        m.put("longMax", Long.MAX_VALUE);
        m.put("bigSmall", BigInteger.valueOf(-42));
        m.put("bigHuge", BigInteger.TEN.pow(30));
        m.put("dec", new BigDecimal("4.50"));
        m.put("float", 0.1f);
        m.put("double", 0.1);
        m.put("zero", 0);
        m.put("false", false);
        m.put("null", null);
        m.put("list", new LinkedList<>(List.of("a", 1)));
        m.put("nested", Map.of("y", 1, "x", List.of()));
        assertThat(write(m)).isEqualTo("{\"bigHuge\":1e+30,\"bigSmall\":-42,\"byte\":1,\"dec\":4.5,\"double\":0.1,"
                + "\"false\":false,\"float\":0.10000000149011612,\"int\":7,\"list\":[\"a\",1],"
                + "\"long53\":9007199254740992,\"long53plus1\":9007199254740992,\"longMax\":9223372036854776000,"
                + "\"nested\":{\"x\":[],\"y\":1},\"null\":null,\"short\":-3,\"zero\":0}");
    }

    @Test
    void sortsEvenWhenTheMapHasItsOwnOrder() {
        TreeMap<String, Object> reversed = new TreeMap<>(Comparator.reverseOrder());
        reversed.put("a", 1);
        reversed.put("b", 2);
        assertThat(write(reversed)).isEqualTo("{\"a\":1,\"b\":2}");
        LinkedHashMap<String, Object> inserted = new LinkedHashMap<>();
        inserted.put("\ud83d\ude00", 1); // high surrogate D83D sorts below U+FB33 though the code point is higher
        inserted.put("\ufb33", 2);
        inserted.put("B", 3);
        inserted.put("a", 4);
        assertThat(write(inserted)).isEqualTo("{\"B\":3,\"a\":4,\"\ud83d\ude00\":1,\"\ufb33\":2}");
    }

    @Test
    void rejectsUnsupportedJavaValuesWithTheirPlace() {
        CanonicalBuffer out = new CanonicalBuffer().appendAscii("kept");
        Map<String, Object> m = Map.of("a", List.of(1, new Date(0)));
        assertThatThrownBy(() -> CanonicalJson.writeValue(m, out))
                .isInstanceOf(CanonicalJsonException.class)
                .hasMessageContaining("unsupported value of type java.util.Date")
                .hasMessageContaining("(at $.a[1])");
        assertThat(out.toString()).isEqualTo("kept");

        assertThatThrownBy(() -> CanonicalJson.writeValue(Map.of(1, "x"), out))
                .isInstanceOf(CanonicalJsonException.class).hasMessageContaining("JSON member names must be Strings");
        assertThatThrownBy(() -> CanonicalJson.writeValue(new StringBuilder("x"), out))
                .isInstanceOf(CanonicalJsonException.class);
        assertThatThrownBy(() -> CanonicalJson.writeValue(BigInteger.TEN.pow(400), out))
                .isInstanceOf(CanonicalJsonException.class).hasMessageContaining("outside the range");
        assertThatThrownBy(() -> CanonicalJson.writeValue(new BigDecimal("1e400"), out))
                .isInstanceOf(CanonicalJsonException.class).hasMessageContaining("outside the range");
        assertThat(out.toString()).isEqualTo("kept");
    }

    @Test
    void stopsOnAListThatContainsItself() {
        List<Object> loop = new ArrayList<>();
        loop.add(loop);
        assertThatThrownBy(() -> CanonicalJson.writeValue(loop, new CanonicalBuffer()))
                .isInstanceOf(CanonicalJsonException.class)
                .hasMessageContaining("nested deeper than " + CanonicalJson.MAX_DEPTH);
    }

    private static String canonical(String s) {
        CanonicalBuffer out = new CanonicalBuffer();
        CanonicalJson.writeValue(s, out);
        String direct = out.toString();
        assertThat(CanonicalJson.canonicalize(direct)).isEqualTo(direct);
        return direct;
    }

    private static String write(Object value) {
        CanonicalBuffer out = new CanonicalBuffer(8);
        CanonicalJson.writeValue(value, out);
        return out.toString();
    }

    static String hex(byte[] bytes) {
        StringBuilder sb = new StringBuilder();
        for (byte b : bytes) {
            sb.append(String.format("%02x", b & 0xFF));
        }
        return sb.toString();
    }
}
