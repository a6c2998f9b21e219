package io.vigil.cli;

import io.vigil.ledger.checkpoint.KeyFiles;
import io.vigil.ledger.checkpoint.SigningKey;
import io.vigil.ledger.checkpoint.VerifierKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.assertj.core.api.Assertions.assertThat;

class KeygenCommandTest {

    @Test
    void writesAPrivateFileOnlyItsOwnerCanReadAndPrintsThePublicKey(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("keys");
        Cli.Result r = Cli.run("keygen", "--name", "example.com/audit", "--out", dir.toString());
        assertThat(r.exit()).as(r.toString()).isEqualTo(0);
        Path priv = dir.resolve("example.com_audit.key");
        Path pub = dir.resolve("example.com_audit.pub");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(priv))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir))).isEqualTo("rwx------");
        SigningKey signer = KeyFiles.readPrivate(priv);
        VerifierKey verifier = KeyFiles.readPublic(pub);
        assertThat(signer.verifierKey()).isEqualTo(verifier);
        assertThat(verifier.name()).isEqualTo("example.com/audit");
        assertThat(r.out().strip()).as("stdout is just the public key").isEqualTo(verifier.encode());
        assertThat(r.err()).contains(priv.toString()).contains("0600").contains(pub.toString());
        assertThat(r.out()).doesNotContain("PRIVATE");
        assertThat(r.err()).doesNotContain("PRIVATE+KEY");
    }

    @Test
    void neverOverwritesAKey(@TempDir Path tmp) throws Exception {
        assertThat(Cli.run("keygen", "--name", "a", "--out", tmp.toString()).exit()).isEqualTo(0);
        String before = Files.readString(tmp.resolve("a.key"));
        Cli.Result again = Cli.run("keygen", "--name", "a", "--out", tmp.toString());
        assertThat(again.exit()).isEqualTo(2);
        assertThat(again.err()).contains("already exists").contains("refusing to overwrite");
        assertThat(Files.readString(tmp.resolve("a.key"))).isEqualTo(before);

        Files.writeString(tmp.resolve("only.pub"), "something");
        Cli.Result pubExists = Cli.run("keygen", "--name", "b", "--private", tmp.resolve("new.key").toString(),
                "--public", tmp.resolve("only.pub").toString());
        assertThat(pubExists.exit()).isEqualTo(2);
        assertThat(Files.exists(tmp.resolve("new.key"))).as("nothing written when one file exists").isFalse();
    }

    @Test
    void explicitFilesWork(@TempDir Path tmp) throws Exception {
        Cli.Result r = Cli.run("keygen", "--name", "signer", "--private", tmp.resolve("s.key").toString(),
                "--public", tmp.resolve("s.pub").toString());
        assertThat(r.exit()).as(r.toString()).isEqualTo(0);
        assertThat(KeyFiles.readPublic(tmp.resolve("s.pub")).encode()).isEqualTo(r.out().strip());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(tmp.resolve("s.key"))))
                .isEqualTo("rw-------");
    }

    @Test
    void aGeneratedKeyVerifiesALedgerItSigned(@TempDir Path tmp) throws Exception {
        Cli.Result r = Cli.run("keygen", "--name", "k", "--out", tmp.toString());
        assertThat(r.exit()).isEqualTo(0);
        // the public key string printed is accepted by verify --key as is
        Path demo = Cli.demo(tmp.resolve("demo"), 50, 1);
        Cli.Result wrongSigner = Cli.run("verify", demo.toString(), "--key", r.out().strip());
        assertThat(wrongSigner.exit()).as("the demo was signed by the demo key, not this one").isEqualTo(1);
    }

    @Test
    void badUsageIsExplained(@TempDir Path tmp) {
        Cli.Result noDest = Cli.run("keygen", "--name", "x");
        assertThat(noDest.exit()).isEqualTo(2);
        assertThat(noDest.err()).contains("--out DIR").contains("--private FILE --public FILE");

        Cli.Result half = Cli.run("keygen", "--name", "x", "--private", tmp.resolve("x.key").toString());
        assertThat(half.exit()).isEqualTo(2);
        assertThat(half.err()).contains("go together");

        Cli.Result both = Cli.run("keygen", "--name", "x", "--out", tmp.toString(), "--private",
                tmp.resolve("x.key").toString(), "--public", tmp.resolve("x.pub").toString());
        assertThat(both.exit()).isEqualTo(2);
        assertThat(both.err()).contains("not both");

        Cli.Result badName = Cli.run("keygen", "--name", "has space", "--out", tmp.toString());
        assertThat(badName.exit()).isEqualTo(2);
        assertThat(badName.err()).contains("--name 'has space' is not a valid key name");

        Cli.Result noName = Cli.run("keygen", "--out", tmp.toString());
        assertThat(noName.exit()).isEqualTo(2);
        assertThat(noName.err()).contains("--name");

        Cli.Result sameFile = Cli.run("keygen", "--name", "x", "--private", tmp.resolve("k").toString(), "--public",
                tmp.resolve("k").toString());
        assertThat(sameFile.exit()).isEqualTo(2);
        assertThat(sameFile.err()).contains("different files");
    }
}
