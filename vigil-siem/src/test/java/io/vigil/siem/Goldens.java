package io.vigil.siem;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Golden files under {@code src/test/resources/io/vigil/siem/golden}. With {@code -Dvigil.golden.update=true} the
 * tests write them from the code instead of comparing; the result is then reviewed by hand against the specs.
 */
final class Goldens {
    private static final String ROOT = "io/vigil/siem/golden/";

    private Goldens() {
    }

    static boolean updating() {
        return Boolean.getBoolean("vigil.golden.update");
    }

    static Optional<String> read(String name) {
        try (InputStream in = Goldens.class.getClassLoader().getResourceAsStream(ROOT + name)) {
            return in == null ? Optional.empty() : Optional.of(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes into the source tree (the tests run from the module's directory). */
    static void write(String name, String content) {
        Path p = Path.of("src/test/resources", ROOT, name);
        try {
            Files.createDirectories(p.getParent());
            Files.writeString(p, content, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
