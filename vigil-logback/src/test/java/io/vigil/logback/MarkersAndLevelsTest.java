package io.vigil.logback;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.vigil.event.AuditEvent;
import org.junit.jupiter.api.Test;
import org.slf4j.Marker;
import org.slf4j.MarkerFactory;

import java.util.List;

import static io.vigil.logback.Fixture.AUDIT;
import static io.vigil.logback.Fixture.SECURITY;
import static org.assertj.core.api.Assertions.assertThat;

/** Which log events become audit events: by marker, at any level, never Vigil's own, and none once detached. */
class MarkersAndLevelsTest {

    @Test
    void auditAndSecurityMarkersAndAMarkerReferencingOneAreAuditedAndNothingElse() {
        Marker login = MarkerFactory.getDetachedMarker("LOGIN");
        login.add(SECURITY);
        Marker unrelated = MarkerFactory.getDetachedMarker("BILLING");
        try (Fixture f = new Fixture()) {
            Logger log = f.logger();
            log.info("plain line");
            log.info(unrelated, "billing line");
            log.atInfo().addMarker(AUDIT).addKeyValue("type", "data.read").log("audit");
            log.atInfo().addMarker(SECURITY).addKeyValue("type", "data.write").log("security");
            log.atInfo().addMarker(login).addKeyValue("type", "auth.login.success").log("login");
            log.atInfo().addMarker(unrelated).addMarker(AUDIT).addKeyValue("type", "data.delete").log("second marker");

            assertThat(f.events()).extracting(AuditEvent::type)
                    .containsExactly("data.read", "data.write", "auth.login.success", "data.delete");
            assertThat(f.bridge.counters().mapped()).isEqualTo(4);
        }
    }

    @Test
    void markerNamesAreConfigurable() {
        Marker privacy = MarkerFactory.getDetachedMarker("PRIVACY");
        try (Fixture f = new Fixture(BridgeOptions.DEFAULTS.withMarkers(List.of("PRIVACY")))) {
            f.logger().atInfo().addMarker(AUDIT).addKeyValue("type", "data.read").log("not ours any more");
            f.logger().atInfo().addMarker(privacy).addKeyValue("type", "data.export").log("ours");

            assertThat(f.events()).extracting(AuditEvent::type).containsExactly("data.export");
            assertThat(f.bridge.appenders().get(0).markerNames()).containsExactly("PRIVACY");
        }
    }

    @Test
    void markedEventsAreAuditedAtLevelsTheLoggerIsNotEnabledFor() {
        try (Fixture f = new Fixture()) {
            Logger log = f.logger();
            log.setLevel(Level.WARN);
            ListAppender<ILoggingEvent> everything = listAppender(f);

            log.debug("unmarked debug: filtered by level as usual");
            log.debug(AUDIT, "debug with the marker");
            log.trace(SECURITY, "trace with the marker");
            log.makeLoggingEventBuilder(org.slf4j.event.Level.TRACE).addMarker(AUDIT)
                    .addKeyValue("type", "data.read").log("builder at trace");

            List<AuditEvent> events = f.events();
            assertThat(events).extracting(e -> e.details().get("logLevel")).containsExactly("DEBUG", "TRACE", "TRACE");
            assertThat(events.get(2).type()).isEqualTo("data.read");
            // The filter lets marked events through the level check, for every appender; the rest stays filtered.
            assertThat(everything.list).extracting(ILoggingEvent::getFormattedMessage)
                    .contains("debug with the marker", "trace with the marker")
                    .doesNotContain("unmarked debug: filtered by level as usual");
        }
    }

    @Test
    void theFluentApiChecksTheLevelBeforeTheMarkerIsKnownSoAtDebugNeedsDebugEnabled() {
        // Documented limitation: atDebug() answers with a no-op builder when DEBUG is off, before addMarker runs.
        try (Fixture f = new Fixture()) {
            f.logger().setLevel(Level.INFO);
            f.logger().atDebug().addMarker(AUDIT).addKeyValue("type", "data.read").log("lost to the level check");
            f.logger().atInfo().addMarker(AUDIT).addKeyValue("type", "data.write").log("kept");

            assertThat(f.events()).extracting(AuditEvent::type).containsExactly("data.write");
        }
    }

