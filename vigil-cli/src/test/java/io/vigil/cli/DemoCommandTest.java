package io.vigil.cli;

import io.vigil.detect.DetectionReplay;
import io.vigil.event.AuditEvent;
import io.vigil.json.EventJson;
import io.vigil.ledger.LedgerVerifier;
import io.vigil.ledger.VerificationReport;
import io.vigil.ledger.checkpoint.KeyFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

class DemoCommandTest {
    private static final String SEGMENT = "segments/00000000000000000000.jsonl";
    private static final List<String> REPRODUCIBLE = List.of(SEGMENT, "checkpoints.jsonl", "index.bin",
            "tree/level-00.bin", "tree/level-01.bin", "demo-signing.key", "demo-signing.pub");

    @Test
    void theLinesToTryNextUseTheCommandAsTheUserInvokedIt(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("d");
        Cli.Result result;
        System.setProperty(DemoCommand.COMMAND_PROPERTY, "./vigil");
        try {
            result = Cli.run("demo", "--out", dir.toString(), "--events", "300", "--seed", "1");
        } finally {
            System.clearProperty(DemoCommand.COMMAND_PROPERTY);
        }
        assertThat(result.exit()).as(result.toString()).isZero();
        String tryNext = result.out().substring(result.out().indexOf("Try next:"));
        assertThat(tryNext.lines().skip(1).toList()).hasSize(5)
                .allSatisfy(l -> assertThat(l).startsWith("  ./vigil "));
        assertThat(tryNext).contains("  ./vigil verify " + dir + " --key " + dir.resolve("demo-signing.pub"));
    }

    @Test
    void theInvokedCommandIsVigilByDefaultAndQuotedWhenTheShellNeedsIt() {
        assertThat(DemoCommand.invokedCommand()).isEqualTo("vigil");
        System.setProperty(DemoCommand.COMMAND_PROPERTY, "/opt/it's here/vigil");
        try {
            assertThat(DemoCommand.invokedCommand()).isEqualTo("'/opt/it'\\''s here/vigil'");
        } finally {
            System.clearProperty(DemoCommand.COMMAND_PROPERTY);
        }
    }

