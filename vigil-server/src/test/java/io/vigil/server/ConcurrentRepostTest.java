package io.vigil.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.event.Actor;
import io.vigil.event.AuditEvent;
import io.vigil.event.EventCatalog;
import io.vigil.json.EventJson;
import io.vigil.ledger.FileLedger;
import io.vigil.ledger.LedgerEntry;
import io.vigil.ledger.LedgerReader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Many clients re-posting overlapping batches at once, while earlier batches are still being indexed: every event is
 * written once, every client gets the same receipt for it, and queries find each exactly once.
 */
class ConcurrentRepostTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private static final int THREADS = 8;
    private static final int BATCHES = 40;
    private static final int PER_BATCH = 50;

    @TempDir
    Path tmp;
    private VigilServer server;
    private String key;

    @BeforeEach
    void start() throws IOException {
        Path dir = tmp.resolve("server");
        key = ApiKeys.open(dir).create("acme", Set.of(Scope.INGEST, Scope.READ), Optional.empty()).secret();
        server = VigilServer.start(ServerOptions.defaults(dir).withPort(0).withEventsPerSecond(10_000_000));
    }

    @AfterEach
    void stop() throws IOException {
        server.close();
    }

    @Test
    void overlappingRepostsWriteEachEventOnceAndAnswerTheSameReceipt() throws Exception {
        List<String> bodies = new ArrayList<>();
        Set<UUID> ids = new HashSet<>();
        Instant t0 = Instant.parse("2026-03-02T08:00:00Z");
        for (int b = 0; b < BATCHES; b++) {
            StringBuilder body = new StringBuilder();
            // Each batch overlaps the one before by half, so the same id comes in different batches.
            for (int i = b * PER_BATCH / 2; i < b * PER_BATCH / 2 + PER_BATCH; i++) {
                UUID id = new UUID(0x0190_0000_0000_7000L, i + 1L);
                ids.add(id);
                body.append(EventJson.toCanonicalString(AuditEvent.builder(EventCatalog.AUTH_LOGIN_FAILURE).id(id)
                        .timestamp(t0.plusSeconds(i)).actor(Actor.user("u" + (i % 7))).build())).append('\n');
            }
            bodies.add(body.toString());
        }
        Map<UUID, String> receipts = new ConcurrentHashMap<>();
        List<String> disagreements = Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<Void>> done = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                List<String> order = new ArrayList<>(bodies);
                Collections.shuffle(order, new Random(t));
                done.add(pool.submit(() -> {
                    for (String body : order) {
                        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                                        + server.port() + "/v1/events")).header("Authorization", "Bearer " + key)
                                .header("Content-Type", "application/x-ndjson")
                                .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                                HttpResponse.BodyHandlers.ofString());
                        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
                        for (JsonNode receipt : JSON.readTree(r.body()).get("receipts")) {
                            UUID id = UUID.fromString(receipt.get("id").asText());
                            String mine = receipt.get("seq").asLong() + "/" + receipt.get("hash").asText();
                            String first = receipts.putIfAbsent(id, mine);
                            if (first != null && !first.equals(mine)) {
                                disagreements.add(id + ": " + first + " and " + mine);
                            }
                        }
                    }
                    return null;
                }));
            }
            for (Future<Void> f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(disagreements).isEmpty();
        assertThat(receipts.keySet()).isEqualTo(ids);

        Map<UUID, Long> seen = new HashMap<>();
        try (LedgerReader reader = FileLedger.openReader(server.dir().resolve("tenants").resolve("acme"));
             Stream<LedgerEntry> all = reader.entries(0, reader.size())) {
            all.forEach(e -> assertThat(seen.put(e.event().id(), e.seq())).as("written twice: %s", e.event().id())
                    .isNull());
        }
        assertThat(seen.keySet()).isEqualTo(ids);
        seen.forEach((id, seq) -> assertThat(receipts.get(id)).startsWith(seq + "/"));

        // Queries page through every event exactly once.
        Set<UUID> queried = new HashSet<>();
        String cursor = null;
        do {
            HttpResponse<String> page = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + server.port() + "/v1/events?limit=97" + (cursor == null ? "" : "&cursor=" + cursor)))
                    .header("Authorization", "Bearer " + key).build(), HttpResponse.BodyHandlers.ofString());
            JsonNode body = JSON.readTree(page.body());
            for (JsonNode e : body.get("events")) {
                assertThat(queried.add(UUID.fromString(e.get("id").asText()))).isTrue();
            }
            cursor = body.get("next").isNull() ? null : body.get("next").asText();
        } while (cursor != null);
        assertThat(queried).isEqualTo(ids);
    }
}
