package io.vigil.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.assertj.core.api.Assertions.assertThat;

class KeysCommandTest {
    private static final String KEY = "vk_[a-z0-9]+_[A-Za-z0-9_-]{43}";

    @Test
    void createPrintsTheKeyAsTheOnlyLineOnStdout(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("server");
        Cli.Result r = Cli.run("keys", "create", "--dir", dir.toString(), "--tenant", "acme", "--scope", "ingest",
                "--scope", "READ", "--name", "checkout service");
        assertThat(r.exit()).as(r.toString()).isEqualTo(0);
        assertThat(r.out()).matches(KEY + "\\R");
        String secret = r.out().strip();
        String id = secret.substring(3, secret.indexOf('_', 3));
        assertThat(r.err()).contains(id).contains("only time").doesNotContain(secret);
        assertThat(Files.readString(dir.resolve("keys.json"))).doesNotContain(secret.substring(secret.length() - 43));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir))).isEqualTo("rwx------");

        Cli.Result list = Cli.run("keys", "list", "--dir", dir.toString());
        assertThat(list.exit()).as(list.toString()).isEqualTo(0);
        assertThat(list.out()).contains("id").contains("tenant").contains("scopes").contains("revoked")
                .contains(id).contains("acme").contains("ingest,read").contains("checkout service")
                .contains("(1 key)").doesNotContain(secret).doesNotContain(secret.substring(secret.length() - 43));
        String row = list.out().lines().filter(l -> l.startsWith(id)).findFirst().orElseThrow();
        assertThat(row).endsWith("-");
    }

    @Test
    void revokedKeysAreListedAsRevoked(@TempDir Path dir) {
        String secret = Cli.run("keys", "create", "--dir", dir.toString(), "--tenant", "acme", "--scope", "admin")
                .out().strip();
        String id = secret.substring(3, secret.indexOf('_', 3));
        Cli.run("keys", "create", "--dir", dir.toString(), "--tenant", "other", "--scope", "read");

        Cli.Result revoke = Cli.run("keys", "revoke", "--dir", dir.toString(), id);
        assertThat(revoke.exit()).as(revoke.toString()).isEqualTo(0);
        assertThat(revoke.out()).contains("revoked key " + id);
        Cli.Result again = Cli.run("keys", "revoke", "--dir", dir.toString(), id);
        assertThat(again.exit()).isEqualTo(0);
        assertThat(again.out()).contains("already revoked");

        Cli.Result list = Cli.run("keys", "list", "--dir", dir.toString(), "--tenant", "acme");
        assertThat(list.exit()).isEqualTo(0);
        String row = list.out().lines().filter(l -> l.startsWith(id)).findFirst().orElseThrow();
        assertThat(row).matches(".*\\d{4}-\\d\\d-\\d\\dT.*Z\\s+\\d{4}-\\d\\d-\\d\\dT.*Z$");
        assertThat(list.out()).doesNotContain("other").contains("(1 key)");

        assertThat(Cli.run("keys", "list", "--dir", dir.toString(), "--tenant", "nobody").out().strip())
                .isEqualTo("no keys for tenant nobody");
    }

    @Test
    void revokingAnUnknownKeyFails(@TempDir Path dir) {
        Cli.run("keys", "create", "--dir", dir.toString(), "--tenant", "acme", "--scope", "ingest");
        Cli.Result r = Cli.run("keys", "revoke", "--dir", dir.toString(), "nosuchkey123");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("no key with id 'nosuchkey123'").contains("vigil keys list");
    }

    @Test
    void anEmptyDirectoryHasNoKeys(@TempDir Path dir) {
        Cli.Result r = Cli.run("keys", "list", "--dir", dir.toString());
        assertThat(r.exit()).isEqualTo(0);
        assertThat(r.out().strip()).isEqualTo("no keys");
    }

    @Test
    void badUsageSaysWhatToChange(@TempDir Path dir) {
        String d = dir.toString();
        Cli.Result scope = Cli.run("keys", "create", "--dir", d, "--tenant", "acme", "--scope", "write");
        assertThat(scope.exit()).isEqualTo(2);
        assertThat(scope.err()).contains("'write' is not a scope: use ingest, read or admin");
        assertThat(scope.out()).isEmpty();

        Cli.Result tenant = Cli.run("keys", "create", "--dir", d, "--tenant", "Acme Corp", "--scope", "read");
        assertThat(tenant.exit()).isEqualTo(2);
        assertThat(tenant.err()).contains("tenant 'Acme Corp' is not allowed").contains("lowercase letters");
        assertThat(tenant.out()).isEmpty();

        Cli.Result noScope = Cli.run("keys", "create", "--dir", d, "--tenant", "acme");
        assertThat(noScope.exit()).isEqualTo(2);
        assertThat(noScope.err()).contains("--scope");

        Cli.Result name = Cli.run("keys", "create", "--dir", d, "--tenant", "acme", "--scope", "read", "--name",
                "x".repeat(101));
        assertThat(name.exit()).isEqualTo(2);
        assertThat(name.err()).contains("at most 100");

        Cli.Result missing = Cli.run("keys", "list", "--dir", dir.resolve("nope").toString());
        assertThat(missing.exit()).isEqualTo(2);
        assertThat(missing.err()).contains("does not exist");
        assertThat(Files.exists(dir.resolve("nope"))).isFalse();

        Cli.Result noId = Cli.run("keys", "revoke", "--dir", d);
        assertThat(noId.exit()).isEqualTo(2);
        assertThat(noId.err()).contains("ID");

        Cli.Result bare = Cli.run("keys");
        assertThat(bare.exit()).isEqualTo(2);
        assertThat(bare.err()).contains("vigil keys create");
    }

    @Test
    void aCorruptKeysFileIsAFailureNamingTheFile(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("keys.json"), "not json");
        Cli.Result r = Cli.run("keys", "list", "--dir", dir.toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains(dir.resolve("keys.json").toString()).contains("not valid");
    }

    @Test
    void helpHasAnExampleForEachCommand() {
        for (String sub : new String[] {"create", "list", "revoke"}) {
            Cli.Result r = Cli.run("keys", sub, "--help");
            assertThat(r.exit()).isEqualTo(0);
            assertThat(r.out()).contains("vigil keys " + sub + " --dir");
        }
        assertThat(Cli.run("--help").out()).contains("keys");
    }
}
