package io.vigil.logback;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import io.vigil.AuditLog;
import io.vigil.PipelineOptions;
import io.vigil.event.AuditEvent;
import io.vigil.sink.Sinks;
import org.slf4j.MDC;
import org.slf4j.Marker;
import org.slf4j.MarkerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real Logback context of its own, a real AuditLog whose handler sink keeps what it receives (after redaction,
 * as any sink sees it), and the bridge between them.
 */
final class Fixture implements AutoCloseable {
    static final Marker AUDIT = MarkerFactory.getMarker("AUDIT");
    static final Marker SECURITY = MarkerFactory.getMarker("SECURITY");
    /** An application's own logger name: not one of Vigil's. */
    static final String APP = "com.example.shop.Accounts";

    final LoggerContext logback = newContext();
    final AuditLog audit;
    final LogbackBridge bridge;
    private final List<AuditEvent> received = new ArrayList<>();

    Fixture() {
        this(BridgeOptions.DEFAULTS);
    }

    Fixture(BridgeOptions options) {
        audit = newAuditLog(received);
        bridge = LogbackBridge.attach(logback, audit, options);
    }

    /**
     * A started Logback context of its own. It shares SLF4J's MDC adapter, as the context SLF4J creates does, so
     * that {@code MDC.put} in a test reaches its events.
     */
    static LoggerContext newContext() {
        LoggerContext context = new LoggerContext();
        context.setMDCAdapter(MDC.getMDCAdapter());
        context.start();
        return context;
    }

    static AuditLog newAuditLog(List<AuditEvent> into) {
        return AuditLog.builder().selfAudit(false)
                .pipeline(PipelineOptions.DEFAULT.withShutdownHook(false))
                .sink("received", Sinks.handler(e -> {
                    synchronized (into) {
                        into.add(e);
                    }
                }))
                .build();
    }

    Logger logger() {
        return logback.getLogger(APP);
    }

    Logger logger(String name) {
        return logback.getLogger(name);
    }

    /** Everything the sink received so far, once the pipeline has written what was recorded. */
    List<AuditEvent> events() {
        assertThat(audit.flush(Duration.ofSeconds(10))).as("the audit log drained").isTrue();
        synchronized (received) {
            return List.copyOf(received);
        }
    }

    /** The one event the sink received. */
    AuditEvent only() {
        List<AuditEvent> all = events();
        assertThat(all).hasSize(1);
        return all.get(0);
    }

    @Override
    public void close() {
        bridge.close();
        audit.close();
        logback.stop();
    }
}
