package io.vigil.server;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ApiKeysTest {
    private static final Instant T0 = Instant.parse("2026-03-02T10:00:00Z");
    private static final Set<Scope> INGEST = Set.of(Scope.INGEST);

    @Test
    void aCreatedKeyAuthenticatesWithItsSecretOnly(@TempDir Path dir) throws IOException {
        ApiKeys keys = ApiKeys.open(dir, new MutableClock(T0));
        CreatedKey made = keys.create("acme", Set.of(Scope.INGEST, Scope.READ), Optional.of("checkout service"));
        ApiKey key = made.key();
        assertThat(made.secret()).matches("vk_" + key.id() + "_[A-Za-z0-9_-]{43}");
        assertThat(key.id()).matches("[a-z2-7]{12}");
        assertThat(key.tenant()).isEqualTo("acme");
        assertThat(key.name()).contains("checkout service");
        assertThat(key.created()).isEqualTo(T0);
        assertThat(key.active()).isTrue();

        assertThat(keys.authenticate(made.secret())).contains(key);
        String s = made.secret();
        char last = s.charAt(s.length() - 1);
        String wrong = s.substring(0, s.length() - 1) + (last == 'A' ? 'B' : 'A');
        assertThat(keys.authenticate(wrong)).as("wrong secret").isEmpty();
        assertThat(keys.authenticate("vk_zzzzzzzzzzzz_" + secretPart(s))).as("unknown id").isEmpty();
        assertThat(keys.authenticate("")).isEmpty();
        assertThat(keys.authenticate("vk_")).isEmpty();
        assertThat(keys.authenticate(s + "x")).as("too long").isEmpty();
        assertThat(keys.authenticate(" " + s)).isEmpty();
        assertThat(keys.authenticate("Bearer " + s)).isEmpty();
        assertThat(keys.authenticate(s.toUpperCase())).isEmpty();
        assertThat(made.toString()).doesNotContain(secretPart(s));
    }

    @Test
    void scopesAreWhatTheKeyWasGiven(@TempDir Path dir) throws IOException {
        ApiKeys keys = ApiKeys.open(dir);
        ApiKey ingest = keys.create("acme", INGEST, Optional.empty()).key();
        ApiKey all = keys.create("acme", EnumSet.allOf(Scope.class), Optional.empty()).key();
        assertThat(ingest.allows(Scope.INGEST)).isTrue();
        assertThat(ingest.allows(Scope.READ)).isFalse();
        assertThat(ingest.allows(Scope.ADMIN)).isFalse();
        assertThat(all.scopes()).containsExactly(Scope.INGEST, Scope.READ, Scope.ADMIN);
        assertThat(ApiKeys.open(dir).list()).containsExactly(ingest, all);
    }

    @Test
    void aRevokedKeyLetsNoOneInAndKeepsItsFirstRevocation(@TempDir Path dir) throws IOException {
        MutableClock clock = new MutableClock(T0);
        ApiKeys keys = ApiKeys.open(dir, clock);
        CreatedKey made = keys.create("acme", INGEST, Optional.empty());
        clock.advance(Duration.ofMinutes(5));
        assertThat(keys.revoke(made.key().id())).isTrue();
        assertThat(keys.authenticate(made.secret())).isEmpty();
        clock.advance(Duration.ofMinutes(5));
        assertThat(keys.revoke(made.key().id())).as("revoking twice").isTrue();
        ApiKey revoked = ApiKeys.open(dir).list().get(0);
        assertThat(revoked.revoked()).contains(T0.plus(Duration.ofMinutes(5)));
        assertThat(revoked.active()).isFalse();
        assertThat(revoked.allows(Scope.INGEST)).isFalse();
        assertThat(keys.revoke("nosuchkey1")).isFalse();
    }

    @Test
    void theFileHoldsNoSecretAndOnlyItsOwnerCanReadIt(@TempDir Path tmp) throws IOException {
        Path dir = tmp.resolve("server");
        ApiKeys keys = ApiKeys.open(dir);
        List<String> secrets = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            secrets.add(keys.create("t" + i, INGEST, Optional.of("k" + i)).secret());
        }
        Path file = dir.resolve("keys.json");
        String raw = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
        for (String s : secrets) {
            assertThat(raw).doesNotContain(s).doesNotContain(secretPart(s));
        }
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir))).isEqualTo("rwx------");
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).as("no temporary file left")
                    .containsExactlyInAnyOrder("keys.json", "keys.lock");
        }
    }

    @Test
    void anotherInstanceSeesChangesAfterTheReReadInterval(@TempDir Path dir) throws IOException {
        MutableClock clock = new MutableClock(T0);
        ApiKeys cli = ApiKeys.open(dir, clock);
        ApiKeys server = ApiKeys.open(dir, clock);
        CreatedKey made = cli.create("acme", INGEST, Optional.empty());
        assertThat(server.authenticate(made.secret())).as("within the second, the file is not looked at").isEmpty();
        clock.advance(Duration.ofMillis(999));
        assertThat(server.list()).isEmpty();
        clock.advance(Duration.ofMillis(1));
        assertThat(server.authenticate(made.secret())).contains(made.key());

        cli.revoke(made.key().id());
        assertThat(server.authenticate(made.secret())).isPresent();
        clock.advance(Duration.ofSeconds(1));
        assertThat(server.authenticate(made.secret())).isEmpty();
        assertThat(server.list()).singleElement().satisfies(k -> assertThat(k.active()).isFalse());
    }

    @Test
    void aRunningInstanceKeepsItsKeysWhenTheFileGoesBad(@TempDir Path dir) throws IOException {
        MutableClock clock = new MutableClock(T0);
        ApiKeys server = ApiKeys.open(dir, clock);
        CreatedKey made = server.create("acme", INGEST, Optional.empty());
        Files.writeString(dir.resolve("keys.json"), "{\"format\": \"vigil-api-keys/1\", \"keys\": [");
        clock.advance(Duration.ofSeconds(2));
        assertThat(server.authenticate(made.secret())).contains(made.key());
        assertThatThrownBy(() -> server.create("acme", INGEST, Optional.empty()))
                .as("a write never builds on a file it cannot read").isInstanceOf(IOException.class);
    }

    @Test
    void concurrentCreatesFromTwoInstancesLoseNothing(@TempDir Path dir) throws Exception {
        ApiKeys a = ApiKeys.open(dir);
        ApiKeys b = ApiKeys.open(dir);
        int threads = 8;
        int each = 10;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<List<CreatedKey>>> futures = new ArrayList<>();
        try {
            for (int t = 0; t < threads; t++) {
                ApiKeys keys = t % 2 == 0 ? a : b;
                String tenant = "tenant-" + t;
                futures.add(pool.submit(() -> {
                    List<CreatedKey> made = new ArrayList<>();
                    for (int i = 0; i < each; i++) {
                        made.add(keys.create(tenant, INGEST, Optional.empty()));
                    }
                    return made;
                }));
            }
            List<CreatedKey> made = new ArrayList<>();
            for (Future<List<CreatedKey>> f : futures) {
                made.addAll(f.get());
            }
            ApiKeys fresh = ApiKeys.open(dir);
            assertThat(fresh.list()).hasSize(threads * each);
            Set<String> ids = fresh.list().stream().map(ApiKey::id).collect(Collectors.toSet());
            assertThat(ids).hasSize(threads * each);
            assertThat(new HashSet<>(made.stream().map(CreatedKey::secret).toList())).hasSize(threads * each);
            for (CreatedKey k : made) {
                assertThat(fresh.authenticate(k.secret())).contains(k.key());
            }
            assertThat(fresh.list("tenant-3")).hasSize(each);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aCorruptFileIsRefusedWithItsNameAndTheProblem(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("keys.json");
        Files.writeString(file, "{\"format\": \"vigil-api-keys/1\", \"keys\": [ {\"id\": ");
        assertThatThrownBy(() -> ApiKeys.open(dir)).isInstanceOf(IOException.class)
                .hasMessageContaining(file.toString()).hasMessageContaining("not valid JSON at line 1");

        Files.writeString(file, "");
        assertThatThrownBy(() -> ApiKeys.open(dir)).hasMessageContaining(file.toString()).hasMessageContaining("empty");

        Files.writeString(file, "[]");
        assertThatThrownBy(() -> ApiKeys.open(dir)).hasMessageContaining("expected a JSON object");

        ApiKeys.open(dir.resolve("good")).create("acme", INGEST, Optional.empty());
        String good = Files.readString(dir.resolve("good/keys.json"));
        Files.writeString(file, good.replace("\"ingest\"", "\"write\""));
        assertThatThrownBy(() -> ApiKeys.open(dir)).hasMessageContaining(file.toString())
                .hasMessageContaining("key 1: unknown scope 'write'");

        Files.writeString(file, good.replace("\"acme\"", "\"Acme Corp\""));
        assertThatThrownBy(() -> ApiKeys.open(dir)).hasMessageContaining("key 1: tenant 'Acme Corp' is not allowed");

        Files.writeString(file, good.replaceAll("\"sha256\" : \"[0-9a-f]+\"", "\"sha256\" : \"abc\""));
        assertThatThrownBy(() -> ApiKeys.open(dir)).hasMessageContaining("\"sha256\" must be 64 lowercase hex");
    }

    @Test
    void badInputIsRefusedWithWhatIsAllowed(@TempDir Path dir) throws IOException {
        ApiKeys keys = ApiKeys.open(dir);
        assertThatThrownBy(() -> keys.create("Acme", INGEST, Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("tenant 'Acme' is not allowed").hasMessageContaining("lowercase letters");
        assertThatThrownBy(() -> keys.create("../etc", INGEST, Optional.empty()))
                .hasMessageContaining("tenant '../etc'");
        assertThatThrownBy(() -> keys.create("-x", INGEST, Optional.empty())).hasMessageContaining("starting with");
        assertThatThrownBy(() -> keys.create("a".repeat(64), INGEST, Optional.empty()))
                .hasMessageContaining("1 to 63 characters");
        assertThatThrownBy(() -> keys.create("acme", Set.of(), Optional.empty()))
                .hasMessageContaining("at least one scope").hasMessageContaining("ingest, read or admin");
        assertThatThrownBy(() -> keys.create("acme", INGEST, Optional.of("x".repeat(101))))
                .hasMessageContaining("101 characters").hasMessageContaining("at most 100");
        assertThatThrownBy(() -> keys.create("acme", INGEST, Optional.of("line\nbreak")))
                .hasMessageContaining("'line\\u000abreak' has a control character");
        assertThatThrownBy(() -> keys.list("UPPER")).hasMessageContaining("tenant 'UPPER' is not allowed");
        assertThat(keys.create("a", INGEST, Optional.of("x".repeat(100))).key().tenant()).isEqualTo("a");
        assertThat(keys.create("a0_-" + "z".repeat(59), INGEST, Optional.empty()).key().tenant()).hasSize(63);
        assertThat(keys.list()).hasSize(2);
    }

    @Test
    void listIsOldestFirstAndByTenant(@TempDir Path dir) throws IOException {
        MutableClock clock = new MutableClock(T0);
        ApiKeys keys = ApiKeys.open(dir, clock);
        ApiKey first = keys.create("b", INGEST, Optional.empty()).key();
        clock.advance(Duration.ofSeconds(1));
        ApiKey second = keys.create("a", INGEST, Optional.empty()).key();
        ApiKey third = keys.create("b", INGEST, Optional.empty()).key();
        assertThat(keys.list()).containsExactly(first, second, third);
        assertThat(keys.list("b")).containsExactly(first, third);
        assertThat(keys.list("nobody")).isEmpty();
    }

    /** The random part of {@code vk_<id>_<43 characters>}; base64url may itself hold {@code _}, so count from the end. */
    private static String secretPart(String secret) {
        return secret.substring(secret.length() - 43);
    }
}
