package io.vigil.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.ledger.FileLedger;
import io.vigil.ledger.LedgerEntry;
import io.vigil.ledger.LedgerReader;
import io.vigil.ledger.LedgerVerifier;
import io.vigil.ledger.VerificationReport;
import io.vigil.ledger.checkpoint.KeyFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code kill -9} of a serving child JVM while four clients send batches: every event the server acknowledged (202
 * with a receipt) is in the ledger after the crash, at the seq and with the hash its receipt gave, and the ledger
 * verifies once reopened.
 */
class ServerCrashTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    /** The child: serves DIR on a free port and prints the port, until killed. */
    public static void main(String[] args) throws Exception {
        VigilServer server = VigilServer.start(ServerOptions.defaults(Path.of(args[0])).withPort(0));
        System.out.println("PORT " + server.port());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }

    @Test
    void everyAcknowledgedEventSurvivesAKill9() throws Exception {
        Path dir = tmp.resolve("server");
        String key = ApiKeys.open(dir).create("crash", Set.of(Scope.INGEST, Scope.READ), Optional.empty()).secret();
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), ServerCrashTest.class.getName(), dir.toString())
                .redirectErrorStream(true).start();
        Map<String, JsonNode> acknowledged = new ConcurrentHashMap<>();
        try {
            int port = portOf(child);
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            AtomicBoolean stop = new AtomicBoolean();
            List<Thread> clients = Stream.of(0, 1, 2, 3).map(c -> new Thread(() -> {
                for (int batch = 0; !stop.get(); batch++) {
                    StringBuilder body = new StringBuilder();
                    for (int i = 0; i < 50; i++) {
                        body.append("{\"v\":1,\"type\":\"auth.login.success\",\"category\":\"auth\",\"action\":\"login\",\"outcome\":")
                                .append("\"success\",\"severity\":\"low\",\"actor\":{\"type\":\"user\",\"id\":\"c")
                                .append(c).append("-b").append(batch).append("-e").append(i).append("\"}}\n");
                    }
                    try {
                        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                                        + port + "/v1/events")).header("Authorization", "Bearer " + key)
                                .header("Content-Type", "application/x-ndjson")
                                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(),
                                HttpResponse.BodyHandlers.ofString());
                        if (r.statusCode() == 202) {
                            JSON.readTree(r.body()).get("receipts").forEach(x -> acknowledged.put(x.get("id").asText(),
                                    x));
                        }
                    } catch (Exception e) {
                        return; // the server is gone
                    }
                }
            }, "client-" + c)).collect(Collectors.toList());
            clients.forEach(Thread::start);
            long until = System.nanoTime() + Duration.ofSeconds(3).toNanos();
            while (System.nanoTime() < until && acknowledged.size() < 2_000) {
                Thread.sleep(20);
            }
            child.destroyForcibly(); // SIGKILL: no shutdown hook, no final checkpoint
            child.waitFor();
            stop.set(true);
            for (Thread t : clients) {
                t.join(30_000);
            }
        } finally {
            child.destroyForcibly();
        }
        assertThat(acknowledged).as("the clients got answers before the kill").isNotEmpty();

        // Reopened by a new server, as after a restart; then read and verified.
        VigilServer.start(ServerOptions.defaults(dir).withPort(0)).close();
        Path ledger = dir.resolve("tenants").resolve("crash");
        Map<String, LedgerEntry> stored = new HashMap<>();
        try (LedgerReader reader = FileLedger.openReader(ledger);
             Stream<LedgerEntry> entries = reader.entries(0, reader.size())) {
            entries.forEach(e -> stored.put(e.event().id().toString(), e));
        }
        for (Map.Entry<String, JsonNode> a : acknowledged.entrySet()) {
            LedgerEntry e = stored.get(a.getKey());
            assertThat(e).as("acknowledged event %s", a.getKey()).isNotNull();
            assertThat(e.seq()).isEqualTo(a.getValue().get("seq").asLong());
            assertThat(e.hash()).isEqualTo(a.getValue().get("hash").asText());
        }
        VerificationReport report = LedgerVerifier.of(ledger).key(KeyFiles.readPublic(dir.resolve("server.pub")))
                .verify();
        assertThat(report.intact()).as(report.toString()).isTrue();
    }

    private static int portOf(Process child) throws Exception {
        BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
        String line;
        while ((line = out.readLine()) != null) {
            if (line.startsWith("PORT ")) {
                Thread drain = new Thread(() -> {
                    try {
                        while (out.readLine() != null) {
                            // the child's later output is not needed; read so that it never blocks on a full pipe
                        }
                    } catch (IOException e) {
                        // the child is gone
                    }
                }, "child-output");
                drain.setDaemon(true);
                drain.start();
                return Integer.parseInt(line.substring(5).trim());
            }
        }
        throw new IllegalStateException("the child server ended before it printed its port");
    }
}
