package io.vigil.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * Another module's section of the log's file: the log accepts it unread, the module reads it through
 * {@link ConfigSection} and gets the log's grammar and messages.
 */
class ConfigSectionTest {

    @TempDir
    Path dir;

    /** What a small module reads from its section. */
    record Settings(boolean enabled, int threshold, Duration window) {
    }

    private static final Function<ConfigSection, Settings> READER = s -> {
        s.allowOnly(List.of("enabled", "rule"));
        ConfigSection rule = s.section("rule");
        rule.allowOnly(List.of("threshold", "window"));
        return new Settings(s.bool("enabled").orElse(true), rule.integer("threshold", 2, 1000).orElse(5),
                rule.duration("window", Duration.ofMillis(1), Duration.ofHours(48)).orElse(Duration.ofMinutes(15)));
    };

    private static ConfigException yamlError(String yaml) {
        ConfigException e = catchThrowableOfType(ConfigException.class,
                () -> ConfigLoader.parseYamlSection(yaml, "app.yml", "detect", READER));
        assertThat(e).as("expected a ConfigException for:\n" + yaml).isNotNull();
        return e;
    }

    @Test
    void theLogAcceptsTheSectionWithoutReadingIt() {
        VigilConfig config = ConfigLoader.parseYaml("""
                enabled: true
                target: stdout
                detect:
                  anything: [at, all]
                """, "app.yml");
        assertThat(config.enabled()).isTrue();
        assertThat(ConfigLoader.moduleSections()).containsExactly("detect", "server");
        assertThat(ConfigLoader.acceptedKeys()).as("the log's own keys only").doesNotContain("detect");
    }

    @Test
    void theSameSectionReadsAlikeFromEveryFormatAndPlace() throws IOException {
        Settings expected = new Settings(false, 3, Duration.ofMinutes(2));
        Path yaml = Files.writeString(dir.resolve("a.yml"), """
                target: stdout
                detect:
                  enabled: false
                  rule: {threshold: 3, window: 2m}
                """);
        Path wrapped = Files.writeString(dir.resolve("b.yaml"), """
                server: {port: 8080}
                vigil:
                  detect:
                    enabled: false
                    rule: {threshold: 3, window: 2m}
                """);
        Path json = Files.writeString(dir.resolve("c.json"),
                "{\"detect\": {\"enabled\": false, \"rule\": {\"threshold\": 3, \"window\": \"2m\"}}}");
        Path props = Files.writeString(dir.resolve("d.properties"), """
                spring.application.name=x
                vigil.detect.enabled=false
                vigil.detect.rule.threshold=3
                vigil.detect.rule.window=2m
                """);
        for (Path p : List.of(yaml, wrapped, json, props)) {
            assertThat(ConfigLoader.loadSection(p, "detect", READER)).as(p.toString()).isEqualTo(expected);
        }
        Properties flat = new Properties();
        flat.setProperty("detect.rule.threshold", "3");
        assertThat(ConfigLoader.parsePropertiesSection(flat, "flat", "detect", READER))
                .isEqualTo(new Settings(true, 3, Duration.ofMinutes(15)));
    }

    @Test
    void anAbsentOrEmptySectionGivesTheReadersDefaults() {
        Settings defaults = new Settings(true, 5, Duration.ofMinutes(15));
        assertThat(ConfigLoader.parseYamlSection("", "empty.yml", "detect", READER)).isEqualTo(defaults);
        assertThat(ConfigLoader.parseYamlSection("detect:\n", "null.yml", "detect", READER)).isEqualTo(defaults);
        assertThat(ConfigLoader.parseYamlSection("vigil:\n  enabled: true\n", "other.yml", "detect", READER))
                .isEqualTo(defaults);
    }

