package io.vigil.ledger.internal;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** The eight-bytes-at-a-time searches agree with a plain byte loop on every input and every sub-range. */
class SwarTest {

    @Provide
    Arbitrary<byte[]> lineBytes() {
        // Mostly bytes that matter (quote, backslash, newline, hex digits, the bytes next to the hex ranges), some
        // anything, so that matches land at every position of a word and next to each other.
        Arbitrary<Byte> interesting = Arbitraries.of((byte) '"', (byte) '\\', (byte) '\n', (byte) '0', (byte) '9',
                (byte) 'a', (byte) 'f', (byte) '/', (byte) ':', (byte) '`', (byte) 'g', (byte) 'A', (byte) 0x80,
                (byte) 0xFF, (byte) 0x00, (byte) 0x7F);
        Arbitrary<Byte> any = Arbitraries.bytes();
        return Arbitraries.frequencyOf(Tuple.of(3, interesting), Tuple.of(1, any))
                .array(byte[].class).ofMaxSize(80);
    }

    @Property(tries = 2000)
    void searchesAgreeWithAByteLoop(@ForAll("lineBytes") byte[] b, @ForAll int fromSeed, @ForAll int toSeed) {
        int from = b.length == 0 ? 0 : Math.floorMod(fromSeed, b.length + 1);
        int to = from + (b.length - from == 0 ? 0 : Math.floorMod(toSeed, b.length - from + 1));
        assertThat(Swar.indexOfQuoteOrBackslash(b, from, to)).isEqualTo(naiveQuoteOrBackslash(b, from, to));
        assertThat(Swar.indexOfNewline(b, from, to)).isEqualTo(naiveNewline(b, from, to));
        assertThat(Swar.isLowerHex(b, from, to)).isEqualTo(naiveHex(b, from, to));
    }

    @Property(tries = 500)
    void everyHexStringIsRecognised(@ForAll("hex64") String hex, @ForAll int position, @ForAll byte replacement) {
        byte[] b = hex.getBytes(StandardCharsets.US_ASCII);
        assertThat(Swar.isLowerHex(b, 0, b.length)).isTrue();
        int at = Math.floorMod(position, b.length);
        b[at] = replacement;
        assertThat(Swar.isLowerHex(b, 0, b.length)).isEqualTo(naiveHex(b, 0, b.length));
    }

    @Provide
    Arbitrary<String> hex64() {
        return Arbitraries.strings().withChars("0123456789abcdef").ofLength(64);
    }

    @Example
    void everySingleByteValueIsClassifiedLikeTheLoop() {
        for (int v = 0; v < 256; v++) {
            for (int pos = 0; pos < 16; pos++) {
                byte[] b = "00000000aaaaaaaa".getBytes(StandardCharsets.US_ASCII);
                b[pos] = (byte) v;
                assertThat(Swar.isLowerHex(b, 0, 16)).as("byte %d at %d", v, pos).isEqualTo(naiveHex(b, 0, 16));
                assertThat(Swar.indexOfQuoteOrBackslash(b, 0, 16)).isEqualTo(naiveQuoteOrBackslash(b, 0, 16));
                assertThat(Swar.indexOfNewline(b, 0, 16)).isEqualTo(naiveNewline(b, 0, 16));
            }
        }
    }

    private static int naiveQuoteOrBackslash(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] == '"' || b[i] == '\\') {
                return i;
            }
        }
        return to;
    }

    private static int naiveNewline(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    private static boolean naiveHex(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            byte c = b[i];
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
                return false;
            }
        }
        return true;
    }
}
