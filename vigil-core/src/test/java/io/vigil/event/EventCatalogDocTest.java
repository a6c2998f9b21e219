package io.vigil.event;

import io.vigil.internal.docs.CatalogMarkdown;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

import static org.assertj.core.api.Assertions.fail;

/**
 * Keeps {@code docs/event-catalog.md} equal to what {@link CatalogMarkdown} renders from the code. Run with
 * {@code -Dvigil.updateDocs=true} to rewrite the file instead of checking it.
 */
class EventCatalogDocTest {

    /** The document, relative to the vigil-core module directory (surefire's working directory). */
    private static final Path DOC = Paths.get("..", "docs", "event-catalog.md");

    @Test
    void documentMatchesTheCatalogue() throws IOException {
        String expected = CatalogMarkdown.render();
        if (Boolean.getBoolean("vigil.updateDocs")) {
            Files.createDirectories(DOC.toAbsolutePath().getParent());
            Files.writeString(DOC, expected, StandardCharsets.UTF_8);
            return;
        }
        if (!Files.exists(DOC)) {
            fail(DOC.toAbsolutePath().normalize() + " is missing; generate it with: " + CatalogMarkdown.REGENERATE);
        }
        String actual = Files.readString(DOC, StandardCharsets.UTF_8);
        if (!actual.equals(expected)) {
            fail(DOC.toAbsolutePath().normalize() + " is out of date with EventCatalog (first difference at line "
                    + firstDifferentLine(actual, expected) + "); regenerate it with: " + CatalogMarkdown.REGENERATE);
        }
    }

    private static int firstDifferentLine(String a, String b) {
        String[] x = a.split("\n", -1);
        String[] y = b.split("\n", -1);
        int i = 0;
        while (i < x.length && i < y.length && x[i].equals(y[i])) {
            i++;
        }
        return i + 1;
    }
}
