package io.vigil.logback;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import io.vigil.AuditLog;
import io.vigil.PipelineOptions;
import io.vigil.ledger.FileLedger;
import io.vigil.ledger.LedgerOptions;
import io.vigil.ledger.LedgerSink;
import io.vigil.ledger.LedgerVerifier;
import io.vigil.ledger.VerificationReport;
import io.vigil.logback.internal.EventMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Marker;
import org.slf4j.MarkerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Keeps docs/logback.md true: every key is documented, and its example's ledger line is what the bridge writes. */
class LogbackDocTest {

    static String doc() throws IOException {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.isRegularFile(p.resolve("docs/logback.md"))) {
            p = p.getParent();
        }
        assertThat(p).as("docs/logback.md above the working directory").isNotNull();
        return Files.readString(p.resolve("docs/logback.md"));
    }

    @Test
    void everyKeyAndEveryDetailTheBridgeSetsIsDocumented() throws IOException {
        String doc = doc();
        assertThat(AuditKeys.all()).allSatisfy(k -> assertThat(doc).contains("| `" + k + "` |"));
        assertThat(List.of(EventMapper.LOGGER, EventMapper.LOG_LEVEL, EventMapper.SOURCE_TYPE, EventMapper.OWASP,
                EventMapper.SESSION_ID_WITHHELD)).allSatisfy(k -> assertThat(doc).contains("| `details." + k + "` |"));
        int table = doc.indexOf("| key | becomes |");
        assertThat(table).as("the keys table").isNotNegative();
        String keysTable = doc.substring(table, doc.indexOf("\n\n", table));
        Matcher m = Pattern.compile("(?m)^\\| `([A-Za-z]+)` \\|").matcher(keysTable);
        while (m.find()) {
            assertThat(AuditKeys.all()).as("a documented key the bridge reads").contains(m.group(1));
        }
    }

    @Test
    void theExampleWritesTheLedgerLineTheDocShows(@TempDir Path tmp) throws Exception {
        LoggerContext logback = Fixture.newContext();
        Path dir = tmp.resolve("ledger");
        try (AuditLog audit = AuditLog.builder().service("shop")
                .pipeline(PipelineOptions.DEFAULT.withShutdownHook(false))
                .sink("ledger", new LedgerSink(FileLedger.open(dir, LedgerOptions.defaults("example.com/shop/audit"))))
                .build();
             LogbackBridge bridge = LogbackBridge.attach(logback, audit)) {
            Logger log = logback.getLogger("com.example.shop.PasswordReset");
            Marker AUDIT = MarkerFactory.getMarker("AUDIT");
            String token = "f3a9c0d2e4b6";
            // --- the example of docs/logback.md ---
            log.atInfo().addMarker(AUDIT)
                    .addKeyValue("type", "auth.password.reset.requested")
                    .addKeyValue("actor", "alice")
                    .addKeyValue("ip", "203.0.113.7")
                    .addKeyValue("channel", "email")
                    .addKeyValue("resetToken", token)
                    .log("password reset requested for {}", "alice");
            // ---
            assertThat(bridge.counters().mapped()).isEqualTo(1);
        } finally {
            logback.stop();
        }
        VerificationReport report = LedgerVerifier.of(dir).verify();
        assertThat(report.intact()).as(report.reason().orElse("")).isTrue();

        String line;
        try (Stream<Path> segments = Files.list(dir.resolve("segments"))) {
            line = segments.sorted().flatMap(p -> {
                try {
                    return Files.readAllLines(p).stream();
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            }).filter(l -> l.contains("auth.password.reset.requested")).findFirst().orElseThrow();
        }
        assertThat(line).doesNotContain("f3a9c0d2e4b6");
        String shown = jsonBlockAfter(doc(), "The ledger line it writes");
        assertThat(stable(shown)).isEqualTo(stable(line));
    }

    /** The line with what differs per run (id, time, chain hashes) replaced by a placeholder. */
    private static String stable(String line) {
        return line.trim().replaceAll("\"(id|timestamp|hash|prevHash)\":\"[^\"]*\"", "\"$1\":\"…\"");
    }

    private static String jsonBlockAfter(String doc, String heading) {
        int at = doc.indexOf(heading);
        assertThat(at).as("docs/logback.md has '%s'", heading).isNotNegative();
        Matcher m = Pattern.compile("```json\\n(.*?)```", Pattern.DOTALL).matcher(doc);
        assertThat(m.find(at)).as("a json block after '%s'", heading).isTrue();
        return m.group(1);
    }
}
