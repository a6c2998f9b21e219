package io.vigil.server;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Whatever a client presents, authentication answers without throwing, and only the exact secret gets in. */
class AuthenticatePropertyTest {
    private static Path dir;
    private static ApiKeys keys;
    private static CreatedKey key;

    @BeforeContainer
    static void open() throws IOException {
        dir = Files.createTempDirectory("api-keys");
        keys = ApiKeys.open(dir);
        key = keys.create("acme", Set.of(Scope.INGEST), Optional.empty());
        keys.create("other", Set.of(Scope.READ), Optional.empty());
    }

    @AfterContainer
    static void delete() throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    @Property(tries = 2000)
    void anyStringIsAnsweredAndOnlyTheSecretGetsIn(@ForAll("presented") String presented) {
        Optional<ApiKey> r = keys.authenticate(presented);
        assertThat(r.isPresent()).isEqualTo(presented.equals(key.secret()));
    }

    @Provide
    Arbitrary<String> presented() {
        String s = key.secret();
        Arbitrary<Integer> positions = Arbitraries.integers().between(0, s.length() - 1);
        Arbitrary<Character> chars = Arbitraries.chars().with("Az09_-~ \u0000\u00e9".toCharArray())
                .ascii().alpha().numeric();
        Arbitrary<String> oneCharChanged = positions.flatMap(i -> chars.map(c -> s.substring(0, i) + c
                + s.substring(i + 1)));
        Arbitrary<String> cut = positions.map(i -> s.substring(0, i));
        Arbitrary<String> withTail = Arbitraries.strings().ofMaxLength(5).map(t -> s + t);
        Arbitrary<String> sameShape = Arbitraries.strings()
                .withChars("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-").ofLength(43)
                .map(t -> "vk_" + key.key().id() + "_" + t);
        return Arbitraries.oneOf(Arbitraries.strings(), Arbitraries.strings().ascii(), oneCharChanged, cut, withTail,
                sameShape, Arbitraries.just(s));
    }
}
