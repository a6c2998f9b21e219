package io.vigil.spring.boot.autoconfigure;

import io.vigil.AuditLog;
import io.vigil.detect.AccountLocker;
import io.vigil.detect.DetectionStage;
import io.vigil.detect.GeoLocation;
import io.vigil.detect.GeoResolver;
import io.vigil.event.Actor;
import io.vigil.event.AuditEvent;
import io.vigil.event.EventCatalog;
import io.vigil.ledger.LedgerVerifier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Detection switched on by property in a real application context: the {@code vigil.detect.*} properties configure
 * the detectors (relaxed names and all), findings reach the application's ledger, the application's
 * {@link AccountLocker} is called and its lock recorded, and a misspelt key stops start-up naming it.
 */
class DetectionAutoConfigurationTest {

    @TempDir
    Path tmp;

    private ApplicationContextRunner runner(Path dir) {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(VigilAutoConfiguration.class,
                        VigilDetectionAutoConfiguration.class))
                .withSystemProperties("user.home=" + tmp.resolve("home"))
                .withPropertyValues("spring.application.name=orders", "vigil.ledger.dir=" + dir);
    }

    @Test
    void detectionIsOffUnlessSwitchedOn() {
        runner(tmp.resolve("off")).run(ctx -> assertThat(ctx).hasSingleBean(AuditLog.class)
                .doesNotHaveBean(DetectionStage.class));
        runner(tmp.resolve("no")).withPropertyValues("vigil.detect.enabled=false")
                .run(ctx -> assertThat(ctx).doesNotHaveBean(DetectionStage.class));
        runner(tmp.resolve("all-off")).withPropertyValues("vigil.enabled=false", "vigil.detect.enabled=true")
                .run(ctx -> assertThat(ctx).doesNotHaveBean(DetectionStage.class).doesNotHaveBean(AuditLog.class));
    }

    @Test
    void findingsAndTheLockTheyCauseReachTheApplicationsLedger() throws Exception {
        Path dir = tmp.resolve("ledger");
        List<String> locked = new CopyOnWriteArrayList<>();
        AccountLocker locker = (tenant, account, finding) -> locked.add(account);
        runner(dir).withBean(AccountLocker.class, () -> locker)
                .withPropertyValues("vigil.detect.enabled=true", "vigil.detect.brute-force.threshold=3",
                        "vigil.detect.successAfterFailure.enabled=false")
                .run(ctx -> {
                    assertThat(ctx).hasSingleBean(DetectionStage.class);
                    DetectionStage stage = ctx.getBean(DetectionStage.class);
                    assertThat(stage.detectors()).contains("brute_force").doesNotContain("success_after_failure");
                    AuditLog log = ctx.getBean(AuditLog.class);
                    for (int i = 0; i < 3; i++) {
                        log.record(AuditEvent.builder(EventCatalog.AUTH_LOGIN_FAILURE)
                                .actor(Actor.user("carol").withIp("198.51.100.4")));
                    }
                    assertThat(stage.flush(Duration.ofSeconds(10))).isTrue();
                });
        assertThat(locked).containsExactly("carol");
        assertThat(LedgerEntries.ofType(dir, "security.brute.force.detected")).singleElement()
                .satisfies(e -> assertThat(e.path("details").path("failedAttempts").asInt()).isEqualTo(3));
        assertThat(LedgerEntries.ofType(dir, "auth.account.locked")).singleElement()
                .satisfies(e -> assertThat(e.path("actor").path("id").asText()).isEqualTo("carol"));
        assertThat(LedgerVerifier.of(dir).verify().intact()).isTrue();
    }

    @Test
    void aMisspeltKeyStopsStartUpNamingItAndTheKeyMeant() {
        runner(tmp.resolve("bad")).withPropertyValues("vigil.detect.enabled=true",
                        "vigil.detect.brute-force.treshold=3")
                .run(ctx -> assertThat(ctx).hasFailed().getFailure().rootCause()
                        .hasMessageContaining("unknown key 'treshold' at detect.bruteForce")
                        .hasMessageContaining("did you mean 'threshold'"));
    }

    @Test
    void theApplicationsGeoResolverLocatesAddressesForImpossibleTravel() throws Exception {
        Path dir = tmp.resolve("geo");
        Map<String, GeoLocation> places = Map.of("192.0.2.1", new GeoLocation(51.5074, -0.1278),
                "198.51.100.1", new GeoLocation(40.7128, -74.0060));
        GeoResolver resolver = address -> Optional.ofNullable(places.get(address.toString()));
        runner(dir).withBean(GeoResolver.class, () -> resolver).withPropertyValues("vigil.detect.enabled=true")
                .run(ctx -> {
                    AuditLog log = ctx.getBean(AuditLog.class);
                    Instant t0 = Instant.parse("2026-05-01T08:00:00Z");
                    log.record(AuditEvent.builder(EventCatalog.AUTH_LOGIN_SUCCESS).timestamp(t0)
                            .actor(Actor.user("dana").withIp("192.0.2.1")));
                    log.record(AuditEvent.builder(EventCatalog.AUTH_LOGIN_SUCCESS).timestamp(t0.plusSeconds(1800))
                            .actor(Actor.user("dana").withIp("198.51.100.1")));
                    assertThat(ctx.getBean(DetectionStage.class).flush(Duration.ofSeconds(10))).isTrue();
                });
        assertThat(LedgerEntries.ofType(dir, "security.anomaly.detected")).singleElement()
                .satisfies(e -> assertThat(e.path("details").path("distanceKm").asDouble()).isBetween(5500.0, 5600.0));
    }
}
