package io.vigil.config;

import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** Keeps docs/configuration.md honest: every accepted key is documented and the examples load. */
class ConfigDocsTest {

    private static final String DOC_KEY_FILE = "/etc/myapp/vigil-hmac.key";

    @TempDir
    Path dir;

    static String doc() throws IOException {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.isRegularFile(p.resolve("docs/configuration.md"))) {
            p = p.getParent();
        }
        assertThat(p).as("docs/configuration.md above the working directory").isNotNull();
        return Files.readString(p.resolve("docs/configuration.md"));
    }

    static List<String> blocks(String doc, String language) {
        List<String> out = new ArrayList<>();
        Matcher m = Pattern.compile("```" + language + "\\n(.*?)```", Pattern.DOTALL).matcher(doc);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    @Test
    void everyAcceptedKeyIsDocumented() throws IOException {
        String doc = doc();
        assertThat(ConfigLoader.acceptedKeys()).isNotEmpty().allSatisfy(key ->
                assertThat(doc).as("docs/configuration.md documents `%s`", key).contains("| `" + key + "` |"));
    }

    @Test
    void documentedKeysAreAccepted() throws IOException {
        Matcher m = Pattern.compile("(?m)^\\| `([^`]+)` \\|").matcher(doc());
        List<String> documented = new ArrayList<>();
        while (m.find()) {
            documented.add(m.group(1));
        }
        List<String> accepted = new ArrayList<>(ConfigLoader.acceptedKeys());
        accepted.addAll(List.of("pipeline", "redaction", "sinks"));
        assertThat(documented).isNotEmpty().allSatisfy(k -> assertThat(accepted).contains(k));
    }

    @Test
    void examplesLoadAndAgree() throws IOException {
        Path key = ConfigLoaderTest.keyFile(dir);
        String doc = doc().replace(DOC_KEY_FILE, key.toString());
        List<String> yaml = blocks(doc, "yaml");
        assertThat(yaml).hasSizeGreaterThanOrEqualTo(3);
        List<VigilConfig> loaded = new ArrayList<>();
        for (String y : yaml) {
            loaded.add(ConfigLoader.parseYaml(y, "docs/configuration.md"));
        }
        VigilConfig full = yaml.stream().filter(y -> y.contains("sinks:")).findFirst()
                .map(y -> ConfigLoader.parseYaml(y, "full")).orElseThrow();
        assertThat(full.sinks()).hasSize(5);
        assertThat(full.redaction().isHmacKey("email")).isTrue();

        List<String> props = blocks(doc, "properties");
        assertThat(props).hasSize(1);
        Properties p = new Properties();
        p.load(new StringReader(props.get(0)));
        assertThat(ConfigLoader.parseProperties(p, "docs/configuration.md")).isEqualTo(full);
    }

    @Test
    void documentedErrorMessagesAreTheRealOnes() throws IOException {
        String doc = doc();
        ConfigException e = Assertions.catchThrowableOfType(ConfigException.class,
                () -> ConfigLoader.parseYaml("""
                        sinkz: []
                        pipeline: {overflow: explode}
                        sinks: [{type: stdout}, {type: file, path: /x, rotation: {maxSize: huge}}]
                        """, "/etc/myapp/vigil.yml"));
        assertThat(doc).contains(e.getMessage());
    }
}
