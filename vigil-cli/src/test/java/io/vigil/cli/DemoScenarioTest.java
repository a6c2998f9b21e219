package io.vigil.cli;

import io.vigil.AuditReceipt;
import io.vigil.detect.DetectionConfig;
import io.vigil.detect.DetectionReplay;
import io.vigil.event.AuditEvent;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The demo's traffic against every detector at its defaults: the ordinary traffic, however long, gives them nothing
 * (no false alarm from users who mistype a password), and the incidents give them what they are there to find.
 */
class DemoScenarioTest {

    /** The findings every detector makes of a demo stream, replayed in the order the scenario records it. */
    private static List<AuditEvent> findings(long seed, long total, DemoScenario.Traffic traffic) {
        DetectionReplay replay = DetectionConfig.defaults().builder().buildReplay();
        List<AuditEvent> found = new ArrayList<>();
        long[] events = new long[1];
        DemoScenario scenario = new DemoScenario(b -> {
            AuditEvent e = b.build();
            events[0]++;
            found.addAll(replay.inspect(e));
            return CompletableFuture.completedFuture(new AuditReceipt(e.id(), AuditReceipt.Status.WRITTEN,
                    OptionalLong.empty(), Optional.empty()));
        }, () -> found.size(), seed, total, traffic);
        scenario.run(n -> { });
        assertThat(events[0] + found.size()).as("the stream and its findings make the count asked for")
                .isEqualTo(total);
        return found;
    }

    @Test
    void aLongOrdinaryStreamGivesTheDetectorsNothing() {
        for (long seed : new long[] {1, 42, 20260302}) {
            assertThat(findings(seed, 300_000, DemoScenario.Traffic.ORDINARY_ONLY)).as("seed %d", seed).isEmpty();
        }
    }

    @Test
    void theIncidentsAreFound() {
        List<AuditEvent> found = findings(42, 20_000, DemoScenario.Traffic.WITH_INCIDENTS);
        assertThat(found).extracting(AuditEvent::type).containsExactly(
                "security.brute.force.detected", "auth.login.failure_limit_reached",
                "security.brute.force.detected", "auth.login.failure_limit_reached",
                "security.brute.force.detected", "auth.login.failure_limit_reached",
                "security.brute.force.detected", "auth.login.failure_limit_reached",
                "security.brute.force.detected", "auth.login.failure_limit_reached",
                "auth.login.success_after_failure", "security.anomaly.detected");
        assertThat(found).extracting(f -> f.actor().orElseThrow().id().orElseThrow()).containsExactly(
                "admin", "admin", "support", "support", "test", "test", "backup", "backup", "deploy", "deploy",
                DemoScenario.BREACHED_ACCOUNT, DemoScenario.TRAVELLER);
        assertThat(found.get(found.size() - 1).anomalyFlags()).containsExactly("impossible_travel");
    }

    @Test
    void aShortStreamStaysWithinItsCount() {
        for (long total : new long[] {1, 10, 40, 100, 137}) {
            findings(7, total, DemoScenario.Traffic.WITH_INCIDENTS);
        }
    }
}
