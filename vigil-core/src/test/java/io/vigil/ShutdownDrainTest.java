package io.vigil;

import io.vigil.event.AuditEvent;
import io.vigil.event.EventCatalog;
import io.vigil.sink.FileSinkOptions;
import io.vigil.sink.FsyncPolicy;
import io.vigil.sink.Sinks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The shutdown hook drains what was recorded when a JVM exits without closing the log. */
class ShutdownDrainTest {

    /** Child JVM: records N events and exits without closing the log. */
    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        int n = Integer.parseInt(args[1]);
        AuditLog log = AuditLog.builder().selfAudit(false)
                .sink("file", Sinks.jsonlFile(FileSinkOptions.defaults(file).withFsync(FsyncPolicy.NONE))).build();
        for (int i = 0; i < n; i++) {
            log.record(AuditEvent.builder(EventCatalog.DATA_READ).detail("n", i));
        }
        System.exit(0);
    }

    @Test
    void exitingWithoutCloseStillWritesEveryRecordedEvent(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("audit.jsonl");
        int n = 50_000;
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), ShutdownDrainTest.class.getName(), file.toString(),
                String.valueOf(n)).redirectErrorStream(true).redirectOutput(dir.resolve("child.log").toFile()).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(Files.readString(dir.resolve("child.log"))).isZero();
        List<String> lines = Files.readAllLines(file);
        assertThat(lines).hasSize(n);
        assertThat(lines.get(n - 1)).contains("\"n\":" + (n - 1));
    }
}
