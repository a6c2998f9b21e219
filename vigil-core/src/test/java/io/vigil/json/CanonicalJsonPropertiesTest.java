package io.vigil.json;

import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class CanonicalJsonPropertiesTest {
    /** Another serializer, to produce the same values in non-canonical form: indented, escaped, unsorted. */
    static final ObjectMapper JACKSON = JsonMapper.builder()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(JsonWriteFeature.ESCAPE_NON_ASCII)
            .build();

    @Provide
    Arbitrary<Object> jsonValues() {
        return JsonArbitraries.jsonValues(3);
    }

    @Property(tries = 2_000)
    void canonicalFormIsAFixedPoint(@ForAll("jsonValues") Object value) {
        String canonical = write(value);
        assertThat(CanonicalJson.canonicalize(canonical)).isEqualTo(canonical);
        assertThat(CanonicalJson.canonicalize(canonical.getBytes(StandardCharsets.UTF_8)))
                .isEqualTo(canonical.getBytes(StandardCharsets.UTF_8));
    }

    @Property(tries = 2_000)
    void anyOtherSerializationCanonicalizesToTheSameBytes(@ForAll("jsonValues") Object value) throws Exception {
        String other = JACKSON.writeValueAsString(value);
        assertThat(CanonicalJson.canonicalize(other)).isEqualTo(write(value));
    }

    @Property(tries = 2_000)
    void readingTheCanonicalFormBackGivesTheSameCanonicalForm(@ForAll("jsonValues") Object value) throws Exception {
        String canonical = write(value);
        Object reread = JACKSON.readValue(canonical, Object.class); // Integer/Long/BigInteger/Double, LinkedHashMap
        assertThat(write(reread)).isEqualTo(canonical);
    }

    @Property(tries = 2_000)
    void membersAreSortedByUtf16CodeUnits(@ForAll("jsonValues") Object value) throws Exception {
        Object reread = JACKSON.readValue(write(value), Object.class);
        assertSorted(reread);
    }

    @Property(tries = 1_000)
    void noInsignificantWhitespaceAndOnlyRequiredEscapes(@ForAll("jsonValues") Object value) {
        String canonical = write(value);
        // outside strings there is no whitespace; inside, no escape other than the seven short ones and \\u00xx
        StringBuilder outside = new StringBuilder();
        boolean inString = false;
        for (int i = 0; i < canonical.length(); i++) {
            char c = canonical.charAt(i);
            if (inString) {
                if (c == '\\') {
                    char next = canonical.charAt(++i);
                    assertThat("\"\\bfnrtu").contains(String.valueOf(next));
                    if (next == 'u') {
                        String hex = canonical.substring(i + 1, i + 5);
                        assertThat(hex).matches("00[01][0-9a-f]");
                        assertThat(hex).isNotIn("0008", "0009", "000a", "000c", "000d");
                        i += 4;
                    }
                } else if (c == '"') {
                    inString = false;
                } else {
                    assertThat((int) c).isGreaterThanOrEqualTo(0x20);
                }
            } else if (c == '"') {
                inString = true;
            } else {
                outside.append(c);
            }
        }
        assertThat(outside.toString()).doesNotContain(" ", "\n", "\t", "\r");
    }

    private static void assertSorted(Object v) {
        if (v instanceof Map<?, ?> m) {
            List<String> keys = new ArrayList<>();
            for (Object k : m.keySet()) {
                keys.add((String) k);
            }
            for (int i = 1; i < keys.size(); i++) {
                assertThat(compareCodeUnits(keys.get(i - 1), keys.get(i))).as("%s before %s", keys.get(i - 1), keys.get(i))
                        .isNegative();
            }
            m.values().forEach(CanonicalJsonPropertiesTest::assertSorted);
        } else if (v instanceof List<?> l) {
            l.forEach(CanonicalJsonPropertiesTest::assertSorted);
        }
    }

    /** RFC 8785 §3.2.3, written out rather than relying on String.compareTo. */
    private static int compareCodeUnits(String a, String b) {
        char[] x = a.toCharArray();
        char[] y = b.toCharArray();
        for (int i = 0; i < Math.min(x.length, y.length); i++) {
            if (x[i] != y[i]) {
                return Integer.compare(x[i], y[i]);
            }
        }
        return Integer.compare(x.length, y.length);
    }

    static String write(Object value) {
        CanonicalBuffer out = new CanonicalBuffer(16);
        CanonicalJson.writeValue(value, out);
        return out.toString();
    }
}
