package io.vigil.ledger.internal.store;

import io.vigil.internal.time.Sleeper;
import io.vigil.ledger.Durability;
import io.vigil.ledger.LedgerOptions;
import io.vigil.ledger.LedgerVerifier;
import io.vigil.ledger.tck.ManualClock;
import io.vigil.ledger.tck.SampleEvents;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code Durability.every(interval)} forces at most once per interval, timed by the ledger's clock: here a clock that
 * moves only when the test (or a wait) moves it, so nothing sleeps.
 */
class ForcePacingTest {
    private static final Duration INTERVAL = Duration.ofMillis(100);

    @TempDir
    Path dir;

    private final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final List<Duration> waits = new ArrayList<>();

    /** A wait passes at once and moves the clock by as much. */
    private final Sleeper sleeper = new Sleeper() {
        @Override
        public void sleep(long nanos) {
            waits.add(Duration.ofNanos(nanos));
            clock.advance(Duration.ofNanos(nanos));
        }

        @Override
        public void park(long nanos) {
            throw new AssertionError("the force pacer sleeps; it never parks");
        }
    };

    private FileStore open(Durability durability) throws Exception {
        LedgerOptions options = LedgerOptions.defaults("example.com/audit/pacing").withDurability(durability)
                .withClock(clock);
        return FileStore.open(dir, options, FileChannel::open, sleeper);
    }

    @Test
    void appendsWithinAnIntervalWaitForTheNextForce() throws Exception {
        try (FileStore store = open(Durability.every(INTERVAL))) {
            store.append(SampleEvents.loginFailures(0, 5));
            assertThat(waits).as("the first force waits an interval from opening").containsExactly(INTERVAL);

            store.append(SampleEvents.loginFailures(5, 5));
            assertThat(waits).as("right after a force: a whole interval").containsExactly(INTERVAL, INTERVAL);

            clock.advance(Duration.ofMillis(30));
            store.append(SampleEvents.loginFailures(10, 5));
            assertThat(waits).as("30 ms into the interval: the rest of it").last().isEqualTo(Duration.ofMillis(70));

            clock.advance(Duration.ofMillis(250));
            store.append(SampleEvents.loginFailures(15, 5));
            assertThat(waits).as("an interval has passed: no wait").hasSize(3);

            clock.advance(Duration.ofHours(-1));
            store.append(SampleEvents.loginFailures(20, 5));
            assertThat(waits).as("a clock set back holds the writer one interval at most").last().isEqualTo(INTERVAL);
            assertThat(store.size()).isEqualTo(25);
        }
        assertThat(LedgerVerifier.of(dir).verify().intact()).isTrue();
    }

    @Test
    void forcingEveryBatchNeverWaitsNorReadsTheClock() throws Exception {
        try (FileStore store = open(Durability.EVERY_BATCH)) {
            long readsBefore = clock.reads();
            for (int i = 0; i < 10; i++) {
                store.append(SampleEvents.loginFailures(i * 3L, 3));
            }
            assertThat(waits).isEmpty();
            assertThat(clock.reads()).as("clock reads by ten appends (no checkpoint is due)").isEqualTo(readsBefore);
        }
    }
}