    @Test
    void everyProblemIsReportedWithItsPathAndASuggestion() {
        ConfigException e = yamlError("""
                vigil:
                  detetc: {}
                  detect:
                    enabeld: true
                    rule:
                      threshold: 1
                      window: 15
                      treshold: 4
                """);
        assertThat(e.problems()).containsExactly(
                "unknown key 'detetc' at vigil; allowed: enabled, target, filePath, categories, outcomes, minOutcome,"
                        + " minSeverity, types, includeRequestIds, pipeline, redaction, sinks, detect, server;"
                        + " did you mean 'detect'?",
                "unknown key 'enabeld' at vigil.detect; allowed: enabled, rule; did you mean 'enabled'?",
                "unknown key 'treshold' at vigil.detect.rule; allowed: threshold, window; did you mean 'threshold'?",
                "vigil.detect.rule.threshold: 1 is out of range; expected a whole number from 2 to 1000",
                "vigil.detect.rule.window: the number 15 is not a duration; expected a whole number followed by ms,"
                        + " s, m or h (e.g. 250ms, 10s, 5m, 1h) (add a unit, e.g. 15ms)");
        assertThat(e.source()).isEqualTo("app.yml");
    }

    @Test
    void durationsBelowTheMinimumAndSectionsOfTheWrongShapeAreProblems() {
        assertThat(yamlError("detect: {rule: {window: 0ms}}").problems())
                .containsExactly("detect.rule.window: '0ms' is too short; at least 1ms");
        assertThat(yamlError("detect: {rule: {window: 49h}}").problems())
                .containsExactly("detect.rule.window: '49h' is too long; at most 48h");
        assertThat(ConfigLoader.parseYamlSection("detect: {rule: {window: 48h}}", "app.yml", "detect", READER)
                .window()).as("longer than the log's own waits").isEqualTo(Duration.ofHours(48));
        assertThat(yamlError("detect: {rule: 7}").problems())
                .containsExactly("detect.rule: expected a mapping of keys to values, got the number 7");
        assertThat(yamlError("detect: [1]").problems())
                .containsExactly("detect: expected a mapping of keys to values, got a list");
    }

    @Test
    void aReadersOwnChecksAreReportedWithTheOthers() {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> ConfigLoader.parseYamlSection(
                "detect: {enabled: maybe}", "app.yml", "detect", s -> {
                    s.bool("enabled");
                    s.problem("rule", "needs a threshold");
                    return s;
                }));
        assertThat(e.getMessage()).isEqualTo("""
                2 configuration errors in app.yml:
                  detect.enabled: expected true or false, got the string 'maybe'
                  detect.rule: needs a threshold""");
    }

    @Test
    void unreadableFilesAndUnknownSectionsAreRefused() {
        assertThatThrownBy(() -> ConfigLoader.loadSection(dir.resolve("missing.yml"), "detect", READER))
                .isInstanceOf(ConfigException.class).hasMessageEndingWith("cannot read the file: no such file");
        assertThatThrownBy(() -> ConfigLoader.parseYamlSection("", "x", "pipeline", READER))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("module sections: detect");
    }

    @Test
    void aHostsOwnServerSettingsBesideTheWrapperAreLeftToTheHost() {
        String yaml = """
                server:
                  port: 8080
                vigil:
                  enabled: true
                  target: stdout
                  server:
                    port: 8481
                    maxBodySize: 2MB
                """;
        assertThat(ConfigLoader.parseYaml(yaml, "application.yml").enabled()).isTrue();
        record Server(int port, long maxBodySize) {
        }
        Function<ConfigSection, Server> server = s -> {
            s.allowOnly(List.of("port", "maxBodySize"));
            return new Server(s.integer("port", 0, 65_535).orElse(0), s.size("maxBodySize", 1024, 1 << 30).orElse(0L));
        };
        assertThat(ConfigLoader.parseYamlSection(yaml, "application.yml", "server", server))
                .isEqualTo(new Server(8481, 2 << 20));
        Properties p = new Properties();
        p.setProperty("server.port", "8080");
        p.setProperty("vigil.server.port", "8481");
        p.setProperty("vigil.server.maxBodySize", "2MB");
        assertThat(ConfigLoader.parsePropertiesSection(p, "application.properties", "server", server))
                .isEqualTo(new Server(8481, 2 << 20));
        ConfigException both = catchThrowableOfType(ConfigException.class, () -> ConfigLoader.parseYamlSection(
                "detect: {}\nvigil:\n  server: {port: 1}\n", "app.yml", "server", server));
        assertThat(both.problems()).as("another module's section is still Vigil's").singleElement().asString()
                .contains("both at the top level (detect)");
    }
}
