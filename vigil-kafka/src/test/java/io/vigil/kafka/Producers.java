package io.vigil.kafka;

import io.vigil.event.Actor;
import io.vigil.event.AuditEvent;
import io.vigil.event.EventCatalog;
import io.vigil.event.EventIds;
import io.vigil.sink.AuditSink;
import io.vigil.sink.EventFormats;
import io.vigil.sink.KafkaSinkOptions;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Several producers, each a Kafka sink of its own on a thread of its own, writing batches of events for a few
 * tenants: event {@code n} of producer {@code p} carries both in its details, so that the order per producer and
 * tenant can be checked in the ledgers (a producer is named by its run and number). A batch that fails is sent again, as the pipeline does.
 */
public final class Producers {
    private final ConcurrentLinkedQueue<AuditEvent> sent = new ConcurrentLinkedQueue<>();
    private final List<Future<?>> running = new ArrayList<>();
    private final ExecutorService pool;
    private volatile boolean stop;

    private Producers(int producers) {
        pool = Executors.newFixedThreadPool(producers);
    }

    /**
     * Starts {@code producers} producers, each sending {@code perProducer} events in batches of {@code batch} to
     * {@code tenants} tenants, pausing {@code pause} between batches.
     */
    public static Producers start(String bootstrap, String topic, int producers, int perProducer, int batch, int tenants,
                           Duration pause) {
        Producers p = new Producers(producers);
        String run = UUID.randomUUID().toString().substring(0, 8);
        for (int i = 0; i < producers; i++) {
            int producer = i;
            p.running.add(p.pool.submit(() -> {
                try (AuditSink sink = KafkaSinks.open(KafkaSinkOptions.of(bootstrap, topic, "producer-" + run + "-"
                        + producer), EventFormats.jsonl())) {
                    for (int from = 0; from < perProducer && !p.stop; from += batch) {
                        List<AuditEvent> events = new ArrayList<>();
                        for (int n = from; n < Math.min(perProducer, from + batch); n++) {
                            events.add(event("tenant-" + (n + producer) % tenants, run + "-" + producer, n));
                        }
                        send(sink, events);
                        p.sent.addAll(events);
                        Thread.sleep(pause.toMillis());
                    }
                }
                return null;
            }));
        }
        return p;
    }

    private static void send(AuditSink sink, List<AuditEvent> events) throws InterruptedException {
        Instant end = Instant.now().plusSeconds(90);
        while (true) {
            try {
                sink.write(events);
                return;
            } catch (IOException e) {
                if (Instant.now().isAfter(end)) {
                    throw new AssertionError("could not send a batch for 90 s", e);
                }
                Thread.sleep(200);
            }
        }
    }

    public static AuditEvent event(String tenant, String producer, long n) {
        long millis = 1_700_000_000_000L + n;
        return AuditEvent.builder(EventCatalog.AUTH_LOGIN_FAILURE).id(EventIds.next(millis))
                .timestamp(Instant.ofEpochMilli(millis)).actor(Actor.user("user-" + n % 7)).tenant(tenant)
                .detail("p", producer).detail("n", n).build();
    }

    /** Waits for every producer to finish, failing on the first that failed. */
    public List<AuditEvent> await() throws Exception {
        for (Future<?> f : running) {
            f.get(3, TimeUnit.MINUTES);
        }
        pool.shutdown();
        return List.copyOf(sent);
    }

    /**
     * Stops the producers after their batch in flight, waits for them and returns what they sent: a test that must
     * do something while they still send calls this once it did, so that "mid-stream" holds by construction.
     */
    public List<AuditEvent> stopAndAwait() throws Exception {
        stop = true;
        return await();
    }

    /** Whether a producer is still sending. */
    public boolean running() {
        return running.stream().anyMatch(f -> !f.isDone());
    }

    /** Events sent so far. */
    public int sentSoFar() {
        return sent.size();
    }

    /**
     * Checks the ledgers against what was sent: every event exactly once, each tenant in one ledger only, and each
     * producer's events of a tenant in the order it sent them.
     */
    public static void assertExactlyOnceInOrder(List<AuditEvent> sent, Map<Integer, List<AuditEvent>> ledgers) {
        List<UUID> stored = ledgers.values().stream().flatMap(Collection::stream).map(AuditEvent::id).toList();
        assertThat(stored).as("every event once").hasSize(sent.size())
                .containsExactlyInAnyOrderElementsOf(sent.stream().map(AuditEvent::id).toList());
        Map<String, Integer> ledgerOfTenant = new HashMap<>();
        for (Map.Entry<Integer, List<AuditEvent>> e : ledgers.entrySet()) {
            Map<String, Long> last = new HashMap<>();
            for (AuditEvent ev : e.getValue()) {
                String tenant = ev.tenant().orElseThrow();
                Integer before = ledgerOfTenant.putIfAbsent(tenant, e.getKey());
                assertThat(before == null ? e.getKey() : before).as("tenant %s in one ledger", tenant)
                        .isEqualTo(e.getKey());
                String key = tenant + "/" + ev.details().get("p");
                long n = ((Number) ev.details().get("n")).longValue();
                Long prev = last.put(key, n);
                assertThat(prev == null ? -1 : prev).as("order of %s", key).isLessThan(n);
            }
        }
    }
}
