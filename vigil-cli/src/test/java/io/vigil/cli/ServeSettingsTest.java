package io.vigil.cli;

import io.vigil.config.ConfigException;
import io.vigil.server.ServerOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * The {@code server} section of a configuration file as {@code vigil serve --config} reads it, the flags over it, and
 * docs/server.md in step with both: every key documented, the example loads, the documented error is the real one.
 */
class ServeSettingsTest {

    @TempDir
    Path tmp;

    private static String doc() throws IOException {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.isRegularFile(p.resolve("docs/server.md"))) {
            p = p.getParent();
        }
        assertThat(p).as("docs/server.md above the working directory").isNotNull();
        return Files.readString(p.resolve("docs/server.md"));
    }

    private static String section(String doc) {
        int start = doc.indexOf("### Configuration file");
        return doc.substring(start, doc.indexOf("\n## ", start));
    }

    @Test
    void aFileSetsEverythingTheOptionsHold() throws IOException {
        Path file = Files.writeString(tmp.resolve("server.yml"), """
                server:
                  dir: /srv/vigil
                  port: 9001
                  bind: 0.0.0.0
                  tls: {cert: /etc/vigil/chain.pem, key: /etc/vigil/key.pem}
                  store: jdbc:postgresql://db.example.com/vigil
                  maxBodySize: 2MB
                  maxBatchEvents: 500
                  eventsPerSecond: 250
                  checkpointEvery: 30s
                """);
        ServeSettings s = ServeSettings.load(file);
        assertThat(s.dir()).contains(Path.of("/srv/vigil"));
        assertThat(s.store()).contains("jdbc:postgresql://db.example.com/vigil");
        ServerOptions o = s.options(s.dir().orElseThrow());
        assertThat(o).isEqualTo(new ServerOptions(Path.of("/srv/vigil"), "0.0.0.0", 9001, 2 << 20, 500, 250,
                Duration.ofSeconds(30), Optional.of(new ServerOptions.Tls(Path.of("/etc/vigil/chain.pem"),
                Path.of("/etc/vigil/key.pem"))), Optional.of("jdbc:postgresql://db.example.com/vigil")));
        assertThat(ServeSettings.none().options(Path.of("/d"))).as("nothing given: the defaults")
                .isEqualTo(ServerOptions.defaults(Path.of("/d")));
    }

    @Test
    void theSameKeysReadFromPropertiesUnderVigil() throws IOException {
        Path file = Files.writeString(tmp.resolve("app.properties"), """
                server.port=8080
                vigil.enabled=true
                vigil.server.port=9002
                vigil.server.maxBatchEvents=7
                """);
        ServeSettings s = ServeSettings.load(file);
        assertThat(s.port()).as("server.port beside vigil.* is the host's own").contains(9002);
        assertThat(s.maxBatchEvents()).contains(7);
    }

    @Test
    void aFlagOverridesTheFile() throws IOException {
        ServeSettings file = ServeSettings.load(Files.writeString(tmp.resolve("s.yml"),
                "server: {dir: /a, port: 9001, bind: 0.0.0.0, maxBatchEvents: 5}\n"));
        ServeSettings flags = new ServeSettings(Optional.of(Path.of("/b")), Optional.of(9100), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty());
        ServeSettings both = file.overriddenBy(flags);
        assertThat(both.dir()).contains(Path.of("/b"));
        ServerOptions o = both.options(both.dir().orElseThrow());
        assertThat(o.port()).isEqualTo(9100);
        assertThat(o.bind()).as("not given as a flag: the file's").isEqualTo("0.0.0.0");
        assertThat(o.maxBatchEvents()).isEqualTo(5);
    }

    @Test
    void everyProblemNamesItsKeyAndWhatIsAllowed() throws IOException {
        Path file = Files.writeString(tmp.resolve("bad.yml"), """
                server:
                  prt: 9001
                  bind: 127.0.0.1
                  maxBodySize: 12
                  checkpointEvery: 10
                  store: mysql://db/vigil
                  tls: {cert: /c.pem}
                """);
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> ServeSettings.load(file));
        assertThat(e.source()).isEqualTo(file.toString());
        assertThat(e.problems()).hasSize(5);
        assertThat(e.problems().get(0)).startsWith("unknown key 'prt' at server; allowed: dir, port, bind")
                .endsWith("did you mean 'port'?");
        assertThat(e.problems()).anySatisfy(p -> assertThat(p).startsWith("server.maxBodySize: 12 is out of range;"
                + " expected from 1KB"));
        assertThat(e.problems()).anySatisfy(p -> assertThat(p).startsWith("server.checkpointEvery: the number 10"
                + " is not a duration"));
        assertThat(e.problems()).anySatisfy(p -> assertThat(p).startsWith("server.store: must be a PostgreSQL JDBC URL")
                .contains("jdbc:postgresql:").doesNotContain("mysql://db/vigil"));
        assertThat(e.problems()).anySatisfy(p -> assertThat(p).isEqualTo("server.tls: HTTPS needs both cert and"
                + " key (PEM files)"));
    }

    @Test
    void everyKeyIsDocumentedAndTheExampleLoads() throws IOException {
        String section = section(doc());
        Matcher m = Pattern.compile("(?m)^\\| `(server\\.[^`]+)` \\|").matcher(section);
        List<String> documented = new ArrayList<>();
        while (m.find()) {
            documented.add(m.group(1));
        }
        assertThat(documented).containsExactlyElementsOf(ServeSettings.acceptedKeys());
        Matcher yaml = Pattern.compile("```yaml\\n(.*?)```", Pattern.DOTALL).matcher(section);
        assertThat(yaml.find()).isTrue();
        Path example = Files.writeString(tmp.resolve("example.yml"), yaml.group(1));
        ServeSettings s = ServeSettings.load(example);
        assertThat(s.options(s.dir().orElseThrow())).isEqualTo(ServerOptions.defaults(Path.of("/var/lib/vigil"))
                .withBind("0.0.0.0").withTls(new ServerOptions.Tls(Path.of("/etc/vigil/tls/chain.pem"),
                        Path.of("/etc/vigil/tls/key.pem"))));
    }

    @Test
    void theDocumentedErrorIsTheRealOne() throws IOException {
        Path file = Files.writeString(tmp.resolve("server.yml"), "server: {prt: 8480, maxBodySize: big}\n");
        Cli.Result r = Cli.run("serve", "--config", file.toString());
        assertThat(r.exit()).isEqualTo(2);
        String shown = r.err().lines().limit(3).toList().stream().reduce((a, b) -> a + "\n" + b).orElseThrow()
                .replace(file.toString(), "/etc/vigil/server.yml");
        assertThat(section(doc())).contains(shown);
    }
}
