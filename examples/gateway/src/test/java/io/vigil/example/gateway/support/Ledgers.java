package io.vigil.example.gateway.support;

import io.vigil.ledger.checkpoint.KeyFiles;
import io.vigil.ledger.checkpoint.SigningKey;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Temporary places for a gateway under test: a directory removed when the JVM exits, and signing keys. */
public final class Ledgers {

    private Ledgers() {
    }

    /** A new temporary directory, deleted with its contents when the JVM exits. */
    public static Path tempDir(String prefix) {
        try {
            Path dir = Files.createTempDirectory(prefix);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(dir), "delete-" + prefix));
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A new Ed25519 signing key pair written as {@code vigil keygen} writes one: {@code name.key} (0600) and {@code name.pub}. */
    public static SigningKey keyPair(Path dir, String name) {
        SigningKey key = SigningKey.generate("gateway-test");
        try {
            KeyFiles.write(key, dir.resolve(name + ".key"), dir.resolve(name + ".pub"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return key;
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> walk = Files.walk(root)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // best effort at exit: a temporary directory
        }
    }
}
