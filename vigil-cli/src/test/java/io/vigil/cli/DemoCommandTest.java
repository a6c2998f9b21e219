package io.vigil.cli;

import io.vigil.event.AuditEvent;
import io.vigil.json.EventJson;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

class DemoCommandTest {

    /** Runs the command with stdout and stderr captured; returns {exit, stdout, stderr}. */
    private static Object[] run(String... args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
        try {
            int code = VigilCommand.execute(args);
            return new Object[] {code, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8)};
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    @Test
    void writesTheRequestedNumberOfValidEventsDeterministically(@TempDir Path tmp) throws Exception {
        Object[] first = run("demo", "--out", tmp.resolve("a").toString(), "--events", "5000", "--seed", "3");
        Object[] second = run("demo", "--out", tmp.resolve("b").toString(), "--events", "5000", "--seed", "3");
        Object[] other = run("demo", "--out", tmp.resolve("c").toString(), "--events", "5000", "--seed", "4");
        assertThat(first[0]).as((String) first[2]).isEqualTo(0);
        assertThat(second[0]).isEqualTo(0);
        Path a = tmp.resolve("a/audit.jsonl");
        List<String> lines = Files.readAllLines(a);
        assertThat(lines).hasSize(5000);
        assertThat(Files.mismatch(a, tmp.resolve("b/audit.jsonl"))).as("same seed, same bytes").isEqualTo(-1);
        assertThat(Files.mismatch(a, tmp.resolve("c/audit.jsonl"))).as("other seed, other bytes").isNotEqualTo(-1);
        Set<String> types = lines.stream().map(EventJson::parse).map(AuditEvent::type).collect(Collectors.toSet());
        assertThat(types).contains("auth.login.success", "auth.login.failure", "auth.logout", "auth.token.created",
                "authz.access.denied", "data.export", "rate_limit.request.limited", "session.started",
                "security.brute.force.detected", "security.anomaly.detected", "admin.settings.changed",
                "config.changed");
        assertThat((String) first[1]).contains("Wrote 5,000 events").contains("category").contains("total");
        assertThat((String) first[2]).contains("100.0%");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(a))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(a.getParent()))).isEqualTo("rwx------");
    }

    @Test
    void refusesToOverwriteWithoutForce(@TempDir Path tmp) {
        assertThat(run("demo", "--out", tmp.toString(), "--events", "10")[0]).isEqualTo(0);
        Object[] again = run("demo", "--out", tmp.toString(), "--events", "10");
        assertThat(again[0]).isEqualTo(2);
        assertThat((String) again[2]).contains("already exists").contains("--force");
        assertThat(run("demo", "--out", tmp.toString(), "--events", "10", "--force")[0]).isEqualTo(0);
    }

    @Test
    void badInputGetsAClearMessageAndExitCodeTwo(@TempDir Path tmp) throws Exception {
        Object[] zero = run("demo", "--out", tmp.toString(), "--events", "0");
        assertThat(zero[0]).isEqualTo(2);
        assertThat((String) zero[2]).contains("--events must be between 1 and");
        Object[] missing = run("demo");
        assertThat(missing[0]).isEqualTo(2);
        assertThat((String) missing[2]).contains("--out");
        Path file = Files.writeString(tmp.resolve("plain-file"), "x");
        Object[] notDir = run("demo", "--out", file.toString());
        assertThat(notDir[0]).isEqualTo(2);
        assertThat((String) notDir[2]).contains("not a directory");
    }

    @Test
    void helpAndVersionWork() {
        Object[] help = run("--help");
        assertThat(help[0]).isEqualTo(0);
        assertThat((String) help[1]).contains("demo").contains("Usage: vigil");
        Object[] version = run("--version");
        assertThat(version[0]).isEqualTo(0);
        assertThat((String) version[1]).startsWith("vigil ");
    }
}
