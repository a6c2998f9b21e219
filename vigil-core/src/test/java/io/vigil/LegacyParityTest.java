package io.vigil;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.config.ConfigLoader;
import io.vigil.config.VigilConfig;
import io.vigil.event.Actor;
import io.vigil.event.AuditEvent;
import io.vigil.event.EventCatalog;
import io.vigil.event.Outcome;
import io.vigil.event.Target;
import io.vigil.helper.AuthMethod;
import io.vigil.sink.Sinks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The behaviours the legacy audit logger's tests covered, re-expressed against Vigil, plus its defects
 * pinned as fixed: the outcome filter applies, 0 and false survive, stdout is pure JSONL, and a file that cannot
 * be opened is a visible error rather than silent loss.
 */
class LegacyParityTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private AuditLog fromYaml(String yaml) {
        VigilConfig config = ConfigLoader.parseYaml(yaml.replace("$DIR", dir.toString()), "test.yml");
        return AuditLog.builder().config(config).selfAudit(false).build();
    }

    private List<JsonNode> lines(Path file) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            out.add(JSON.readTree(line));
        }
        return out;
    }

    private static final String FILE_CONFIG = "enabled: true\ntarget: file\nfilePath: $DIR/audit.jsonl\n";

    @Test
    void authEventsAreWrittenAsJsonLinesWithActorMethodAndRequestId() throws Exception {
        try (AuditLog log = fromYaml(FILE_CONFIG);
             AuditContext.Scope s = AuditContext.builder().requestId("req-abc-123").build().open()) {
            log.auth().loginFailed(Actor.user("user-123").withIp("192.168.1.1"), AuthMethod.TOKEN, "Invalid token");
        }
        JsonNode e = lines(dir.resolve("audit.jsonl")).get(0);
        assertThat(e.get("category").asText()).isEqualTo("auth");
        assertThat(e.get("action").asText()).isEqualTo("login");
        assertThat(e.get("outcome").asText()).isEqualTo("failure");
        assertThat(e.get("actor").get("id").asText()).isEqualTo("user-123");
        assertThat(e.get("actor").get("ip").asText()).isEqualTo("192.168.1.1");
        assertThat(e.get("details").get("method").asText()).isEqualTo("token");
        assertThat(e.get("requestId").asText()).isEqualTo("req-abc-123");
        assertThat(e.get("timestamp").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
        assertThat(e.get("v").asInt()).isEqualTo(1);
        assertThat(e.has("id")).isTrue();
    }

    @Test
    void everyLegacyCategoryHasAHelperIncludingConfigAndChannel() throws Exception {
        try (AuditLog log = fromYaml(FILE_CONFIG)) {
            Actor admin = Actor.user("admin-1");
            log.authz().accessDenied(admin, Target.of("document", "d-1"), "not owner");
            log.admin().settingsChanged(admin, Target.ofType("gateway"), Map.of("bind", "lan"));
            log.configEvents().changed(admin, Map.of("rotation", "daily"));
            log.rateLimit().requestLimited(Actor.anonymous().withIp("10.0.0.1"), 5000);
            log.channel().connected(admin, "slack");
            log.session().ended(admin, "s-1", 1200);
        }
        List<String> categories = lines(dir.resolve("audit.jsonl")).stream().map(n -> n.get("category").asText()).toList();
        assertThat(categories).containsExactly("authz", "admin", "config", "rate_limit", "channel", "session");
    }

    @Test
    void zeroAndFalseAreKept() throws Exception {
        try (AuditLog log = fromYaml(FILE_CONFIG)) {
            log.rateLimit().requestLimited(Actor.anonymous().withIp("10.0.0.1"), 0);
            log.session().timedOut(Actor.user("u"), "s-1", 0);
            log.record(AuditEvent.builder(EventCatalog.DATA_READ).riskScore(0.0).detail("flag", false).detail("n", 0));
        }
        List<JsonNode> l = lines(dir.resolve("audit.jsonl"));
        assertThat(l.get(0).get("details").get("retryAfterMs").asLong()).isZero();
        assertThat(l.get(1).get("details").get("durationMs").asLong()).isZero();
        assertThat(l.get(2).get("riskScore").isNumber()).isTrue();
        assertThat(l.get(2).get("details").get("flag").asBoolean(true)).isFalse();
        assertThat(l.get(2).get("details").get("n").asLong(-1)).isZero();
    }

    @Test
    void disabledByDefaultWritesNothingAndCreatesNoFile() throws Exception {
        try (AuditLog log = fromYaml("filePath: $DIR/audit.jsonl\n")) {
            AuditReceipt r = log.auth().loginSucceeded(Actor.user("u"), AuthMethod.PASSWORD).get();
            assertThat(r.status()).isEqualTo(AuditReceipt.Status.FILTERED);
        }
        assertThat(dir.resolve("audit.jsonl")).doesNotExist();
    }

    @Test
    void categoryFilterKeepsOnlyListedCategories() throws Exception {
        try (AuditLog log = fromYaml(FILE_CONFIG + "categories: [auth, admin]\n")) {
            log.auth().loggedOut(Actor.user("u"));
            log.authz().accessGranted(Actor.user("u"), Target.of("doc", "1"));
            log.admin().userCreated(Actor.user("root"), "u2");
        }
        assertThat(lines(dir.resolve("audit.jsonl"))).extracting(n -> n.get("category").asText())
                .containsExactly("auth", "admin");
    }

    @Test
    void minOutcomeIsAppliedUnlikeTheLegacyLogger() throws Exception {
        try (AuditLog log = fromYaml(FILE_CONFIG + "minOutcome: failure\n")) {
            log.auth().login(AuthMethod.PASSWORD, Outcome.SUCCESS, Actor.user("a"));
            log.auth().login(AuthMethod.PASSWORD, Outcome.FAILURE, Actor.user("b"));
            log.authz().accessDenied(Actor.user("c"), Target.of("doc", "1"), "no");
            log.auth().login(AuthMethod.PASSWORD, Outcome.ERROR, Actor.user("d"));
        }
        assertThat(lines(dir.resolve("audit.jsonl"))).extracting(n -> n.get("outcome").asText())
                .containsExactly("failure", "denied", "error");
    }

    @Test
    void stdoutTargetWritesPureJsonLinesWithoutAnyPrefix() throws Exception {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try (AuditLog log = fromYaml("enabled: true\ntarget: stdout\n")) {
            log.auth().loggedOut(Actor.user("u"));
            log.authz().accessDenied(Actor.user("u"), Target.of("doc", "1"), "no");
        } finally {
            System.setOut(original);
        }
        List<String> out = captured.toString(StandardCharsets.UTF_8).lines().toList();
        assertThat(out).hasSize(2);
        for (String line : out) {
            assertThat(line).startsWith("{\"").endsWith("}");
            assertThat(JSON.readTree(line).isObject()).isTrue();
        }
    }

    @Test
    void customTargetHandsEventsToApplicationCode() throws Exception {
        List<AuditEvent> got = new ArrayList<>();
        VigilConfig config = ConfigLoader.parseYaml("enabled: true\ntarget: custom\n", "test.yml");
        try (AuditLog log = AuditLog.builder().config(config).selfAudit(false)
                .sink("default", Sinks.handler(got::add)).build()) {
            log.auth().passwordChanged(Actor.user("u"));
            assertThat(log.flush(Duration.ofSeconds(5))).isTrue();
        }
        assertThat(got).singleElement().satisfies(e -> assertThat(e.type()).isEqualTo("auth.password.changed"));
    }

    @Test
    void customTargetWithoutAHandlerIsAClearError() {
        VigilConfig config = ConfigLoader.parseYaml("enabled: true\ntarget: custom\n", "test.yml");
        assertThatThrownBy(() -> AuditLog.builder().config(config).build()).isInstanceOf(AuditException.class)
                .hasMessageContaining("'default'").hasMessageContaining("custom");
    }

    @Test
    void includeRequestIdsFalseLeavesThemOut() throws Exception {
        try (AuditLog log = fromYaml(FILE_CONFIG + "includeRequestIds: false\n");
             AuditContext.Scope s = AuditContext.builder().requestId("req-1").build().open()) {
            log.auth().loggedOut(Actor.user("u"));
        }
        assertThat(lines(dir.resolve("audit.jsonl")).get(0).has("requestId")).isFalse();
    }

    @Test
    void aFileThatCannotBeOpenedFailsLoudlyAtBuildInsteadOfDroppingEvents() throws Exception {
        Files.writeString(dir.resolve("blocker"), "not a directory");
        assertThatThrownBy(() -> fromYaml("enabled: true\nfilePath: $DIR/blocker/audit.jsonl\n"))
                .isInstanceOf(AuditException.class).hasMessageContaining("blocker/audit.jsonl");
    }

    @Test
    void enablingAtRuntimeOpensTheFileAndStartsWriting() throws Exception {
        try (AuditLog log = fromYaml("filePath: $DIR/audit.jsonl\n")) {
            log.auth().loggedOut(Actor.user("before"));
            log.reconfigure(ConfigLoader.parseYaml(FILE_CONFIG.replace("$DIR", dir.toString()), "reload.yml"));
            log.auth().loggedOut(Actor.user("after"));
        }
        assertThat(lines(dir.resolve("audit.jsonl"))).extracting(n -> n.get("actor").get("id").asText())
                .containsExactly("after");
    }
}
