package io.vigil.detect;

import io.vigil.config.ConfigException;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Keeps the configuration part of docs/detection.md honest: every key documented, every example loads. */
class DetectionDocsTest {

    static String doc() throws IOException {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.isRegularFile(p.resolve("docs/detection.md"))) {
            p = p.getParent();
        }
        assertThat(p).as("docs/detection.md above the working directory").isNotNull();
        return Files.readString(p.resolve("docs/detection.md"));
    }

    @Test
    void everyKeyIsDocumentedAndEveryDocumentedKeyIsRead() throws IOException {
        String doc = doc();
        Matcher m = Pattern.compile("(?m)^\\| `(detect\\.[^`]+)` \\|").matcher(doc);
        List<String> documented = new ArrayList<>();
        while (m.find()) {
            documented.add(m.group(1));
        }
        assertThat(documented).containsExactlyElementsOf(DetectionConfig.acceptedKeys());
    }

    @Test
    void theExamplesLoad() throws IOException {
        Matcher m = Pattern.compile("```yaml\\n(.*?)```", Pattern.DOTALL).matcher(doc());
        int examples = 0;
        while (m.find()) {
            DetectionConfig config = DetectionConfig.parseYaml(m.group(1), "docs/detection.md");
            assertThat(config.builder().build().detectors()).isNotEmpty();
            examples++;
        }
        assertThat(examples).isPositive();
    }

    @Test
    void theDocumentedErrorIsTheRealOne() throws IOException {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> DetectionConfig.parseYaml("""
                detetc: {}
                detect:
                  bruteForce: {treshold: 10, window: 10}
                """, "/etc/myapp/vigil.yml"));
        assertThat(doc()).contains(e.getMessage());
    }
}
