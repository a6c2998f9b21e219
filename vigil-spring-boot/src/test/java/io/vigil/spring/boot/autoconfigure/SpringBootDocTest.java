package io.vigil.spring.boot.autoconfigure;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code docs/spring-boot.md}'s table of properties is generated from the configuration metadata (the same text an
 * IDE shows); this test fails when they drift. Regenerate with
 * {@code ./mvnw -pl vigil-spring-boot verify -Dtest=SpringBootDocTest -Dvigil.updateDocs=true}.
 */
class SpringBootDocTest {
    static final String START = "<!-- properties:start (generated from the configuration metadata; do not edit) -->";
    static final String END = "<!-- properties:end -->";

    static String table() {
        StringBuilder sb = new StringBuilder();
        sb.append("| property | type | default | meaning |\n|---|---|---|---|\n");
        for (ConfigurationMetadata.Property p : ConfigurationMetadata.vigilProperties()) {
            sb.append("| `").append(p.name()).append("` | ").append(p.type().replace("<", "&lt;").replace(">", "&gt;"))
                    .append(" | ").append(p.defaultValue().isEmpty() ? "" : "`" + p.defaultValue() + "`")
                    .append(" | ").append(p.description().replace("|", "\\|").replace("\n", " ")).append(" |\n");
        }
        return sb.toString();
    }

    @Test
    void thePropertyTableMatchesTheMetadata() throws IOException {
        Path doc = Path.of("..", "docs", "spring-boot.md");
        String text = Files.readString(doc, StandardCharsets.UTF_8);
        int s = text.indexOf(START);
        int e = text.indexOf(END);
        assertThat(s).as("the start marker in %s", doc).isNotNegative();
        assertThat(e).as("the end marker in %s", doc).isGreaterThan(s);
        String expected = text.substring(0, s + START.length()) + "\n" + table() + text.substring(e);
        if (Boolean.getBoolean("vigil.updateDocs")) {
            Files.writeString(doc, expected, StandardCharsets.UTF_8);
            return;
        }
        assertThat(text).as("docs/spring-boot.md's property table is out of date; regenerate it with: ./mvnw -pl"
                + " vigil-spring-boot verify -Dtest=SpringBootDocTest -Dvigil.updateDocs=true").isEqualTo(expected);
    }
}
