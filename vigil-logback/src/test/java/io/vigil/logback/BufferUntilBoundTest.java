package io.vigil.logback;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.status.Status;
import io.vigil.AuditContext;
import io.vigil.AuditLog;
import io.vigil.PipelineOptions;
import io.vigil.event.Actor;
import io.vigil.event.AuditEvent;
import io.vigil.sink.Sinks;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Marker;
import org.slf4j.MarkerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import static io.vigil.logback.Fixture.AUDIT;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The appender declared in {@code logback.xml}, before the application has a recorder: events wait in a bounded
 * buffer and are recorded as they were logged (time, correlation context) once it is bound.
 */
class BufferUntilBoundTest {
    private final LoggerContext logback = Fixture.newContext();
    private final List<AuditEvent> received = new ArrayList<>();

    @AfterEach
    void stop() {
        logback.stop();
    }

    private void configure() throws Exception {
        JoranConfigurator joran = new JoranConfigurator();
        joran.setContext(logback);
        joran.doConfigure(BufferUntilBoundTest.class.getResource("/vigil-logback.xml"));
    }

    private VigilAppender declared() {
        return (VigilAppender) logback.getLogger(Logger.ROOT_LOGGER_NAME).getAppender("AUDIT_TRAIL");
    }

    private List<AuditEvent> received(AuditLog audit) {
        assertThat(audit.flush(Duration.ofSeconds(10))).isTrue();
        synchronized (received) {
            return List.copyOf(received);
        }
    }

    @Test
    void theDeclarationIsReadFromLogbackXml() throws Exception {
        configure();
        assertThat(declared().markerNames()).containsExactly("AUDIT", "SECURITY", "PRIVACY");
        assertThat(declared().isStarted()).isTrue();
        assertThat(declared().isBound()).isFalse();
        assertThat(logback.getTurboFilterList()).singleElement().isInstanceOfSatisfying(AuditMarkerTurboFilter.class,
                f -> assertThat(f.markerNames()).containsExactly("AUDIT", "SECURITY", "PRIVACY"));
    }

    @Test
    void eventsLoggedBeforeBindingAreRecordedWhenBoundWithTheirTimeAndContext() throws Exception {
        configure();
        Logger log = logback.getLogger(Fixture.APP);
        Marker privacy = MarkerFactory.getDetachedMarker("PRIVACY");
        Instant loggedAfter = Instant.now().minusMillis(1);
        try (AuditContext.Scope s = AuditContext.builder().requestId("req-early").user("alice")
                .clientIp("10.0.0.7").build().open()) {
            log.atWarn().addMarker(AUDIT).addKeyValue("type", "auth.login.failure").log("early failure");
            log.debug(privacy, "a debug line below the root's WARN, let through by the declared filter");
        }
        assertThat(declared().counters()).isEqualTo(new BridgeCounters(0, 0, 0, 0, 0, 2));

        // The recorder's clock is years off: the events keep the time they were logged at.
        Clock longAgo = Clock.fixed(Instant.parse("2001-01-01T00:00:00Z"), ZoneOffset.UTC);
        try (AuditLog audit = AuditLog.builder().selfAudit(false).clock(longAgo)
                .pipeline(PipelineOptions.DEFAULT.withShutdownHook(false))
                .sink("received", Sinks.handler(e -> {
                    synchronized (received) {
                        received.add(e);
                    }
                })).build();
             AuditContext.Scope binder = AuditContext.builder().requestId("req-of-the-binding-thread").build().open()) {
            assertThat(LogbackBridge.bind(logback, audit)).isEqualTo(1);

            List<AuditEvent> events = received(audit);
            assertThat(events).extracting(AuditEvent::type)
                    .containsExactly("auth.login.failure", "security.event.unmapped");
            assertThat(events).allSatisfy(e -> {
                assertThat(e.requestId()).contains("req-early");
                assertThat(e.actor().flatMap(Actor::id)).contains("alice");
                assertThat(e.actor().flatMap(Actor::ip)).contains("10.0.0.7");
                assertThat(e.timestamp()).isAfter(loggedAfter).isBeforeOrEqualTo(Instant.now());
            });
            assertThat(declared().counters()).isEqualTo(new BridgeCounters(1, 1, 0, 0, 0, 0));

            log.warn(AUDIT, "after binding");
            assertThat(received(audit)).hasSize(3);
        }
    }

    @Test
    void aFullBufferDropsCountsAndWarnsOnce() throws Exception {
        configure(); // bufferCapacity 3
        Logger log = logback.getLogger(Fixture.APP);
        for (int i = 0; i < 7; i++) {
            log.warn(AUDIT, "event {}", i);
        }
        assertThat(declared().counters()).isEqualTo(new BridgeCounters(0, 0, 0, 4, 0, 3));
        List<Status> warnings = logback.getStatusManager().getCopyOfStatusList().stream()
                .filter(s -> s.getLevel() == Status.WARN && s.getOrigin() == declared()).toList();
        assertThat(warnings).singleElement().satisfies(w -> assertThat(w.getMessage()).contains("buffer of 3"));

        try (AuditLog audit = Fixture.newAuditLog(received)) {
            LogbackBridge.bind(logback, audit);
            assertThat(received(audit)).extracting(e -> e.reason().orElseThrow())
                    .containsExactly("event 0", "event 1", "event 2");
        }
    }

    @Test
    void stoppingWithEventsStillWaitingCountsThemAsDroppedAndWarns() throws Exception {
        configure();
        logback.getLogger(Fixture.APP).warn(AUDIT, "never bound");
        VigilAppender appender = declared();
        appender.stop();

        assertThat(appender.counters()).isEqualTo(new BridgeCounters(0, 0, 0, 1, 0, 0));
        assertThat(logback.getStatusManager().getCopyOfStatusList()).anySatisfy(s -> {
            assertThat(s.getLevel()).isEqualTo(Status.WARN);
            assertThat(s.getMessage()).contains("1 audit events").contains("never recorded");
        });
    }

    @Test
    void attachingToAContextThatDeclaresTheAppenderBindsItInsteadOfAddingAnother() throws Exception {
        configure();
        logback.getLogger(Fixture.APP).warn(AUDIT, "buffered");
        try (AuditLog audit = Fixture.newAuditLog(received)) {
            LogbackBridge bridge = LogbackBridge.attach(logback, audit);

            assertThat(bridge.appenders()).containsExactly(declared());
            assertThat(logback.getTurboFilterList()).hasSize(1); // the declared filter, not a second one
            logback.getLogger(Fixture.APP).warn(AUDIT, "bound");
            assertThat(received(audit)).extracting(e -> e.reason().orElseThrow()).containsExactly("buffered", "bound");

            bridge.close();
            assertThat(declared().isStarted()).isTrue(); // the declaration's appender stays, unbound
            assertThat(declared().isBound()).isFalse();
            logback.getLogger(Fixture.APP).warn(AUDIT, "waits again");
            assertThat(declared().counters().pending()).isEqualTo(1);
        }
    }
}
