package io.vigil.json;

import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The measured size is the length of what the canonical codec writes, byte for byte. */
class CanonicalSizeTest {

    private static long written(Object value) {
        CanonicalBuffer out = new CanonicalBuffer(64);
        CanonicalJson.writeValue(value, out);
        return out.length();
    }

    @Provide
    Arbitrary<Object> jsonValues() {
        return JsonArbitraries.jsonValues(3);
    }

    @Property(tries = 2_000)
    void equalsTheLengthOfTheCanonicalBytes(@ForAll("jsonValues") Object value) {
        assertThat(new CanonicalSize().of(value)).isEqualTo(written(value));
    }

    @Test
    void escapesSurrogatesAndNumbersAreCountedAsWritten() {
        CanonicalSize size = new CanonicalSize();
        for (Object v : List.of("a\"b\\c\n\u0001", "\uD83D\uDE00 é 漢", 1e21, 0.1, -0.0, 9_007_199_254_740_993L,
                Map.of("k", List.of(true, false, 12L)), -42L)) {
            assertThat(size.of(v)).as("%s", v).isEqualTo(written(v));
        }
        assertThat(CanonicalSize.ofString("\u2028")).isEqualTo(written("\u2028"));
        assertThat(CanonicalSize.ofInteger(-1_234_567L)).isEqualTo(written(-1_234_567L));
    }
}
