package io.vigil.spring.web;

import io.vigil.AuditLog;
import io.vigil.event.AuditEvent;
import io.vigil.json.EventJson;
import io.vigil.sink.Sinks;
import io.vigil.spring.SecretHasher;
import io.vigil.spring.internal.ledger.HmacSecretHasher;
import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a test application's audit log wrote: a real {@link AuditLog} (queue, writer thread, redaction) whose sink
 * keeps the events. Tests share one application per configuration, so they tell their events apart by the request
 * id they send. A client may have the response before the server has finished with the request (the body is
 * flushed before the filters return), so reading a request's events first waits until the application's outermost
 * filter ({@link #witness()}) has seen every dispatch of the request end.
 */
public final class RecordedEvents {
    /** The test applications' hash key; fixed so that a test can compute the hash it expects. */
    public static final SecretHasher HASHER = new HmacSecretHasher(
            "vigil test hash key, 32 bytes or more".getBytes(StandardCharsets.UTF_8));

    private final List<AuditEvent> events = new CopyOnWriteArrayList<>();
    private final Map<String, AtomicInteger> inFlight = new ConcurrentHashMap<>();
    private final AuditLog log;

    public RecordedEvents() {
        log = AuditLog.builder().sink("test", Sinks.handler(events::add)).selfAudit(false).build();
    }

    public AuditLog log() {
        return log;
    }

    /** Every event recorded so far, once the log's queue has drained. */
    public List<AuditEvent> all() {
        assertThat(log.flush(Duration.ofSeconds(10))).as("audit queue drained").isTrue();
        return List.copyOf(events);
    }

    public List<AuditEvent> matching(Predicate<AuditEvent> p) {
        return all().stream().filter(p).toList();
    }

    /** The events recorded while serving the request with this id, once the server is done with it. */
    public List<AuditEvent> forRequest(String requestId) {
        awaitServed(requestId);
        return matching(e -> e.requestId().filter(requestId::equals).isPresent());
    }

    /** The events recorded with this request id, without waiting for a server (for calls made in the test). */
    public List<AuditEvent> forRequestNow(String requestId) {
        return matching(e -> e.requestId().filter(requestId::equals).isPresent());
    }

    /** The outermost filter of a test application: counts the dispatches of each request in progress. */
    public Filter witness() {
        return (req, res, chain) -> {
            String id = ((HttpServletRequest) req).getHeader("X-Request-Id");
            AtomicInteger n = id == null ? null : inFlight.computeIfAbsent(id, k -> new AtomicInteger());
            if (n != null) {
                n.incrementAndGet();
            }
            try {
                chain.doFilter(req, res);
            } finally {
                if (n != null) {
                    n.decrementAndGet();
                }
            }
        };
    }

    private void awaitServed(String requestId) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            AtomicInteger n = inFlight.get(requestId);
            if (n != null && n.get() == 0) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("request " + requestId + " was not served within 10 s");
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    /** The events of one type recorded for a request. */
    public List<AuditEvent> forRequest(String requestId, String type) {
        return forRequest(requestId).stream().filter(e -> e.type().equals(type)).toList();
    }

    /** All events as their canonical JSON, for searching for what must never be there. */
    public String json() {
        StringBuilder sb = new StringBuilder();
        for (AuditEvent e : all()) {
            sb.append(EventJson.toCanonicalString(e)).append('\n');
        }
        return sb.toString();
    }

    /** The beans every test application needs: this recorder, an audit log writing into it, the fixed hasher. */
    @Configuration(proxyBeanMethods = false)
    public static class Beans {
        @Bean
        RecordedEvents recordedEvents() {
            return new RecordedEvents();
        }

        @Bean(destroyMethod = "close")
        AuditLog auditLog(RecordedEvents recorded) {
            return recorded.log();
        }

        @Bean
        SecretHasher secretHasher() {
            return HASHER;
        }
    }
}
