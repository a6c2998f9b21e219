package io.vigil.cli;

import io.vigil.detect.DetectionReplay;
import io.vigil.event.AuditEvent;
import io.vigil.json.EventJson;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code vigil detect} over a demo ledger, the same events as JSON lines in a file and on standard input, with and
 * without a configuration, and over input it must refuse.
 */
class DetectCommandTest {
    private static final Set<String> LEDGER = Set.of("seq", "prevHash", "hash");

    @TempDir
    static Path shared;
    static Path demo;
    /** The demo ledger's lines. */
    static List<String> stored;
    /** The findings the live stage recorded in the demo ledger, as event JSON (without the ledger's members). */
    static List<String> recorded;
    /** The demo ledger's events without the findings, one JSON line each, as a service would have logged them. */
    static Path serviceEvents;

    @BeforeAll
    static void writeDemo() throws Exception {
        demo = Cli.demo(shared.resolve("demo"), 3000, 8);
        stored = Files.readAllLines(demo.resolve("segments/00000000000000000000.jsonl"));
        recorded = new ArrayList<>();
        List<String> service = new ArrayList<>();
        for (String line : stored) {
            AuditEvent e = EventJson.parseLine(line, LEDGER).event();
            (DetectionReplay.isFinding(e) ? recorded : service).add(EventJson.toCanonicalString(e));
        }
        serviceEvents = Files.write(shared.resolve("service.jsonl"), service);
    }

    private static List<String> lines(String text) {
        return text.isEmpty() ? List.of() : List.of(text.split("\n"));
    }

    private static Cli.Result ok(Cli.Result r) {
        assertThat(r.exit()).as(r.toString()).isZero();
        return r;
    }

    @Test
    void replayingTheDemoLedgerGivesBackTheFindingsTheLiveStageRecorded() {
        assertThat(recorded).as("the demo's brute force burst, the guess that worked, the traveller").hasSize(12);
        Cli.Result r = ok(Cli.run("detect", demo.toString()));
        assertThat(lines(r.out())).isEqualTo(recorded);
        assertThat(r.err()).contains("vigil detect: 3,000 events read from " + demo
                        + " (12 of them findings, not shown to the detectors)")
                .contains("detectors: brute_force, success_after_failure")
                .contains("findings: 12")
                .containsPattern("brute_force +security.brute.force.detected +5")
                .containsPattern("brute_force +auth.login.failure_limit_reached +5")
                .containsPattern("success_after_failure +auth.login.success_after_failure +1")
                .containsPattern("impossible_travel +security.anomaly.detected +1");
        ok(Cli.run("verify", demo.toString(), "--key", demo.resolve("demo-signing.pub").toString()));
    }

    @Test
    void findingsAreEventsOfTheModelNamingTheirCause() {
        List<AuditEvent> findings = lines(ok(Cli.run("detect", demo.toString())).out()).stream()
                .map(EventJson::parse).toList();
        List<String> ids = stored.stream().map(l -> EventJson.parseLine(l, LEDGER).event().id().toString()).toList();
        assertThat(findings).allSatisfy(f -> {
            assertThat(f.riskScore()).isPresent();
            assertThat(f.anomalyFlags()).containsExactly((String) f.details().get("detector"));
            assertThat(f.actor()).isPresent();
            assertThat((List<?>) f.details().get("triggeringEventIds")).isNotEmpty()
                    .allSatisfy(id -> assertThat(ids).contains((String) id));
        });
        AuditEvent guessed = findings.get(findings.size() - 2);
        assertThat(guessed.type()).isEqualTo("auth.login.success_after_failure");
        assertThat(guessed.actor().orElseThrow().id()).contains(DemoScenario.BREACHED_ACCOUNT);
        assertThat(guessed.actor().orElseThrow().ip()).contains("203.0.113.66");
    }

    @Test
    void aFileOfJsonLinesGivesWhatTheLedgerGives() {
        Cli.Result r = ok(Cli.run("detect", serviceEvents.toString()));
        assertThat(lines(r.out())).isEqualTo(recorded);
        assertThat(r.err()).contains("2,988 events read from " + serviceEvents + "\n").contains("findings: 12");
    }

