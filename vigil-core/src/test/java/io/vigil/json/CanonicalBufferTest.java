package io.vigil.json;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CanonicalBufferTest {

    @Test
    void growsAndIsReusableAfterReset() {
        CanonicalBuffer b = new CanonicalBuffer(0);
        String big = "x".repeat(10_000);
        b.appendString(big);
        assertThat(b.length()).isEqualTo(10_002);
        byte[] storage = b.array();
        b.reset();
        assertThat(b.length()).isZero();
        assertThat(b.toString()).isEmpty();
        b.appendAscii("{}");
        assertThat(b.array()).isSameAs(storage);
        assertThat(b.toByteArray()).containsExactly('{', '}');
    }

    @Test
    void writesItsContentOnly() throws IOException {
        CanonicalBuffer b = new CanonicalBuffer(64).appendString("h\u00e9").appendAscii(',').appendLong(-12);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        b.writeTo(out);
        assertThat(out.toByteArray()).isEqualTo("\"h\u00e9\",-12".getBytes(StandardCharsets.UTF_8));
        assertThat(b.toString()).isEqualTo("\"h\u00e9\",-12");
        assertThat(b.toByteArray()).hasSize(b.length());
    }

    @Test
    void encodesUtf8FromChars() {
        String s = "a\u00ff\u0800\uffff\ud800\udc00\udbff\udfff";
        CanonicalBuffer b = new CanonicalBuffer().appendString(s);
        assertThat(b.toByteArray()).isEqualTo(("\"" + s + "\"").getBytes(StandardCharsets.UTF_8));
        assertThat(b.length()).isEqualTo(1 + 1 + 2 + 3 + 3 + 4 + 4 + 1);
    }

    @Test
    void escapesManyControlCharactersWhileGrowing() {
        CanonicalBuffer b = new CanonicalBuffer(16);
        b.appendString("\u0001".repeat(1000) + "\u20ac".repeat(1000));
        assertThat(b.length()).isEqualTo(2 + 6 * 1000 + 3 * 1000);
        assertThat(b.toString()).startsWith("\"\\u0001\\u0001").endsWith("\u20ac\u20ac\"");
    }

    @Test
    void rejectsLoneSurrogatesAndKeepsWhatWasThere() {
        CanonicalBuffer b = new CanonicalBuffer().appendAscii("[");
        assertThatThrownBy(() -> b.appendString("ok\ud800")).isInstanceOf(CanonicalJsonException.class)
                .hasMessageContaining("lone surrogate U+D800 at index 2");
        assertThatThrownBy(() -> b.appendString("\udc00x")).isInstanceOf(CanonicalJsonException.class)
                .hasMessageContaining("lone surrogate U+DC00 at index 0");
        assertThatThrownBy(() -> b.appendString("\ud800\ud800")).isInstanceOf(CanonicalJsonException.class);
        assertThat(b.toString()).isEqualTo("[");
    }

    @Test
    void appendsLongs() {
        CanonicalBuffer b = new CanonicalBuffer(1);
        for (long v : new long[]{0, 7, -7, 10, 99, 100, Long.MAX_VALUE, Long.MIN_VALUE, Long.MIN_VALUE + 1,
                1_000_000_000_000_000_000L}) {
            b.reset().appendLong(v);
            assertThat(b.toString()).isEqualTo(Long.toString(v));
        }
    }

    @Test
    void appendAsciiRefusesOtherCharacters() {
        CanonicalBuffer b = new CanonicalBuffer();
        assertThatThrownBy(() -> b.appendAscii('\u00e9')).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> b.appendAscii("ab\u20ac")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("U+20AC at index 2");
        assertThatThrownBy(() -> new CanonicalBuffer(-1)).isInstanceOf(IllegalArgumentException.class);
    }
}
