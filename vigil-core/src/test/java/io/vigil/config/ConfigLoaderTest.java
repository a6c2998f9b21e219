package io.vigil.config;

import io.vigil.OverflowPolicy;
import io.vigil.PipelineOptions;
import io.vigil.RetryPolicy;
import io.vigil.event.Category;
import io.vigil.event.Outcome;
import io.vigil.event.Severity;
import io.vigil.filter.EventFilter;
import io.vigil.redact.HmacKey;
import io.vigil.redact.RedactionPolicy;
import io.vigil.sink.FileSinkOptions;
import io.vigil.sink.FsyncPolicy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConfigLoaderTest {

    @TempDir
    Path dir;

    static String resource(String name) {
        try (InputStream in = ConfigLoaderTest.class.getResourceAsStream("/config/" + name)) {
            assertThat(in).as(name).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    static Path home(String rest) {
        return Path.of(System.getProperty("user.home"), rest);
    }

    /** A 32-byte key file readable only by its owner, so no permission warning is logged. */
    static Path keyFile(Path dir) throws IOException {
        byte[] key = new byte[32];
        for (int i = 0; i < key.length; i++) {
            key[i] = (byte) i;
        }
        Path f = dir.resolve("hmac.key");
        Files.writeString(f, Base64.getEncoder().encodeToString(key) + "\n");
        try {
            Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // not POSIX; nothing to restrict
        }
        return f;
    }

    @Test
    void defaultsAreTheDocumentedOnes() {
        VigilConfig d = ConfigLoader.defaults();
        assertThat(d.enabled()).isFalse();
        assertThat(d.filter()).isEqualTo(EventFilter.ALL);
        assertThat(d.includeRequestIds()).isTrue();
        assertThat(d.redaction()).isEqualTo(RedactionPolicy.DEFAULT);
        assertThat(d.pipeline()).isEqualTo(PipelineOptions.DEFAULT);
        assertThat(d.pipeline()).isEqualTo(new PipelineOptions(65_536, 1_024, OverflowPolicy.BLOCK,
                Duration.ofMillis(100), Duration.ofSeconds(10),
                new RetryPolicy(5, Duration.ofMillis(50), Duration.ofSeconds(2)), true));
        assertThat(d.redaction().maxFieldLength()).isEqualTo(4096);
        assertThat(d.redaction().maxDetailsBytes()).isEqualTo(32 * 1024);
        assertThat(d.redaction().maxDetailsDepth()).isEqualTo(8);
        assertThat(d.redaction().replacement()).isEqualTo("[REDACTED]");
        assertThat(d.sinks()).containsExactly(new SinkConfig.File("default",
                new FileSinkOptions(home(".vigil/audit/audit.jsonl"), 100L * 1024 * 1024, true, false,
                        FsyncPolicy.BATCH), EventFilter.ALL));
    }

    @Test
    void emptyDocumentsGiveTheDefaults() {
        assertThat(ConfigLoader.parseYaml("", "empty.yml")).isEqualTo(ConfigLoader.defaults());
        assertThat(ConfigLoader.parseYaml("# only a comment\n", "c.yml")).isEqualTo(ConfigLoader.defaults());
        assertThat(ConfigLoader.parseYaml("vigil:\n", "w.yml")).isEqualTo(ConfigLoader.defaults());
        assertThat(ConfigLoader.parseYaml("pipeline:\nredaction:\n", "n.yml")).isEqualTo(ConfigLoader.defaults());
        assertThat(ConfigLoader.parseProperties(new Properties(), "p")).isEqualTo(ConfigLoader.defaults());
    }

    @Test
    void legacyExampleLoads() {
        VigilConfig c = ConfigLoader.parseYaml(resource("legacy-config.yml"), "legacy-config.yml");
        assertThat(c.enabled()).isTrue();
        assertThat(c.includeRequestIds()).isTrue();
        assertThat(c.filter()).isEqualTo(EventFilter.ALL.withCategories(
                EnumSet.of(Category.AUTH, Category.AUTHZ, Category.ADMIN)));
        assertThat(c.sinks()).containsExactly(new SinkConfig.File("default",
                FileSinkOptions.defaults(home(".clawdbot/audit/audit.jsonl")), EventFilter.ALL));
        assertThat(c.pipeline()).isEqualTo(PipelineOptions.DEFAULT);
        assertThat(c.redaction()).isEqualTo(RedactionPolicy.DEFAULT);
    }

    @Test
    void legacyExampleWorksAtTheRootToo() {
        String root = resource("legacy-config.yml").replace("vigil:\n", "").replaceAll("(?m)^  ", "");
        assertThat(ConfigLoader.parseYaml(root, "root.yml"))
                .isEqualTo(ConfigLoader.parseYaml(resource("legacy-config.yml"), "legacy-config.yml"));
    }

    @Test
    void minOutcomeIsApplied() {
        // The legacy audit logger accepted minOutcome and never used it.
        VigilConfig c = ConfigLoader.parseYaml("minOutcome: denied\n", "t.yml");
        assertThat(c.filter().outcomes()).containsExactlyInAnyOrder(Outcome.DENIED, Outcome.ERROR);
    }

    @Test
    void fullYamlSetsEveryValue() throws IOException {
        Path key = keyFile(dir);
        VigilConfig c = ConfigLoader.parseYaml(resource("full.yml").replace("KEYFILE", key.toString()), "full.yml");
        assertThat(c).isEqualTo(expectedFull(key));
    }

    @Test
    void propertiesAreEquivalentToYaml() throws IOException {
        Path key = keyFile(dir);
        Properties p = new Properties();
        p.load(new StringReader(resource("full.properties").replace("KEYFILE", key.toString())));
        assertThat(ConfigLoader.parseProperties(p, "full.properties")).isEqualTo(expectedFull(key));
    }

    @Test
    void loadChoosesTheFormatByExtension() throws IOException {
        Path key = keyFile(dir);
        Path yml = dir.resolve("vigil.yml");
        Path yaml = dir.resolve("vigil.yaml");
        Path props = dir.resolve("vigil.properties");
        Files.writeString(yml, resource("full.yml").replace("KEYFILE", key.toString()));
        Files.copy(yml, yaml);
        Files.writeString(props, resource("full.properties").replace("KEYFILE", key.toString()));
        assertThat(ConfigLoader.load(yml)).isEqualTo(expectedFull(key));
        assertThat(ConfigLoader.load(yaml)).isEqualTo(expectedFull(key));
        assertThat(ConfigLoader.load(props)).isEqualTo(expectedFull(key));

        Path json = dir.resolve("vigil.json");
        // Tab indentation is fine in JSON although YAML forbids it.
        Files.writeString(json, "{\n\t\"enabled\": true,\n\t\"target\": \"stdout\",\n\t\"minSeverity\": \"high\"\n}");
        VigilConfig j = ConfigLoader.load(json);
        assertThat(j.sinks()).containsExactly(new SinkConfig.Stdout("default", EventFilter.ALL));
        assertThat(j.filter().minSeverity()).isEqualTo(Severity.HIGH);

        Files.writeString(json, "{\"enabled\": true,\n \"enabled\": false}");
        assertThatThrownBy(() -> ConfigLoader.load(json)).isInstanceOf(ConfigException.class)
                .hasMessage(json + ": malformed JSON at line 2, column 11: Duplicate field 'enabled'");
    }

    private static VigilConfig expectedFull(Path key) throws IOException {
        EventFilter top = EventFilter.ALL
                .withCategories(EnumSet.of(Category.AUTH, Category.AUTHZ, Category.ADMIN, Category.DATA))
                .withMinOutcome(Outcome.FAILURE)
                .withMinSeverity(Severity.LOW)
                .withIncludeTypes(List.of("auth.*", "authz.access.denied", "data.*"))
                .withExcludeTypes(List.of("auth.logout"));
        PipelineOptions pipeline = new PipelineOptions(4096, 256, OverflowPolicy.DROP, Duration.ofMillis(250),
                Duration.ofSeconds(30), new RetryPolicy(3, Duration.ofMillis(10), Duration.ofMinutes(1)), false);
        RedactionPolicy redaction = new RedactionPolicy(true, RedactionPolicy.defaultKeysPlus(List.of("ssn", "iban")),
                Set.of("tokenType"), "***", Set.of("email", "username"), Optional.of(HmacKey.fromFile(key)),
                1024, 16 * 1024, 4);
        List<SinkConfig> sinks = List.of(
                new SinkConfig.File("main", new FileSinkOptions(Path.of("/var/log/app/audit.jsonl"),
                        50L * 1024 * 1024, false, true, FsyncPolicy.ALWAYS),
                        EventFilter.ALL.withMinSeverity(Severity.MEDIUM)),
                new SinkConfig.Stdout("stdout", EventFilter.ALL.withOutcomes(EnumSet.of(Outcome.DENIED, Outcome.ERROR))
                        .withExcludeTypes(List.of("data.read"))),
                new SinkConfig.Custom("siem", EventFilter.ALL.withCategories(EnumSet.of(Category.SECURITY))
                        .withMinOutcome(Outcome.SUCCESS).withMinSeverity(Severity.HIGH)
                        .withIncludeTypes(List.of("security.*"))));
        return new VigilConfig(true, top, false, redaction, pipeline, sinks);
    }

    @Test
    void tildeIsTheUserHome() {
        VigilConfig c = ConfigLoader.parseYaml("""
                sinks:
                  - type: file
                    path: ~/audit/a.jsonl
                  - type: file
                    name: literal
                    path: /srv/~x/b.jsonl
                """, "t.yml");
        assertThat(((SinkConfig.File) c.sinks().get(0)).options().path()).isEqualTo(home("audit/a.jsonl"));
        assertThat(((SinkConfig.File) c.sinks().get(1)).options().path()).isEqualTo(Path.of("/srv/~x/b.jsonl"));
        assertThat(((SinkConfig.File) ConfigLoader.parseYaml("filePath: ~/x.jsonl", "t").sinks().get(0))
                .options().path()).isEqualTo(home("x.jsonl"));
    }

    @Test
    void wrapperLetsTheConfigShareAFile() {
        VigilConfig c = ConfigLoader.parseYaml("""
                server:
                  port: 8080
                spring:
                  application:
                    name: gateway
                vigil:
                  enabled: true
                  target: stdout
                """, "application.yml");
        assertThat(c.enabled()).isTrue();
        assertThat(c.sinks()).containsExactly(new SinkConfig.Stdout("default", EventFilter.ALL));

        Properties p = new Properties();
        p.setProperty("server.port", "8080");
        p.setProperty("logging.level", "INFO");
        p.setProperty("logging.level.root", "WARN");
        p.setProperty("vigil.enabled", "true");
        p.setProperty("vigil.target", "stdout");
        assertThat(ConfigLoader.parseProperties(p, "application.properties")).isEqualTo(c);
    }

    @Test
    void propertiesWithoutPrefixAreTheConfigItself() {
        Properties p = new Properties();
        p.setProperty("enabled", "TRUE");
        p.setProperty("pipeline.overflow", "drop");
        p.setProperty("categories[0]", "auth");
        p.setProperty("categories[1]", "session");
        VigilConfig c = ConfigLoader.parseProperties(p, "p");
        assertThat(c.enabled()).isTrue();
        assertThat(c.pipeline().overflow()).isEqualTo(OverflowPolicy.DROP);
        assertThat(c.filter().categories()).containsExactlyInAnyOrder(Category.AUTH, Category.SESSION);
    }

    @Test
    void shorthandTargets() {
        assertThat(ConfigLoader.parseYaml("target: custom", "t").sinks())
                .containsExactly(new SinkConfig.Custom("default", EventFilter.ALL));
        assertThat(ConfigLoader.parseYaml("target: stdout", "t").sinks())
                .containsExactly(new SinkConfig.Stdout("default", EventFilter.ALL));
        assertThat(ConfigLoader.parseYaml("target: file\nfilePath: /a/b.jsonl", "t").sinks())
                .containsExactly(new SinkConfig.File("default", FileSinkOptions.defaults(Path.of("/a/b.jsonl")),
                        EventFilter.ALL));
    }

    @Test
    void valuesAreReadGenerously() {
        VigilConfig c = ConfigLoader.parseYaml("""
                pipeline:
                  overflow: DROP
                  blockTimeout: 2M
                redaction:
                  maxDetailsBytes: 1MiB
                sinks:
                  - type: File
                    path: /x
                    rotation: {maxSize: 0}
                """, "t");
        assertThat(c.pipeline().overflow()).isEqualTo(OverflowPolicy.DROP);
        assertThat(c.pipeline().blockTimeout()).isEqualTo(Duration.ofMinutes(2));
        assertThat(c.redaction().maxDetailsBytes()).isEqualTo(1 << 20);
        assertThat(((SinkConfig.File) c.sinks().get(0)).options().maxFileBytes()).isZero();
    }

    @Test
    void redactionKeysExtendTheDefaults() {
        VigilConfig c = ConfigLoader.parseYaml("redaction: {keys: [ssn], allowKeys: [passwordPolicy]}", "t");
        assertThat(c.redaction().secretKeys()).contains("ssn", "password", "token");
        assertThat(c.redaction().isSecretKey("ssn")).isTrue();
        assertThat(c.redaction().isSecretKey("passwordPolicy")).isFalse();
    }

    @Test
    void acceptedKeysListEveryLeaf() {
        assertThat(ConfigLoader.acceptedKeys()).contains("enabled", "types.include", "pipeline.retry.maxBackoff",
                "redaction.hmacKeyFile", "sinks[].filter.types.exclude", "sinks[].rotation.maxSize", "sinks[].fsync");
        assertThat(ConfigLoader.acceptedKeys()).doesNotHaveDuplicates()
                .doesNotContain("pipeline", "pipeline.retry", "sinks[].filter", "sinks[].rotation");
    }

    @Test
    void unreadableFileIsAConfigException() {
        Path missing = dir.resolve("nope.yml");
        assertThatThrownBy(() -> ConfigLoader.load(missing))
                .isInstanceOf(ConfigException.class)
                .hasMessage(missing + ": cannot read the file: no such file");
    }

    @Test
    void unknownExtensionIsRejected() throws IOException {
        Path f = dir.resolve("vigil.toml");
        Files.writeString(f, "enabled = true\n");
        assertThatThrownBy(() -> ConfigLoader.load(f))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(f.toString())
                .hasMessageContaining(".yml, .yaml, .json or .properties");
    }
}
