package io.vigil.ledger.checkpoint;

import io.vigil.ledger.Hash;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class CheckpointProperties {
    private static final SigningKey KEY = SigningKey.generate("example.com/props");

    @Provide
    Arbitrary<String> lines() {
        // Any one-line text a note can hold: printable ASCII, Latin-1, CJK, and astral (surrogate pair) characters.
        Arbitrary<String> bmp = Arbitraries.strings().withCharRange(' ', '~').withCharRange('\u00a0', '\u024f')
                .withCharRange('\u4e00', '\u4e2f').ofMinLength(1).ofMaxLength(40);
        Arbitrary<String> astral = Arbitraries.of("\ud83d\ude00", "\ud800\udc00", "\udbff\udfff");
        return Arbitraries.oneOf(bmp, Arbitraries.strings().withCharRange('a', 'z').ofMinLength(0).ofMaxLength(5)
                .flatMap(s -> astral.map(a -> s + a)));
    }

    @Provide
    Arbitrary<Long> sizes() {
        return Arbitraries.oneOf(Arbitraries.longs().between(0, Long.MAX_VALUE), Arbitraries.of(0L, 1L,
                Long.MAX_VALUE), Arbitraries.longs().between(0, 1000));
    }

    @Provide
    Arbitrary<Hash> roots() {
        return Arbitraries.bytes().array(byte[].class).ofSize(Hash.LENGTH).map(Hash::of);
    }

    @Property(tries = 300)
    void bodiesRoundTrip(@ForAll("lines") String origin, @ForAll("sizes") long size, @ForAll("roots") Hash root,
            @ForAll @Size(max = 3) List<@From("lines") String> extensions) {
        Checkpoint c = new Checkpoint(origin, size, root, extensions);
        assertThat(Checkpoint.parseBody(c.body())).isEqualTo(c);
    }

    @Property(tries = 200)
    void signedCheckpointsRoundTripAndVerify(@ForAll("lines") String origin, @ForAll("sizes") long size,
            @ForAll("roots") Hash root) throws CheckpointException {
        SignedCheckpoint sc = SignedCheckpoint.sign(new Checkpoint(origin, size, root), KEY);
        String encoded = sc.encode();
        SignedCheckpoint back = SignedCheckpoint.parse(encoded);
        assertThat(back).isEqualTo(sc);
        assertThat(back.encode()).isEqualTo(encoded);
        back.verify(KEY.verifierKey());
    }

    @Property(tries = 100)
    void anyChangeToTheBodyBreaksTheSignature(@ForAll("sizes") long size, @ForAll("roots") Hash root,
            @ForAll("roots") Hash otherRoot) {
        SignedCheckpoint sc = SignedCheckpoint.sign(new Checkpoint("example.com/props", size, root), KEY);
        Checkpoint changed = new Checkpoint("example.com/props", size == 0 ? 1 : size - 1, root);
        SignedNote moved = SignedNote.parse(changed.body() + sc.encode().substring(sc.note().text().length()));
        assertThat(moved.verifiedBy(KEY.verifierKey())).isFalse();
        if (!otherRoot.equals(root)) {
            Checkpoint rerooted = new Checkpoint("example.com/props", size, otherRoot);
            SignedNote n = SignedNote.parse(rerooted.body() + sc.encode().substring(sc.note().text().length()));
            assertThat(n.verifiedBy(KEY.verifierKey())).isFalse();
        }
    }
}