    @Test
    void writesASignedLedgerOfValidEventsReproducibly(@TempDir Path tmp) throws Exception {
        Cli.Result first = Cli.run("demo", "--out", tmp.resolve("a").toString(), "--events", "5000", "--seed", "3");
        Cli.Result second = Cli.run("demo", "--out", tmp.resolve("b").toString(), "--events", "5000", "--seed", "3");
        Cli.Result other = Cli.run("demo", "--out", tmp.resolve("c").toString(), "--events", "5000", "--seed", "4");
        assertThat(first.exit()).as(first.toString()).isEqualTo(0);
        assertThat(second.exit()).as(second.toString()).isEqualTo(0);
        assertThat(other.exit()).as(other.toString()).isEqualTo(0);
        Path a = tmp.resolve("a");

        List<String> lines = Files.readAllLines(a.resolve(SEGMENT));
        assertThat(lines).hasSize(5000);
        for (String name : REPRODUCIBLE) {
            assertThat(Files.mismatch(a.resolve(name), tmp.resolve("b").resolve(name)))
                    .as("same seed, same bytes of " + name).isEqualTo(-1);
        }
        assertThat(Files.mismatch(a.resolve(SEGMENT), tmp.resolve("c").resolve(SEGMENT)))
                .as("other seed, other bytes").isNotEqualTo(-1);
        assertThat(Files.mismatch(a.resolve("demo-signing.pub"), tmp.resolve("c/demo-signing.pub")))
                .as("other seed, other demo key").isNotEqualTo(-1);

        Set<String> types = lines.stream().map(l -> EventJson.parseLine(l, Set.of("seq", "prevHash", "hash")).event())
                .map(AuditEvent::type).collect(Collectors.toSet());
        assertThat(types).contains("auth.login.success", "auth.login.failure", "auth.logout", "auth.token.created",
                "authz.access.denied", "data.export", "rate_limit.request.limited", "session.started",
                "security.brute.force.detected", "auth.login.failure_limit_reached",
                "auth.login.success_after_failure", "security.anomaly.detected", "admin.settings.changed", "config.changed");
        assertThat(Files.readAllLines(a.resolve("checkpoints.jsonl"))).as("a checkpoint every 1000 entries")
                .hasSize(5).allMatch(l -> l.contains("\"time\":\"2026-03-02T"));

        assertThat(first.out()).contains("Wrote 5,000 events").contains("4,988 from the service, 12 findings")
                .contains("category").contains("total")
                .contains("5 signed checkpoints")
                .contains("demo-signing.key").contains("for demos only")
                .contains("vigil verify " + a + " --key " + a.resolve("demo-signing.pub"));
        assertThat(first.err()).contains("100.0%");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(a.resolve(SEGMENT)))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(a))).isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(a.resolve("demo-signing.key"))))
                .isEqualTo("rw-------");

        VerificationReport report = LedgerVerifier.of(a).key(KeyFiles.readPublic(a.resolve("demo-signing.pub"))).verify();
        assertThat(report.reason()).isEmpty();
        assertThat(report.entries()).isEqualTo(5000);
        assertThat(report.checkpointsVerified()).isEqualTo(5);
    }

    @Test
    void aRealDetectionStageFindsTheIncidentsAndEachFindingFollowsItsCause(@TempDir Path tmp) throws Exception {
        Cli.Result r = Cli.run("demo", "--out", tmp.toString(), "--events", "3000", "--seed", "12");
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).containsPattern("detected: security.brute.force.detected +5\n")
                .containsPattern("detected: auth.login.failure_limit_reached +5\n")
                .containsPattern("detected: auth.login.success_after_failure +1\n")
                .containsPattern("detected: security.anomaly.detected +1\n");
        List<AuditEvent> ledger = Files.readAllLines(tmp.resolve(SEGMENT)).stream()
                .map(l -> EventJson.parseLine(l, Set.of("seq", "prevHash", "hash")).event()).toList();
        assertThat(ledger).hasSize(3000);
        int findings = 0;
        for (int i = 0; i < ledger.size(); i++) {
            AuditEvent e = ledger.get(i);
            if (!DetectionReplay.isFinding(e)) {
                continue;
            }
            findings++;
            // Right after the event that completed it (or after that event's other findings).
            int cause = i - 1;
            while (DetectionReplay.isFinding(ledger.get(cause))) {
                cause--;
            }
            List<?> triggers = (List<?>) e.details().get("triggeringEventIds");
            assertThat(triggers.get(triggers.size() - 1)).isEqualTo(ledger.get(cause).id().toString());
            assertThat(e.timestamp()).isEqualTo(ledger.get(cause).timestamp());
        }
        assertThat(findings).isEqualTo(12);
    }

    @Test
    void theDemoKeyDependsOnlyOnTheSeed() {
        var k1 = Keys.demoKey(DemoCommand.ORIGIN, 7);
        var k2 = Keys.demoKey(DemoCommand.ORIGIN, 7);
        assertThat(k1.verifierKey()).isEqualTo(k2.verifierKey());
        assertThat(k1.encode()).isEqualTo(k2.encode());
        assertThat(Keys.demoKey(DemoCommand.ORIGIN, 8).verifierKey()).isNotEqualTo(k1.verifierKey());
        byte[] msg = "hello".getBytes();
        assertThat(k1.verifierKey().verify(msg, k2.sign(msg))).isTrue();
    }

    @Test
    void refusesAnExistingLedgerWithoutForce(@TempDir Path tmp) throws Exception {
        assertThat(Cli.run("demo", "--out", tmp.toString(), "--events", "10").exit()).isEqualTo(0);
        Files.writeString(tmp.resolve("notes.txt"), "mine");
        Cli.Result again = Cli.run("demo", "--out", tmp.toString(), "--events", "10");
        assertThat(again.exit()).isEqualTo(2);
        assertThat(again.err()).contains("already exists").contains("holds a ledger").contains("--force");

        Cli.Result forced = Cli.run("demo", "--out", tmp.toString(), "--events", "20", "--seed", "9", "--force");
        assertThat(forced.exit()).as(forced.toString()).isEqualTo(0);
        assertThat(Files.readAllLines(tmp.resolve(SEGMENT))).hasSize(20);
        assertThat(Files.readString(tmp.resolve("notes.txt"))).as("other files are left alone").isEqualTo("mine");
        assertThat(Cli.run("verify", tmp.toString(), "--key", tmp.resolve("demo-signing.pub").toString()).exit())
                .isEqualTo(0);
    }

    @Test
    void badInputGetsAClearMessageAndExitCodeTwo(@TempDir Path tmp) throws Exception {
        Cli.Result zero = Cli.run("demo", "--out", tmp.toString(), "--events", "0");
        assertThat(zero.exit()).isEqualTo(2);
        assertThat(zero.err()).contains("--events must be between 1 and");
        Cli.Result missing = Cli.run("demo");
        assertThat(missing.exit()).isEqualTo(2);
        assertThat(missing.err()).contains("--out");
        Path file = Files.writeString(tmp.resolve("plain-file"), "x");
        Cli.Result notDir = Cli.run("demo", "--out", file.toString());
        assertThat(notDir.exit()).isEqualTo(2);
        assertThat(notDir.err()).contains("not a directory");
        Cli.Result notNumber = Cli.run("demo", "--out", tmp.toString(), "--seed", "abc");
        assertThat(notNumber.exit()).isEqualTo(2);
        assertThat(notNumber.err()).contains("--seed");
    }

    @Test
    void helpAndVersionWork() {
        Cli.Result help = Cli.run("--help");
        assertThat(help.exit()).isEqualTo(0);
        assertThat(help.out()).contains("Usage: vigil").contains("demo").contains("verify").contains("prove")
                .contains("query").contains("tail").contains("keygen").contains("Exit status");
        Cli.Result version = Cli.run("--version");
        assertThat(version.exit()).isEqualTo(0);
        assertThat(version.out()).startsWith("vigil ");
        Cli.Result unknown = Cli.run("frobnicate");
        assertThat(unknown.exit()).isEqualTo(2);
    }

    @Test
    void everyCommandsHelpShowsAnExample() {
        for (String[] cmd : new String[][] {{"demo"}, {"verify"}, {"prove"}, {"prove", "inclusion"},
                {"prove", "consistency"}, {"prove", "check"}, {"query"}, {"tail"}, {"detect"}, {"keygen"}}) {
            String[] args = Arrays.copyOf(cmd, cmd.length + 1);
            args[cmd.length] = "--help";
            Cli.Result r = Cli.run(args);
            assertThat(r.exit()).as(String.join(" ", cmd)).isEqualTo(0);
            assertThat(r.out()).as(String.join(" ", cmd)).contains("Example").contains("vigil " + cmd[0]);
        }
    }
}