    @Test
    void standardInputIsReadToo() {
        Cli.Result query = ok(Cli.run("query", demo.toString(), "--type", "auth.login.*"));
        Cli.Result r = ok(Cli.runWithInput(query.out().getBytes(StandardCharsets.UTF_8), "detect", "-"));
        assertThat(lines(r.out())).as("ledger lines, with their seq and hash, read back").isEqualTo(recorded);
        assertThat(r.err()).contains("read from standard input (6 of them findings, not shown to the detectors)");
        Cli.Result empty = ok(Cli.runWithInput(new byte[0], "detect", "-"));
        assertThat(empty.out()).isEmpty();
        assertThat(empty.err()).contains("0 events read").contains("findings: 0");
    }

    @Test
    void aTableShowsOneRowPerFinding() {
        List<String> rows = lines(ok(Cli.run("detect", demo.toString(), "--format", "table")).out());
        assertThat(rows.get(0)).contains("timestamp").contains("type").contains("severity").contains("risk")
                .contains("actor").contains("ip").contains("detector").contains("events");
        assertThat(rows.get(1)).matches("[- ]+");
        assertThat(rows.subList(2, rows.size() - 1)).hasSize(12).allSatisfy(row -> assertThat(row).contains("user:"))
                .filteredOn(row -> row.contains("203.0.113.66")).hasSize(11);
        assertThat(rows).anyMatch(r -> r.contains("security.brute.force.detected") && r.contains("high")
                && r.contains("0.60") && r.matches(".*brute_force +5"));
        assertThat(rows.get(rows.size() - 1)).isEqualTo("(12 findings)");
    }

    @Test
    void theConfigurationChoosesTheDetectorsAndTheirRules(@TempDir Path tmp) throws Exception {
        Path config = Files.writeString(tmp.resolve("vigil.yml"), """
                vigil:
                  enabled: true
                  target: stdout
                  detect:
                    bruteForce: {threshold: 2, window: 1m}
                    successAfterFailure: {enabled: false}
                    impossibleTravel: {enabled: false}
                """);
        Cli.Result r = ok(Cli.run("detect", serviceEvents.toString(), "--config", config.toString()));
        List<AuditEvent> found = lines(r.out()).stream().map(EventJson::parse).toList();
        assertThat(found).extracting(AuditEvent::type).containsOnly("security.brute.force.detected",
                "auth.login.failure_limit_reached");
        assertThat(found).as("each guessed account twice: two per finding").hasSize(20);
        assertThat(found).allSatisfy(f -> assertThat(f.details()).containsEntry("windowMs", 60_000L));
        assertThat(r.err())
                .contains("detectors: brute_force, password_spraying, new_user_agent, abnormal_rate, denial_burst\n");

        Path properties = Files.writeString(tmp.resolve("vigil.properties"), "detect.bruteForce.enabled=false\ndetect.impossibleTravel.enabled=false\n");
        assertThat(lines(ok(Cli.run("detect", serviceEvents.toString(), "--config", properties.toString())).out()))
                .hasSize(1).allMatch(l -> l.contains("auth.login.success_after_failure"));
    }

    @Test
    void badConfigurationIsExitTwoWithEveryMistake(@TempDir Path tmp) throws Exception {
        Path config = Files.writeString(tmp.resolve("vigil.yml"), """
                detect:
                  bruteForce: {treshold: 3, window: 10}
                """);
        Cli.Result r = Cli.run("detect", demo.toString(), "--config", config.toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).contains("2 configuration errors in " + config)
                .contains("unknown key 'treshold' at detect.bruteForce; allowed: enabled, threshold, window; did you"
                        + " mean 'threshold'?")
                .contains("detect.bruteForce.window: the number 10 is not a duration");

        Path off = Files.writeString(tmp.resolve("off.yml"), "detect: {enabled: false}\n");
        Cli.Result disabled = Cli.run("detect", demo.toString(), "--config", off.toString());
        assertThat(disabled.exit()).isEqualTo(2);
        assertThat(disabled.err()).contains("detection is switched off there (detect.enabled: false)");

        Cli.Result missing = Cli.run("detect", demo.toString(), "--config", tmp.resolve("none.yml").toString());
        assertThat(missing.exit()).isEqualTo(2);
        assertThat(missing.err()).contains("none.yml: cannot read the file: no such file");
    }

