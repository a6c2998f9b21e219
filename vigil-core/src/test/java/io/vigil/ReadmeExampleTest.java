package io.vigil;

import io.vigil.event.Actor;
import io.vigil.event.AuditEvent;
import io.vigil.event.EventCatalog;
import io.vigil.event.Target;
import io.vigil.helper.AuthMethod;
import io.vigil.json.EventJson;
import io.vigil.sink.FileSinkOptions;
import io.vigil.sink.Sinks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/** The README's example, kept compiling and true. */
class ReadmeExampleTest {

    @Test
    void theReadmeExampleWritesWhatTheReadmeShows(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("audit.jsonl");
        try (AuditLog audit = AuditLog.builder()
                .service("gateway")
                .sink("file", Sinks.jsonlFile(FileSinkOptions.defaults(file)))
                .build()) {

            try (AuditContext.Scope scope = AuditContext.builder()
                    .requestId("req-7f3a").sessionId("sess-19").user("alice").clientIp("10.0.0.7").build().open()) {

                audit.auth().loginFailed(Actor.user("alice"), AuthMethod.PASSWORD, "bad credentials");
                audit.authz().accessDenied(Actor.user("alice"), Target.of("invoice", "inv-1042"), "not owner");
                audit.rateLimit().requestLimited(Actor.anonymous().withIp("203.0.113.9"), 0);
            }

            CompletableFuture<AuditReceipt> receipt = audit.record(AuditEvent.builder(EventCatalog.DATA_EXPORT)
                    .actor(Actor.user("bob")).target(Target.of("report", "q3")).detail("rows", 1200));
            assertThat(receipt.join().status()).isEqualTo(AuditReceipt.Status.WRITTEN);
        }
        List<AuditEvent> events = Files.readAllLines(file).stream().map(EventJson::parse).toList();
        assertThat(events).extracting(AuditEvent::type).containsExactly("audit.started", "auth.login.failure",
                "authz.access.denied", "rate_limit.request.limited", "data.export", "audit.stopped");
        AuditEvent login = events.get(1);
        assertThat(EventJson.toCanonicalString(login)).startsWith(
                "{\"action\":\"login\",\"actor\":{\"id\":\"alice\",\"ip\":\"10.0.0.7\",\"type\":\"user\"},"
                        + "\"category\":\"auth\",\"details\":{\"method\":\"password\"},\"id\":\"")
                .contains("\"outcome\":\"failure\",\"reason\":\"bad credentials\",\"requestId\":\"req-7f3a\","
                        + "\"service\":\"gateway\",\"sessionId\":\"sess-19\",\"severity\":\"low\",\"timestamp\":\"")
                .endsWith("\"type\":\"auth.login.failure\",\"v\":1}");
        assertThat(events.get(3).details()).containsEntry("retryAfterMs", 0L);
    }
}
