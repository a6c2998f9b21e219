package io.vigil.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code vigil} launcher at the root of the repository tells the CLI how it was invoked. It runs here for real,
 * under bash, in a copy of the repository's layout whose CLI jar is a small stand-in that prints what it was given
 * (the launcher builds the jar only when it is missing or older than the sources, and this layout has no sources).
 */
class LauncherScriptTest {
    private static final Path SCRIPT = Path.of("..", "vigil");

    private static Path layout(Path root) throws IOException {
        Files.copy(SCRIPT, root.resolve("vigil"));
        Files.setPosixFilePermissions(root.resolve("vigil"), PosixFilePermissions.fromString("rwx------"));
        Path target = Files.createDirectories(root.resolve("vigil-cli/target"));
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, PrintInvokedCommand.class.getName());
        String entry = PrintInvokedCommand.class.getName().replace('.', '/') + ".class";
        try (OutputStream file = Files.newOutputStream(target.resolve("vigil-cli-0-all.jar"));
             JarOutputStream jar = new JarOutputStream(file, manifest);
             InputStream bytes = PrintInvokedCommand.class.getClassLoader().getResourceAsStream(entry)) {
            jar.putNextEntry(new JarEntry(entry));
            bytes.transferTo(jar);
            jar.closeEntry();
        }
        return root;
    }

    private static String run(Path dir, Map<String, String> env, String... command) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(List.of(command)).directory(dir.toFile()).redirectErrorStream(true);
        String javaBin = Path.of(System.getProperty("java.home"), "bin").toString();
        pb.environment().put("PATH", javaBin + ":" + pb.environment().getOrDefault("PATH", "/usr/bin:/bin"));
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return out.strip();
    }

    @Test
    void startedAsDotSlashVigilItSaysSo(@TempDir Path tmp) throws Exception {
        Path root = layout(tmp);
        assertThat(run(root, Map.of(), "./vigil")).isEqualTo("./vigil");
    }

    @Test
    void startedByAPathItPassesThatPath(@TempDir Path tmp) throws Exception {
        Path root = layout(tmp);
        String path = root.resolve("vigil").toString();
        assertThat(run(tmp, Map.of(), path)).isEqualTo(path);
    }

    @Test
    void foundOnThePathItIsPlainVigil(@TempDir Path tmp) throws Exception {
        Path root = layout(tmp);
        String path = root + ":" + System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
        // a shell looks the name up in the PATH, as a user's would
        assertThat(run(tmp, Map.of("PATH", Path.of(System.getProperty("java.home"), "bin") + ":" + path),
                "bash", "-c", "vigil")).isEqualTo("vigil");
    }

    @Test
    void startedWithJavaDashJarNothingIsPassedAndTheDemoSaysVigil(@TempDir Path tmp) throws Exception {
        Path root = layout(tmp);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        assertThat(run(root, Map.of(), java, "-jar", "vigil-cli/target/vigil-cli-0-all.jar")).isEqualTo("<unset>");
        assertThat(System.getProperty(DemoCommand.COMMAND_PROPERTY)).isNull();
        assertThat(DemoCommand.invokedCommand()).isEqualTo("vigil");
    }
}
