package io.vigil.ledger.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.json.CanonicalBuffer;
import io.vigil.json.CanonicalJson;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Where the scanner says each member of an object is, a JSON parser finds the same name and value. */
class LineScannerMembersTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Property(tries = 500)
    void membersAreWhereAParserFindsThem(@ForAll("objects") Map<String, Object> object) throws Exception {
        CanonicalBuffer out = new CanonicalBuffer(64);
        CanonicalJson.writeValue(object, out);
        byte[] b = out.toByteArray();
        int[] members = new int[4 * 64];
        int n = LineScanner.members(b, 0, b.length, members);
        assertThat(n).isEqualTo(object.size());
        List<String> names = new ArrayList<>();
        for (int k = 0; k < n; k++) {
            String name = new String(b, members[4 * k], members[4 * k + 1] - members[4 * k], StandardCharsets.UTF_8);
            names.add(JSON.readValue("\"" + name + "\"", String.class));
            Object value = JSON.readValue(b, members[4 * k + 2], members[4 * k + 3] - members[4 * k + 2], Object.class);
            JsonNode got = JSON.valueToTree(value);
            JsonNode want = JSON.valueToTree(object.get(names.get(k)));
            // numbers compare by value: the writer's Long reads back as an int where it fits
            assertThat(got.equals((x, y) -> x.isNumber() && y.isNumber()
                    ? x.decimalValue().compareTo(y.decimalValue()) : x.equals(y) ? 0 : 1, want))
                    .as("%s vs %s", got, want).isTrue();
        }
        assertThat(names).containsExactlyInAnyOrderElementsOf(object.keySet());
    }

    @Example
    void anEmptyObjectHasNoMembersAndBrokenOnesAreRefused() {
        assertThat(LineScanner.members("{}".getBytes(StandardCharsets.UTF_8), 0, 2, new int[8])).isZero();
        byte[] torn = "{\"a\":\"b".getBytes(StandardCharsets.UTF_8);
        assertThat(LineScanner.members(torn, 0, torn.length, new int[8])).isEqualTo(-1);
    }

    @Example
    void aLineScanRecordsItsTopLevelMembersOnly() {
        byte[] line = ("{\"actor\":{\"id\":\"a\"},\"hash\":\"" + "0".repeat(64) + "\",\"prevHash\":\"" + "1".repeat(64)
                + "\",\"seq\":7,\"type\":\"x\"}").getBytes(StandardCharsets.UTF_8);
        int[] members = new int[4 * 8];
        LineScanner s = LineScanner.scan(line, 0, line.length, members);
        assertThat(s.error()).isNull();
        assertThat(s.seq()).isEqualTo(7);
        assertThat(s.memberCount()).isEqualTo(5);
        assertThat(new String(line, members[2], members[3] - members[2], StandardCharsets.UTF_8)).isEqualTo("{\"id\":\"a\"}");
    }

    @Provide
    Arbitrary<Map<String, Object>> objects() {
        Arbitrary<String> text = Arbitraries.strings().withCharRange('\u0020', '\u00ff').withChars("\"\\\n\t{}[],:")
                .ofMaxLength(10);
        Arbitrary<Object> scalar = Arbitraries.oneOf(text, Arbitraries.longs().between(-1_000_000, 1_000_000),
                Arbitraries.of(true, false));
        Arbitrary<Object> nested = Arbitraries.maps(text, scalar).ofMaxSize(3).map(m -> (Object) m);
        Arbitrary<Object> list = scalar.list().ofMaxSize(3).map(l -> (Object) l);
        return Arbitraries.maps(text, Arbitraries.oneOf(scalar, nested, list)).ofMaxSize(8);
    }
}
