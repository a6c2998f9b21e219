package io.vigil.ledger.checkpoint;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;

import static io.vigil.ledger.checkpoint.GoVectors.PETER_SECRET;
import static io.vigil.ledger.checkpoint.GoVectors.PETER_SKEY;
import static io.vigil.ledger.checkpoint.GoVectors.PETER_VKEY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class KeyFilesTest {
    @TempDir
    Path dir;

    private boolean posix() {
        return Files.getFileAttributeView(dir, PosixFileAttributeView.class) != null;
    }

    @Test
    void writesOwnerOnlyPrivateAndWorldReadablePublicFiles() throws Exception {
        SigningKey key = SigningKey.parse(PETER_SKEY);
        Path priv = dir.resolve("log.key");
        Path pub = dir.resolve("log.pub");
        KeyFiles.write(key, priv, pub);

        assertThat(Files.readString(priv)).isEqualTo(PETER_SKEY + "\n");
        assertThat(Files.readString(pub)).isEqualTo(PETER_VKEY + "\n");
        if (posix()) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(priv))).isEqualTo("rw-------");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(pub))).isEqualTo("rw-r--r--");
        }
        assertThat(KeyFiles.readPrivate(priv).encode()).isEqualTo(PETER_SKEY);
        assertThat(KeyFiles.readPublic(pub)).isEqualTo(key.verifierKey());
    }

    @Test
    void generatedKeysSurviveTheFiles() throws Exception {
        SigningKey key = SigningKey.generate("example.com/audit");
        KeyFiles.write(key, dir.resolve("k"), dir.resolve("k.pub"));
        SigningKey back = KeyFiles.readPrivate(dir.resolve("k"));
        byte[] msg = "m".getBytes(StandardCharsets.UTF_8);
        assertThat(KeyFiles.readPublic(dir.resolve("k.pub")).verify(msg, back.sign(msg))).isTrue();
    }

    @Test
    void neverOverwritesAndLeavesNothingBehind() throws Exception {
        SigningKey key = SigningKey.generate("k");
        Path priv = dir.resolve("k");
        Path pub = dir.resolve("k.pub");
        Files.writeString(priv, "precious\n");
        assertThatThrownBy(() -> KeyFiles.write(key, priv, pub)).isInstanceOf(FileAlreadyExistsException.class)
                .hasMessageContaining(priv.toString()).hasMessageContaining("refusing to overwrite");
        assertThat(Files.readString(priv)).isEqualTo("precious\n");
        assertThat(pub).doesNotExist();

        Files.delete(priv);
        Files.writeString(pub, "also precious\n");
        assertThatThrownBy(() -> KeyFiles.write(key, priv, pub)).isInstanceOf(FileAlreadyExistsException.class)
                .hasMessageContaining(pub.toString());
        assertThat(priv).doesNotExist(); // checked before anything is written
        assertThat(Files.readString(pub)).isEqualTo("also precious\n");

        assertThatThrownBy(() -> KeyFiles.write(key, dir.resolve("same"), dir.resolve("./same")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must differ");
    }

    @Test
    void aFailedPublicWriteRemovesThePrivateFile() {
        SigningKey key = SigningKey.generate("k");
        Path priv = dir.resolve("k");
        Path pub = dir.resolve("missing-dir").resolve("k.pub");
        assertThatThrownBy(() -> KeyFiles.write(key, priv, pub)).isInstanceOf(IOException.class);
        assertThat(priv).doesNotExist();
    }

    @Test
    void malformedFilesGetClearErrorsWithoutTheirContent() throws Exception {
        Path f = dir.resolve("bad.key");
        Files.writeString(f, PETER_SKEY.replace("c74f20a3", "c74f20a4") + "\n");
        assertThatThrownBy(() -> KeyFiles.readPrivate(f)).isInstanceOf(NoteFormatException.class)
                .hasMessageContaining("private key file " + f).hasMessageContaining("does not match")
                .hasMessageNotContaining(PETER_SECRET);

        Files.writeString(f, PETER_SKEY + "\n" + PETER_SKEY + "\n");
        assertThatThrownBy(() -> KeyFiles.readPrivate(f)).hasMessageContaining("exactly one line")
                .hasMessageNotContaining(PETER_SECRET);

        Files.writeString(f, "");
        assertThatThrownBy(() -> KeyFiles.readPrivate(f)).hasMessageContaining("is empty");

        Files.write(f, new byte[] {(byte) 0xff, (byte) 0xfe, 'x'});
        assertThatThrownBy(() -> KeyFiles.readPrivate(f)).hasMessageContaining("not UTF-8");

        Files.writeString(f, "x".repeat(5000));
        assertThatThrownBy(() -> KeyFiles.readPrivate(f)).hasMessageContaining("5000 bytes");

        Files.writeString(f, PETER_VKEY + "\n");
        assertThatThrownBy(() -> KeyFiles.readPrivate(f)).hasMessageContaining("PRIVATE+KEY+");
        Files.writeString(f, PETER_SKEY + "\n");
        assertThatThrownBy(() -> KeyFiles.readPublic(f)).isInstanceOf(NoteFormatException.class)
                .hasMessageContaining("public key file " + f);
        // CRLF line endings (a file edited on Windows) are fine.
        Files.writeString(f, PETER_VKEY + "\r\n");
        assertThat(KeyFiles.readPublic(f).encode()).isEqualTo(PETER_VKEY);
    }

    @Test
    void warnsWhenThePrivateFileIsReadableByOthers() throws Exception {
        assumeTrue(posix());
        Path priv = dir.resolve("k");
        KeyFiles.write(SigningKey.generate("k"), priv, dir.resolve("k.pub"));
        Logger logger = (Logger) LoggerFactory.getLogger(KeyFiles.class);
        ListAppender<ILoggingEvent> events = new ListAppender<>();
        events.start();
        logger.addAppender(events);
        try {
            KeyFiles.readPrivate(priv);
            assertThat(events.list).isEmpty();
            Files.setPosixFilePermissions(priv, PosixFilePermissions.fromString("rw-r--r--"));
            KeyFiles.readPrivate(priv);
            assertThat(events.list).singleElement().satisfies(e -> {
                assertThat(e.getLevel()).isEqualTo(Level.WARN);
                assertThat(e.getFormattedMessage()).contains(priv.toString()).contains("rw-r--r--")
                        .contains("chmod 600");
            });
        } finally {
            logger.detachAppender(events);
        }
    }
}
