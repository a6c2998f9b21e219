package io.vigil;

import ch.qos.logback.classic.Level;
import io.vigil.config.ConfigLoader;
import io.vigil.config.ConfigWatcher;
import io.vigil.event.Actor;
import io.vigil.event.Target;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Reloading the configuration file changes what the running log keeps, and a broken file changes nothing. */
class ConfigReloadTest {

    @Test
    void editingTheFileReconfiguresTheLogAndABrokenEditIsIgnoredLoudly(@TempDir Path dir) throws Exception {
        Path config = dir.resolve("vigil.yml");
        Path out = dir.resolve("audit.jsonl");
        Files.writeString(config, "enabled: true\nfilePath: " + out + "\n");
        try (LogCapture logs = new LogCapture();
             AuditLog log = AuditLog.builder().config(ConfigLoader.load(config)).selfAudit(false).build();
             ConfigWatcher watcher = log.watchConfig(config, Duration.ofHours(1))) {
            log.auth().loggedOut(Actor.user("one"));
            log.authz().accessGranted(Actor.user("one"), Target.of("doc", "1"));

            Files.writeString(config, "enabled: true\nfilePath: " + out + "\ncategories: [authz]\n");
            assertThat(watcher.checkNow()).isTrue();
            log.auth().loggedOut(Actor.user("two"));
            log.authz().accessGranted(Actor.user("two"), Target.of("doc", "2"));

            Files.writeString(config, "enabled: true\nfilePath: " + out + "\ncategories: [authzz]\n");
            assertThat(watcher.checkNow()).isFalse();
            log.auth().loggedOut(Actor.user("three"));
            log.authz().accessGranted(Actor.user("three"), Target.of("doc", "3"));
            assertThat(log.flush(Duration.ofSeconds(10))).isTrue();
            assertThat(logs.lines(Level.WARN)).anySatisfy(l -> assertThat(l).contains("authzz"));
        }
        List<String> lines = Files.readAllLines(out);
        assertThat(lines).hasSize(4);
        assertThat(lines.get(2)).contains("\"two\"").contains("authz.access.granted");
        assertThat(lines.get(3)).contains("\"three\"").contains("authz.access.granted");
    }
}