    @Test
    void badLinesAreExitTwoWithTheLineNumberAndWhy(@TempDir Path tmp) throws Exception {
        List<String> good = Files.readAllLines(serviceEvents).subList(0, 5);
        assertBadLine(tmp, List.of(good.get(0), good.get(1), "{\"v\":1,", good.get(2)),
                "line 3: not JSON: ");
        assertBadLine(tmp, List.of(good.get(0), "[1, 2]"), "line 2: not an event of the v1 model: an event must be a"
                + " JSON object");
        assertBadLine(tmp, List.of(good.get(0).replace("\"v\":1", "\"v\":1,\"colour\":\"red\"")),
                "line 1: not an event of the v1 model: unknown field 'colour'");
        assertBadLine(tmp, List.of(good.get(0), good.get(1), good.get(3), good.get(2)),
                "line 4: timestamp " + EventJson.parse(good.get(2)).timestamp() + " is earlier than the line before's, "
                        + EventJson.parse(good.get(3)).timestamp() + "; the events must be in time order");
        assertBadLine(tmp, List.of(good.get(0), "", good.get(1)), "line 2: empty; each line must hold one event");

        Path latin1 = tmp.resolve("latin1.jsonl");
        Files.write(latin1, (good.get(0) + "\n" + good.get(1).replace("\"v\":1", "\"v\":1,\"reason\":\"caf\u00e9\"")
                + "\n").getBytes(StandardCharsets.ISO_8859_1));
        Cli.Result notUtf8 = Cli.run("detect", latin1.toString());
        assertThat(notUtf8.exit()).isEqualTo(2);
        assertThat(notUtf8.err()).contains(latin1 + " line 2: not UTF-8 text");

        Cli.Result bad = Cli.runWithInput("{}\n".getBytes(StandardCharsets.UTF_8), "detect", "-");
        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.err()).contains("vigil: standard input line 1: not an event of the v1 model: missing required"
                + " field 'v'");
    }

    private static void assertBadLine(Path tmp, List<String> content, String why) throws Exception {
        Path file = Files.write(Files.createTempFile(tmp, "events", ".jsonl"), content);
        Cli.Result r = Cli.run("detect", file.toString());
        assertThat(r.exit()).as(r.toString()).isEqualTo(2);
        assertThat(r.err()).as(r.toString()).startsWith("vigil: " + file + " " + why);
    }

    @Test
    void inputThatIsNoneOfTheKindsIsExitTwo(@TempDir Path tmp) throws Exception {
        Cli.Result missing = Cli.run("detect", tmp.resolve("nowhere").toString());
        assertThat(missing.exit()).isEqualTo(2);
        assertThat(missing.err()).contains("does not exist; give a ledger directory, a jdbc:postgresql: URL, a file"
                + " of JSON lines, or - for standard input");
        Cli.Result notLedger = Cli.run("detect", tmp.toString());
        assertThat(notLedger.exit()).isEqualTo(2);
        assertThat(notLedger.err()).contains("is not a ledger directory");
        Cli.Result format = Cli.run("detect", demo.toString(), "--format", "ocsf");
        assertThat(format.exit()).isEqualTo(2);
        assertThat(format.err()).contains("jsonl").contains("table");
        Cli.Result none = Cli.run("detect");
        assertThat(none.exit()).isEqualTo(2);
        assertThat(none.err()).contains("INPUT");
    }

    @Test
    void helpExplainsInputsOutputsAndExitStatus() {
        Cli.Result help = ok(Cli.run("detect", "--help"));
        assertThat(help.out()).contains("Usage: vigil detect").contains("INPUT").contains("--config")
                .contains("--format").contains("jdbc:postgresql:").contains("standard input")
                .contains("Exit status").contains("Examples:").contains("vigil detect /tmp/vigil-demo");
        assertThat(ok(Cli.run("--help")).out()).contains("detect");
    }
}
