package io.vigil.spring.boot.autoconfigure;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import com.fasterxml.jackson.databind.JsonNode;
import io.vigil.AuditLog;
import io.vigil.ledger.LedgerVerifier;
import io.vigil.ledger.checkpoint.KeyFiles;
import io.vigil.logback.AuditMarkerTurboFilter;
import io.vigil.logback.LogbackBridge;
import io.vigil.logback.VigilAppender;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import org.slf4j.Marker;
import org.slf4j.MarkerFactory;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The bridge in a Spring application: attached to the running Logback, from properties, and gone on close. */
class VigilLogbackAutoConfigurationTest {
    private static final Marker AUDIT = MarkerFactory.getMarker("AUDIT");
    private static final Marker PRIVACY = MarkerFactory.getDetachedMarker("PRIVACY");

    @TempDir
    Path tmp;

    private ApplicationContextRunner runner() {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(VigilAutoConfiguration.class,
                        VigilLogbackAutoConfiguration.class))
                .withSystemProperties("user.home=" + tmp.resolve("home"))
                .withPropertyValues("spring.application.name=shop");
    }

    private Path ledger() {
        return tmp.resolve("home/.vigil/ledger/shop");
    }

    private static LoggerContext logback() {
        return (LoggerContext) LoggerFactory.getILoggerFactory();
    }

    private static org.slf4j.Logger appLogger() {
        return LoggerFactory.getLogger("com.example.shop.PasswordReset");
    }

    private static boolean vigilAttached() {
        return logback().getLoggerList().stream().anyMatch(l -> {
            var it = l.iteratorForAppenders();
            while (it.hasNext()) {
                if (it.next() instanceof VigilAppender) {
                    return true;
                }
            }
            return false;
        }) || logback().getTurboFilterList().stream().anyMatch(f -> f instanceof AuditMarkerTurboFilter);
    }

    @Test
    void markedLogEventsLandInTheLedgerAndTheBridgeIsDetachedOnClose() throws Exception {
        runner().run(ctx -> {
            assertThat(ctx).hasSingleBean(LogbackBridge.class);
            assertThat(logback().getLogger(Logger.ROOT_LOGGER_NAME).getAppender(VigilAppender.DEFAULT_NAME))
                    .isNotNull();
            appLogger().atInfo().addMarker(AUDIT).addKeyValue("type", "auth.password.reset.requested")
                    .addKeyValue("targetType", "user").addKeyValue("targetId", "alice")
                    .addKeyValue("password", "alice-password")
                    .log("password reset requested");
            appLogger().info("an ordinary line");
            assertThat(ctx.getBean(AuditLog.class).flush(Duration.ofSeconds(10))).isTrue();
            assertThat(ctx.getBean(LogbackBridge.class).counters().mapped()).isEqualTo(1);
        });
        assertThat(vigilAttached()).as("detached when the context closed").isFalse();

        List<JsonNode> entries = LedgerEntries.ofType(ledger(), "auth.password.reset.requested");
        assertThat(entries).singleElement().satisfies(e -> {
            assertThat(e.path("target").path("id").asText()).isEqualTo("alice");
            assertThat(e.path("details").path("password").asText()).isEqualTo("[REDACTED]");
            assertThat(e.path("details").path("logger").asText()).isEqualTo("com.example.shop.PasswordReset");
            assertThat(e.path("service").asText()).isEqualTo("shop");
        });
        assertThat(LedgerEntries.read(ledger()).toString()).doesNotContain("alice-password", "an ordinary line");
        assertThat(LedgerVerifier.of(ledger()).key(KeyFiles.readPublic(ledger().resolve("signing.pub"))).verify()
                .intact()).isTrue();
    }

    @Test
    void markersComeFromProperties() {
        runner().withPropertyValues("vigil.logback.markers=PRIVACY").run(ctx -> {
            appLogger().info(AUDIT, "not an audit marker here");
            appLogger().info(PRIVACY, "an audit marker here");
            LogbackBridge bridge = ctx.getBean(LogbackBridge.class);
            assertThat(bridge.appenders()).singleElement()
                    .satisfies(a -> assertThat(a.markerNames()).containsExactly("PRIVACY"));
            assertThat(bridge.counters().recorded()).isEqualTo(1);
        });
    }

    @Test
    void noMarkersFailsStartUpNamingTheProperty() {
        runner().withPropertyValues("vigil.logback.markers=").run(ctx -> {
            assertThat(ctx).hasFailed();
            assertThat(ctx.getStartupFailure()).rootCause().hasMessageContaining("vigil.logback.markers");
        });
        assertThat(vigilAttached()).isFalse();
    }

    @Test
    void switchedOffByProperty() {
        runner().withPropertyValues("vigil.logback.enabled=false").run(ctx -> {
            assertThat(ctx).hasSingleBean(AuditLog.class).doesNotHaveBean(LogbackBridge.class);
            assertThat(vigilAttached()).isFalse();
        });
    }

    @Test
    void nothingWithoutAnAuditLog() {
        runner().withPropertyValues("vigil.enabled=false").run(ctx -> {
            assertThat(ctx).doesNotHaveBean(AuditLog.class).doesNotHaveBean(LogbackBridge.class);
            assertThat(vigilAttached()).isFalse();
        });
    }

    @Test
    void backsOffForTheApplicationsOwnBridge() {
        runner().withUserConfiguration(OwnBridge.class).run(ctx -> {
            assertThat(ctx).hasSingleBean(LogbackBridge.class);
            assertThat(ctx.getBean(LogbackBridge.class)).isSameAs(ctx.getBean(OwnBridge.class).bridge);
        });
    }

    @Test
    void aSpringApplicationKeepsTheBridgeAttachedThroughItsLoggingInitialisation() {
        // A real SpringApplication resets Logback while it starts; the bridge, a bean, is attached after that.
        try (ConfigurableApplicationContext ctx = new SpringApplicationBuilder(App.class)
                .web(WebApplicationType.NONE)
                .properties("spring.application.name=shop", "vigil.ledger.dir=" + tmp.resolve("app-ledger"))
                .run()) {
            appLogger().atWarn().addMarker(AUDIT).addKeyValue("type", "authn_login_fail:bob").log("login failed");
            assertThat(ctx.getBean(AuditLog.class).flush(Duration.ofSeconds(10))).isTrue();
            assertThat(ctx.getBean(LogbackBridge.class).counters().mapped()).isEqualTo(1);
        }
        assertThat(LedgerEntries.ofType(tmp.resolve("app-ledger"), "auth.login.failure")).singleElement()
                .satisfies(e -> assertThat(e.path("actor").path("id").asText()).isEqualTo("bob"));
        assertThat(vigilAttached()).isFalse();
    }

    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration({VigilAutoConfiguration.class, VigilLogbackAutoConfiguration.class})
    static class App {
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnBridge {
        final LogbackBridge bridge = LogbackBridge.attach(logback(), event -> {
            throw new IllegalStateException("unused");
        });

        @Bean
        LogbackBridge ownBridge() {
            return bridge;
        }
    }
}
