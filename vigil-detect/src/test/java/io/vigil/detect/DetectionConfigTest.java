package io.vigil.detect;

import io.vigil.config.ConfigException;
import io.vigil.config.ConfigLoader;
import io.vigil.event.Actor;
import io.vigil.event.AuditEvent;
import io.vigil.event.EventCatalog;
import io.vigil.event.EventIds;
import io.vigil.event.EventType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** The {@code detect} section: what it configures shows in what the detectors find, and every mistake is named. */
class DetectionConfigTest {

    private static final Instant T0 = Instant.parse("2025-03-01T09:00:00Z");

    @TempDir
    Path dir;

    private static AuditEvent login(EventType type, String account, long second) {
        return AuditEvent.builder(type).id(EventIds.next(T0.toEpochMilli() + second * 1000)).timestamp(T0.plusSeconds(second))
                .actor(Actor.user(account).withIp("203.0.113.7")).build();
    }

    /** At which of a run of failures, one every {@code spacing} seconds, the first finding comes; 0 for never. */
    private static int firstFindingAt(DetectionConfig config, int failures, long spacing) {
        DetectionReplay replay = config.builder().buildReplay();
        for (int i = 1; i <= failures; i++) {
            if (!replay.inspect(login(EventCatalog.AUTH_LOGIN_FAILURE, "alice", i * spacing)).isEmpty()) {
                return i;
            }
        }
        return 0;
    }

    private static ConfigException error(String yaml) {
        ConfigException e = catchThrowableOfType(ConfigException.class,
                () -> DetectionConfig.parseYaml(yaml, "vigil.yml"));
        assertThat(e).as("expected a ConfigException for:\n" + yaml).isNotNull();
        return e;
    }

    /** Every detector but the known bad ip list, which runs only when given a file. */
    private static final String[] ALL_BUT_THE_LIST = {"brute_force", "success_after_failure", "password_spraying",
        "impossible_travel", "new_user_agent", "abnormal_rate", "denial_burst"};

    @Test
    void withoutASectionEveryDetectorRunsWithItsDefaultRule() {
        DetectionConfig config = DetectionConfig.defaults();
        assertThat(config.enabled()).isTrue();
        assertThat(config.builder().build().detectors()).containsExactly(ALL_BUT_THE_LIST);
        assertThat(firstFindingAt(config, 10, 60)).isEqualTo(BruteForceRule.DEFAULT.threshold());
        assertThat(DetectionConfig.parseYaml("enabled: true\ntarget: stdout\n", "log only").builder().build()
                .detectors()).containsExactly(ALL_BUT_THE_LIST);
    }

    @Test
    void theRulesAreTheConfiguredOnes() {
        DetectionConfig config = DetectionConfig.parseYaml("""
                detect:
                  bruteForce: {threshold: 3, window: 90s}
                  successAfterFailure: {enabled: false}
                  passwordSpraying: {threshold: 4, ipv4Prefix: 24}
                  impossibleTravel: {enabled: false}
                  newUserAgent: {enabled: false}
                  abnormalRate: {enabled: false}
                  denialBurst: {enabled: false}
                  state: {maxKeys: 10}
                """, "vigil.yml");
        assertThat(config.builder().build().detectors()).containsExactly("brute_force", "password_spraying");
        assertThat(firstFindingAt(config, 10, 40)).as("three within 90s").isEqualTo(3);
        assertThat(firstFindingAt(config, 10, 46)).as("never three within 90s").isZero();
        assertThat(config.builder()).as("a builder of its own each time").isNotSameAs(config.builder());
    }

    @Test
    void aFileInAnyFormatAndPlaceGivesTheSameDetection(@TempDir Path files) throws IOException {
        Path yaml = Files.writeString(files.resolve("app.yml"), """
                spring: {application: {name: shop}}
                vigil:
                  enabled: true
                  target: stdout
                  detect:
                    bruteForce: {threshold: 2}
                """);
        Path props = Files.writeString(files.resolve("app.properties"), """
                vigil.enabled=true
                vigil.target=stdout
                vigil.detect.bruteForce.threshold=2
                """);
        Path json = Files.writeString(files.resolve("app.json"), "{\"detect\": {\"bruteForce\": {\"threshold\": 2}}}");
        for (Path p : List.of(yaml, props, json)) {
            assertThat(firstFindingAt(DetectionConfig.load(p), 5, 1)).as(p.toString()).isEqualTo(2);
            ConfigLoader.load(p); // and the log reads the same file
        }
        Properties flat = new Properties();
        flat.setProperty("detect.successAfterFailure.minFailures", "1");
        flat.setProperty("detect.bruteForce.enabled", "false");
        DetectionReplay replay = DetectionConfig.parseProperties(flat, "flat").builder().buildReplay();
        replay.inspect(login(EventCatalog.AUTH_LOGIN_FAILURE, "bob", 1));
        assertThat(replay.inspect(login(EventCatalog.AUTH_LOGIN_SUCCESS, "bob", 2))).hasSize(1);
    }

