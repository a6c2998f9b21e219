package io.vigil;

import io.vigil.event.Actor;
import io.vigil.event.ActorType;
import io.vigil.event.AuditEvent;
import io.vigil.event.EventCatalog;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Method;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AuditContextTest {

    private final TestSinks.Collecting sink = new TestSinks.Collecting();

    private AuditLog log(boolean includeRequestIds) {
        return AuditLog.builder().selfAudit(false).includeRequestIds(includeRequestIds)
                .pipeline(PipelineOptions.DEFAULT.withShutdownHook(false)).sink("c", sink).build();
    }

    private static AuditContext ctx() {
        return AuditContext.builder().requestId("req-1").sessionId("sess-1").traceId("trace-1").user("alice")
                .clientIp("10.1.2.3").userAgent("curl/8").tenant("acme").build();
    }

    @Test
    void eventsInsideAScopeCarryItsValuesAndTheEventsOwnValuesWin() throws Exception {
        try (AuditLog log = log(true)) {
            try (AuditContext.Scope s = ctx().open()) {
                log.record(AuditEvent.builder(EventCatalog.AUTH_LOGOUT)).get();
                log.record(AuditEvent.builder(EventCatalog.AUTH_LOGOUT).requestId("own").actor(Actor.service("svc")))
                        .get();
            }
            log.record(AuditEvent.builder(EventCatalog.AUTH_LOGOUT)).get();
        }
        List<AuditEvent> got = sink.snapshot();
        AuditEvent first = got.get(0);
        assertThat(first.requestId()).contains("req-1");
        assertThat(first.sessionId()).contains("sess-1");
        assertThat(first.traceId()).contains("trace-1");
        assertThat(first.tenant()).contains("acme");
        assertThat(first.actor()).hasValueSatisfying(a -> {
            assertThat(a.type()).isEqualTo(ActorType.USER);
            assertThat(a.id()).contains("alice");
            assertThat(a.ip()).contains("10.1.2.3");
            assertThat(a.userAgent()).contains("curl/8");
        });
        AuditEvent second = got.get(1);
        assertThat(second.requestId()).contains("own");
        assertThat(second.actor().orElseThrow().id()).contains("svc");
        assertThat(second.actor().orElseThrow().ip()).contains("10.1.2.3");
        AuditEvent outside = got.get(2);
        assertThat(outside.requestId()).isEmpty();
        assertThat(outside.actor()).isEmpty();
    }

    @Test
    void scopesNestAndRestore() {
        AuditContext outer = AuditContext.builder().requestId("outer").build();
        try (AuditContext.Scope a = outer.open()) {
            try (AuditContext.Scope b = AuditContext.current().toBuilder().sessionId("s").build().open()) {
                assertThat(AuditContext.current().requestId()).contains("outer");
                assertThat(AuditContext.current().sessionId()).contains("s");
            }
            assertThat(AuditContext.current()).isEqualTo(outer);
        }
        assertThat(AuditContext.current()).isSameAs(AuditContext.EMPTY);
    }

    @Test
    void closingScopesOutOfOrderIsAnError() {
        AuditContext.Scope a = AuditContext.builder().requestId("a").build().open();
        AuditContext.Scope b = AuditContext.builder().requestId("b").build().open();
        assertThatThrownBy(a::close).isInstanceOf(IllegalStateException.class);
        b.close();
        a.close();
        assertThat(AuditContext.current()).isSameAs(AuditContext.EMPTY);
    }

    @Test
    void aContextTravelsToAnotherThreadWhenPassedExplicitly() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try (AuditLog log = log(true)) {
            AuditContext captured = ctx();
            pool.submit(captured.wrap(() -> {
                log.record(AuditEvent.builder(EventCatalog.DATA_READ));
            })).get();
            pool.submit(() -> log.record(AuditEvent.builder(EventCatalog.DATA_READ))).get();
            assertThat(log.flush(Duration.ofSeconds(5))).isTrue();
        } finally {
            pool.shutdown();
            pool.awaitTermination(5, TimeUnit.SECONDS);
        }
        assertThat(sink.snapshot().get(0).requestId()).contains("req-1");
        assertThat(sink.snapshot().get(1).requestId()).as("pool threads do not inherit by accident").isEmpty();
    }

    @Test
    void worksOnVirtualThreadsWhereTheJvmHasThem() throws Exception {
        Method ofVirtual;
        try {
            ofVirtual = Thread.class.getMethod("ofVirtual");
        } catch (NoSuchMethodException e) {
            Assumptions.abort("this JVM has no virtual threads (Java 21+)");
            return;
        }
        Object builder = ofVirtual.invoke(null);
        Method start = builder.getClass().getMethod("start", Runnable.class);
        start.setAccessible(true);
        try (AuditLog log = log(true)) {
            Thread t = (Thread) start.invoke(builder, ctx().wrap(() -> log.record(AuditEvent.builder(EventCatalog.DATA_READ))));
            t.join();
            assertThat(log.flush(Duration.ofSeconds(5))).isTrue();
        }
        assertThat(sink.snapshot().get(0).requestId()).contains("req-1");
    }

    @Test
    void includeRequestIdsFalseStripsTheCorrelationIds() throws Exception {
        try (AuditLog log = log(false); AuditContext.Scope s = ctx().open()) {
            log.record(AuditEvent.builder(EventCatalog.AUTH_LOGOUT)).get();
        }
        AuditEvent e = sink.snapshot().get(0);
        assertThat(e.requestId()).isEmpty();
        assertThat(e.sessionId()).isEmpty();
        assertThat(e.traceId()).isEmpty();
        assertThat(e.actor().orElseThrow().id()).contains("alice");
    }
}