    @Test
    void withoutTheTurboFilterTheLoggersLevelApplies() {
        try (Fixture f = new Fixture(BridgeOptions.DEFAULTS.withAcceptAtAnyLevel(false))) {
            f.logger().setLevel(Level.INFO);
            f.logger().debug(AUDIT, "below the level");
            f.logger().info(AUDIT, "at the level");

            assertThat(f.events()).extracting(e -> e.reason().orElseThrow()).containsExactly("at the level");
            assertThat(f.logback.getTurboFilterList()).isEmpty();
        }
    }

    @Test
    void vigilsOwnLoggersAreIgnoredButTheExampleApplicationsAreNot() {
        try (Fixture f = new Fixture()) {
            f.logger("io.vigil.ledger.FileLedger").warn(AUDIT, "from the ledger");
            f.logger("io.vigil").warn(AUDIT, "from the root package");
            f.logger("io.vigil.internal.Pipeline").atWarn().addMarker(SECURITY)
                    .addKeyValue("type", "audit.sink.failed").log("from the pipeline");
            f.logger("io.vigil.example.gateway.PasswordReset").atInfo().addMarker(AUDIT)
                    .addKeyValue("type", "auth.password.reset.requested").log("from the example app");
            f.logger("io.vigilant.Other").info(AUDIT, "a different package that merely starts alike");

            assertThat(f.events()).extracting(AuditEvent::type)
                    .containsExactly("auth.password.reset.requested", "security.event.unmapped");
            assertThat(f.bridge.counters()).isEqualTo(new BridgeCounters(1, 1, 0, 0, 3, 0));
        }
    }

    @Test
    void closingTheBridgeDetachesTheAppenderAndTheFilter() {
        try (Fixture f = new Fixture()) {
            Logger root = f.logger(Logger.ROOT_LOGGER_NAME);
            VigilAppender appender = f.bridge.appenders().get(0);
            assertThat(root.getAppender(VigilAppender.DEFAULT_NAME)).isSameAs(appender);
            assertThat(f.logback.getTurboFilterList()).hasSize(1).first().isInstanceOf(AuditMarkerTurboFilter.class);

            f.logger().info(AUDIT, "before");
            f.bridge.close();
            f.logger().info(AUDIT, "after");

            assertThat(f.events()).extracting(e -> e.reason().orElseThrow()).containsExactly("before");
            assertThat(root.getAppender(VigilAppender.DEFAULT_NAME)).isNull();
            assertThat(appender.isStarted()).isFalse();
            assertThat(f.logback.getTurboFilterList()).isEmpty();
        }
    }

    @Test
    void aResetOfTheContextPutsTheBridgeBackAndAClosedBridgeStaysGone() {
        try (Fixture f = new Fixture()) {
            f.logger().info(AUDIT, "before the reset");
            // What a reconfiguration does first: every appender and turbo filter is stopped and detached.
            f.logback.reset();
            f.logger().debug(AUDIT, "after the reset, at a level the logger is not enabled for");
            assertThat(f.events()).extracting(e -> e.reason().orElseThrow())
                    .containsExactly("before the reset", "after the reset, at a level the logger is not enabled for");

            f.bridge.close();
            f.logback.reset();
            f.logger().info(AUDIT, "after close and a reset");
            assertThat(f.events()).hasSize(2);
            assertThat(f.logger(Logger.ROOT_LOGGER_NAME).getAppender(VigilAppender.DEFAULT_NAME)).isNull();
        }
    }

    private static ListAppender<ILoggingEvent> listAppender(Fixture f) {
        ListAppender<ILoggingEvent> list = new ListAppender<>();
        list.setContext(f.logback);
        list.start();
        f.logger(Logger.ROOT_LOGGER_NAME).addAppender(list);
        return list;
    }
}
