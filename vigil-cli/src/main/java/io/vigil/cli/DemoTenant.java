package io.vigil.cli;

import io.vigil.AuditReceipt;
import io.vigil.event.AuditEvent;
import io.vigil.json.EventJson;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Fills the tenant of {@code vigil serve --demo} with the demo stream, sent the way any client sends: NDJSON batches
 * to {@code POST /v1/events} with the demo key.
 */
final class DemoTenant {
    private static final int BATCH = 1_000;
    private static final long SEED = 7;

    private DemoTenant() {
    }

    /** Sends {@code events} demo events to the server at {@code base}; returns how many it acknowledged. */
    static long fill(String base, String key, long events) throws IOException, InterruptedException {
        List<String> lines = new ArrayList<>();
        // The scenario asks how many findings were written after each incident event; there is no detection here.
        DemoScenario scenario = new DemoScenario(builder -> {
            AuditEvent e = builder.build();
            lines.add(EventJson.toCanonicalString(e));
            return CompletableFuture.<AuditReceipt>completedFuture(null);
        }, () -> 0L, SEED, events, DemoScenario.Traffic.WITH_INCIDENTS);
        scenario.run(done -> { });
        HttpClient http = HttpClient.newHttpClient();
        long acknowledged = 0;
        for (int from = 0; from < lines.size(); from += BATCH) {
            String body = String.join("\n", lines.subList(from, Math.min(lines.size(), from + BATCH))) + "\n";
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/v1/events"))
                    .header("Authorization", "Bearer " + key).header("Content-Type", "application/x-ndjson")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 202) {
                throw new IOException("the demo server refused the demo events (" + r.statusCode() + "): "
                        + r.body());
            }
            acknowledged += Math.min(BATCH, lines.size() - from);
        }
        return acknowledged;
    }
}
