package io.vigil.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A client that knows nothing of Vigil but HTTP and JSON: curl, as a service in another language would call the
 * server. It sends a batch as NDJSON, reads receipts, queries, and fetches one event with its proof.
 */
class PlainHttpClientTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private static String curl(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("curl", "--silent", "--show-error", "--max-time", "30"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return out;
    }

    @Test
    void curlSendsABatchAndReadsItBack() throws Exception {
        Path dir = tmp.resolve("server");
        String key = ApiKeys.open(dir).create("shop", Set.of(Scope.INGEST, Scope.READ), Optional.of("node-service"))
                .secret();
        try (VigilServer server = VigilServer.start(ServerOptions.defaults(dir).withPort(0))) {
            String base = "http://127.0.0.1:" + server.port();
            Path batch = tmp.resolve("batch.ndjson");
            Files.writeString(batch, """
                    {"v":1,"type":"auth.login.failure","category":"auth","action":"login","outcome":"failure","severity":"medium","actor":{"type":"user","id":"zoe","ip":"198.51.100.4"},"details":{"password":"hunter2"}}
                    {"v":1,"type":"auth.login.success","category":"auth","action":"login","outcome":"success","severity":"low","actor":{"type":"user","id":"zoe","ip":"198.51.100.4"}}
                    """);
            JsonNode posted = JSON.readTree(curl("-X", "POST", "-H", "Authorization: Bearer " + key,
                    "-H", "Content-Type: application/x-ndjson", "--data-binary", "@" + batch, base + "/v1/events"));
            assertThat(posted.get("receipts")).hasSize(2);
            String id = posted.get("receipts").get(0).get("id").asText();

            JsonNode page = JSON.readTree(curl("-H", "Authorization: Bearer " + key,
                    base + "/v1/events?actor=zoe&outcome=failure"));
            assertThat(page.get("events")).hasSize(1);
            JsonNode stored = page.get("events").get(0);
            assertThat(stored.get("id").asText()).isEqualTo(id);
            assertThat(stored.get("tenant").asText()).isEqualTo("shop");
            assertThat(stored.get("details").get("password").asText()).as("secrets are redacted on the way in")
                    .isEqualTo("[REDACTED]");

            JsonNode one = JSON.readTree(curl("-H", "Authorization: Bearer " + key, base + "/v1/events/" + id));
            assertThat(one.get("proof").get("checkpoint").asText()).startsWith("vigil/shop\n");
            String status = curl("-o", "/dev/null", "-w", "%{http_code}", base + "/v1/events");
            assertThat(status).isEqualTo("401");
        }
    }
}
