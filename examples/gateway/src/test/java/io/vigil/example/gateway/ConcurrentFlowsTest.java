package io.vigil.example.gateway;

import io.vigil.example.gateway.support.Entry;
import io.vigil.example.gateway.support.FileStoreContext;
import io.vigil.example.gateway.support.GatewayClient;
import io.vigil.example.gateway.support.LedgerAccess;
import io.vigil.example.gateway.support.Reply;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.springframework.test.annotation.DirtiesContext;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Eight clients send 500 requests each, mixing the flows that leave entries (failed logins, denied reads, admin
 * changes audited before they happen, reset requests, anonymous denials) with ones that leave none. Every request's
 * entries are then counted by type: each expected entry is there exactly once, nothing else is, and the ledger
 * verifies.
 */
@FileStoreGateway
@Order(2)
@DirtiesContext // the last class of this gateway: closed before the next one starts
class ConcurrentFlowsTest extends GatewayTestBase {
    private static final int THREADS = 8;
    private static final int REQUESTS = 500;

    @Override
    LedgerAccess ledger() {
        return FileStoreContext.ledger();
    }

    /** One kind of request: how to send it, its status, the entries it must leave (type → count) and by whom. */
    private record Flow(String name, Function<GatewayClient, GatewayClient.Call> request, int status,
                        Map<String, Long> entries, String actor) {
    }

    private static final List<Flow> FLOWS = List.of(
            new Flow("me with Basic", c -> c.get("/api/me").basic("alice", "alice-password"), 200, Map.of(), "alice"),
            new Flow("own report", c -> c.get("/api/reports/r-alice-1").basic("alice", "alice-password"), 200,
                    Map.of("data.read", 1L), "alice"),
            new Flow("denied report", c -> c.get("/api/reports/r-alice-1").basic("bob", "bob-password"), 403,
                    Map.of("authz.access.denied", 1L, "data.read", 1L), "bob"),
            // A name that is no account: the burst of failures is a brute force finding, and the lock that follows
            // would lock alice out of the other flows.
            new Flow("failed login", c -> c.get("/api/me").basic("mallory", "wrong-password-5"), 401,
                    Map.of("auth.login.failure", 1L), "mallory"),
            new Flow("settings change", c -> c.put("/api/admin/settings").basic("admin", "admin-password")
                    .json(Map.of("loadTest", Thread.currentThread().getName())), 200,
                    Map.of("authz.access.granted", 1L, "audit.action.attempted", 1L, "admin.settings.changed", 1L),
                    "admin"),
            new Flow("reset request", c -> c.post("/api/password-reset").json(Map.of("username", "bob")), 202,
                    Map.of("auth.password.reset.requested", 1L), null),
            new Flow("anonymous", c -> c.get("/api/me"), 401, Map.of("authz.access.denied", 1L), null));

    /** A request sent, and the flow it belongs to. */
    private record Sent(Flow flow, Reply reply) {
    }

    @Test
    void everyExpectedEntryIsRecordedExactlyOnceUnderConcurrentLoad() throws Exception {
        long sizeBefore = ledger().entries().size();
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        List<Future<List<Sent>>> clients = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            int offset = t;
            clients.add(pool.submit(() -> {
                GatewayClient client = client();
                List<Sent> sent = new ArrayList<>(REQUESTS);
                for (int i = 0; i < REQUESTS; i++) {
                    Flow flow = FLOWS.get((i + offset) % FLOWS.size());
                    sent.add(new Sent(flow, flow.request().apply(client).send()));
                }
                return sent;
            }));
        }
        List<Sent> all = new ArrayList<>();
        for (Future<List<Sent>> f : clients) {
            all.addAll(f.get(5, TimeUnit.MINUTES));
        }
        pool.shutdown();
        assertThat(all).hasSize(THREADS * REQUESTS);
        for (Sent s : all) {
            assertThat(s.reply().status()).as("%s: %s", s.flow().name(), s.reply()).isEqualTo(s.flow().status());
        }

        // Some entries are decided when a request ends, just after its response was sent: wait until as many as
        // expected have arrived (or a deadline), then let any surplus arrive too before comparing.
        long expected = all.stream().mapToLong(s -> s.flow().entries().values().stream().mapToLong(Long::longValue).sum())
                .sum();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        List<Entry> written;
        do {
            assertThat(auditLog.flush(Duration.ofSeconds(30))).isTrue();
            written = requestEntries(sizeBefore);
        } while (written.size() < expected && System.nanoTime() < deadline && pause());
        pause();
        assertThat(auditLog.flush(Duration.ofSeconds(30))).isTrue();
        written = requestEntries(sizeBefore);
        Map<String, List<Entry>> byRequest = written.stream().filter(e -> e.requestId().isPresent())
                .collect(Collectors.groupingBy(e -> e.requestId().get()));
        assertThat(written).as("entries without a request id").allMatch(e -> e.requestId().isPresent());
        assertThat(byRequest.keySet()).as("entries of no other request")
                .isSubsetOf(all.stream().map(s -> s.reply().requestId()).toList());
        List<String> wrong = new ArrayList<>();
        for (Sent s : all) {
            List<Entry> entries = byRequest.getOrDefault(s.reply().requestId(), List.of());
            Map<String, Long> counted = new TreeMap<>(entries.stream()
                    .collect(Collectors.groupingBy(Entry::type, Collectors.counting())));
            if (!counted.equals(new TreeMap<>(s.flow().entries()))) {
                wrong.add(s.flow().name() + " " + s.reply().requestId() + ": " + counted);
            }
            for (Entry e : entries) {
                if (s.flow().actor() != null && !e.actorId().equals(Optional.of(s.flow().actor()))
                        || !e.actorIp().equals(Optional.of(LOOPBACK))) {
                    wrong.add(s.flow().name() + " " + s.reply().requestId() + ": actor " + e.json().path("actor"));
                }
            }
        }
        assertThat(wrong).as("requests whose entries are not exactly the expected ones (of %d)", all.size()).isEmpty();
    }

    /**
     * The entries written since {@code sizeBefore} by the requests, without the detectors' findings: the load makes
     * some (bursts of failures and denials, high rates), and they belong to no request.
     */
    private List<Entry> requestEntries(long sizeBefore) throws IOException {
        return ledger().entries().stream().skip(sizeBefore)
                .filter(e -> !e.json().path("details").has("detector")).toList();
    }

    private static boolean pause() {
        sleep(200);
        return true;
    }
}