    @Test
    void detectionCanBeSwitchedOff() {
        DetectionConfig off = DetectionConfig.parseYaml("detect: {enabled: false}", "vigil.yml");
        assertThat(off.enabled()).isFalse();
        assertThat(error("detect: {bruteForce: {enabled: false}, successAfterFailure: {enabled: false},"
                + " passwordSpraying: {enabled: false}, impossibleTravel: {enabled: false},"
                + " newUserAgent: {enabled: false}, abnormalRate: {enabled: false}, denialBurst: {enabled: false}}")
                .problems())
                .containsExactly("detect.enabled: detection is on but every detector is disabled; enable one, or"
                        + " set detect.enabled: false");
    }

    @Test
    void everyMistakeIsReportedWithItsKeyPath() {
        ConfigException e = error("""
                vigil:
                  detect:
                    brutForce: {}
                    bruteForce:
                      threshold: 1
                      windw: 5m
                    successAfterFailure:
                      minFailures: many
                      window: 15
                    state: {maxKeys: 0, size: 3}
                """);
        assertThat(e.getMessage()).isEqualTo("""
                7 configuration errors in vigil.yml:
                  unknown key 'brutForce' at vigil.detect; allowed: enabled, bruteForce, successAfterFailure, \
                passwordSpraying, impossibleTravel, newUserAgent, abnormalRate, denialBurst, knownBadIps, state; did you \
                mean 'bruteForce'?
                  unknown key 'windw' at vigil.detect.bruteForce; allowed: enabled, threshold, window; did you mean \
                'window'?
                  vigil.detect.bruteForce: brute force threshold 1 must be at least 2
                  vigil.detect.successAfterFailure.minFailures: expected a whole number at least 1, got the string \
                'many'
                  vigil.detect.successAfterFailure.window: the number 15 is not a duration; expected a whole number \
                followed by ms, s, m or h (e.g. 250ms, 10s, 5m, 1h) (add a unit, e.g. 15ms)
                  unknown key 'size' at vigil.detect.state; allowed: maxKeys
                  vigil.detect.state.maxKeys: 0 is out of range; expected a whole number at least 1""");
    }

    @Test
    void windowsHaveBounds() {
        assertThat(error("detect: {bruteForce: {window: 0s}}").problems())
                .containsExactly("detect.bruteForce.window: '0s' is too short; at least 1ms");
        assertThat(error("detect: {successAfterFailure: {window: 745h}}").problems())
                .containsExactly("detect.successAfterFailure.window: '745h' is too long; at most 744h");
        assertThat(error("detect: {bruteForce: 5}").problems())
                .containsExactly("detect.bruteForce: expected a mapping of keys to values, got the number 5");
    }

    @Test
    void theBadIpListRunsWhenItNamesAFileWhoseBadLinesAreConfigurationErrors() throws IOException {
        Path list = Files.writeString(dir.resolve("bad-ips.txt"), "# scanners\n203.0.113.0/24\n");
        DetectionConfig config = DetectionConfig.parseYaml("detect:\n  knownBadIps:\n    file: " + list
                + "\n    window: 10m\n", "vigil.yml");
        assertThat(config.builder().build().detectors()).contains("known_bad_ip");
        DetectionReplay replay = config.builder().buildReplay();
        AuditEvent fromList = AuditEvent.builder(EventCatalog.AUTH_LOGIN_SUCCESS).id(EventIds.next(T0.toEpochMilli())).timestamp(T0)
                .actor(Actor.user("carol").withIp("203.0.113.9")).build();
        assertThat(replay.inspect(fromList)).extracting(AuditEvent::type)
                .containsExactly(EventCatalog.SECURITY_ANOMALY_DETECTED.name());

        Files.writeString(list, "203.0.113.300\n");
        assertThat(error("detect: {knownBadIps: {file: " + list + "}}").problems()).singleElement()
                .satisfies(p -> assertThat(p).startsWith("detect.knownBadIps: ").contains("bad-ips.txt:1:"));
        assertThat(error("detect: {knownBadIps: {enabled: true}}").problems())
                .containsExactly("detect.knownBadIps.enabled: the knownBadIps detector needs detect.knownBadIps.file");
    }

    @Test
    void aMissingFileIsAConfigurationError() {
        ConfigException e = catchThrowableOfType(ConfigException.class,
                () -> DetectionConfig.load(dir.resolve("nowhere.yml")));
        assertThat(e.getMessage()).endsWith("nowhere.yml: cannot read the file: no such file");
    }
}
