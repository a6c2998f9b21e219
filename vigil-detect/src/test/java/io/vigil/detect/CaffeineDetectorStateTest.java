package io.vigil.detect;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The default state: windows on event time, a cap per key, fixed-window counts, a bound on keys, eager validation. */
class CaffeineDetectorStateTest {

    private static final Instant T0 = Instant.parse("2025-03-01T09:00:00Z");
    private static final Duration WINDOW = Duration.ofMinutes(1);

    private static Sighting at(Instant t) {
        return new Sighting(UUID.randomUUID(), t, Optional.empty());
    }

    @Test
    void keepsOnlyWhatIsInsideTheWindowAndAtMostKeep() {
        DetectorState state = DetectorState.inMemory(100, Duration.ofHours(1));
        Sighting a = at(T0);
        Sighting b = at(T0.plusSeconds(30));
        assertThat(state.append("k", a, WINDOW, 10)).containsExactly(a);
        assertThat(state.append("k", b, WINDOW, 10)).containsExactly(a, b);
        Sighting c = at(T0.plus(WINDOW)); // exactly one window after a: a is out
        assertThat(state.append("k", c, WINDOW, 10)).containsExactly(b, c);
        Sighting d = at(T0.plusSeconds(70));
        assertThat(state.append("k", d, WINDOW, 2)).containsExactly(c, d);
        assertThat(state.take("k", T0.plusSeconds(125), WINDOW)).as("c is 65 s before").containsExactly(d);
        assertThat(state.take("k", T0.plusSeconds(100), WINDOW)).isEmpty();
    }

    private static Sighting of(String value, Instant t) {
        return new Sighting(UUID.randomUUID(), t, Optional.empty(), Optional.of(value));
    }

    @Test
    void remembersEachValueOnceAndReturnsWhatWasHeldBefore() {
        DetectorState state = DetectorState.inMemory(100, Duration.ofHours(1));
        Sighting a = of("a", T0);
        Sighting b = of("b", T0.plusSeconds(10));
        assertThat(state.remember("k", a, WINDOW, 3)).as("nothing before").isEmpty();
        assertThat(state.remember("k", b, WINDOW, 3)).containsExactly(a);
        Sighting a2 = of("a", T0.plusSeconds(20));
        assertThat(state.remember("k", a2, WINDOW, 3)).as("a is known; the caller sees it").containsExactly(a, b);
        Sighting c = of("c", T0.plusSeconds(30));
        assertThat(state.remember("k", c, WINDOW, 3)).as("a moved behind b: least recently seen first")
                .containsExactly(b, a2);
        Sighting d = of("d", T0.plusSeconds(40));
        assertThat(state.remember("k", d, WINDOW, 3)).containsExactly(b, a2, c);
        Sighting e = of("e", T0.plusSeconds(81));
        assertThat(state.remember("k", e, WINDOW, 3)).as("b went at the bound of three, a2 at the window")
                .containsExactly(c, d);
        assertThat(state.take("k", T0.plusSeconds(81), WINDOW)).containsExactly(c, d, e);
    }

    @Test
    void rememberNeedsAValueAndSightingsCarryOneOnlyWhenGiven() {
        DetectorState state = DetectorState.inMemory(100, Duration.ofHours(1));
        Sighting plain = at(T0);
        assertThat(plain.value()).isEmpty();
        assertThat(plain.tracks("a")).isFalse();
        assertThat(of("a", T0).tracks("a")).isTrue();
        assertThat(of("a", T0).tracks("b")).isFalse();
        assertThatThrownBy(() -> state.remember("k", plain, WINDOW, 3))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("needs a value");
        assertThatThrownBy(() -> state.remember("k", of("a", T0), WINDOW, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("keep 0");
        assertThatThrownBy(() -> new Sighting(UUID.randomUUID(), T0, Optional.empty(), null))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("value");
    }

    @Test
    void countKeepsACountAndTheFirstFewPerFixedWindow() {
        DetectorState state = DetectorState.inMemory(100, Duration.ofHours(1));
        List<Sighting> seen = new ArrayList<>();
        WindowCount w = null;
        for (int i = 0; i < 1_000; i++) {
            Sighting s = at(T0.plusMillis(i));
            seen.add(s);
            w = state.count("k", s, WINDOW, 3);
        }
        assertThat(w.start()).isEqualTo(T0);
        assertThat(w.count()).isEqualTo(1_000);
        assertThat(w.first()).as("however many are counted").containsExactlyElementsOf(seen.subList(0, 3));

        // A sighting earlier than the window's start (events may come slightly out of order) is still in it.
        assertThat(state.count("k", at(T0.minusSeconds(5)), WINDOW, 3).count()).isEqualTo(1_001);
        // Exactly one window after the start, a new window opens.
        Sighting next = at(T0.plus(WINDOW));
        assertThat(state.count("k", next, WINDOW, 3)).isEqualTo(new WindowCount(next.timestamp(), 1, List.of(next)));
        assertThat(state.count("k", at(T0.plus(WINDOW).plusSeconds(59)), WINDOW, 3).count()).isEqualTo(2);

        Sighting lone = at(T0);
        assertThat(state.count("other", lone, WINDOW, 0)).isEqualTo(new WindowCount(T0, 1, List.of()));
        assertThat(state.count("other", at(T0.plusSeconds(1)), WINDOW, 0).first()).isEmpty();
        assertThatThrownBy(() -> state.count("other", lone, WINDOW, -1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("keepFirst -1");
    }

    @Test
    void aKeyHoldsSightingsOrACountAndAMixUpLeavesItAsItWas() {
        DetectorState state = DetectorState.inMemory(100, Duration.ofHours(1));
        Sighting a = at(T0);
        state.append("list", a, WINDOW, 5);
        assertThatThrownBy(() -> state.count("list", at(T0), WINDOW, 1)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("list holds sightings");
        assertThat(state.take("list", T0, WINDOW)).containsExactly(a);

        state.count("count", a, WINDOW, 1);
        assertThatThrownBy(() -> state.append("count", at(T0), WINDOW, 5)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("count holds a window count");
        assertThatThrownBy(() -> state.take("count", T0, WINDOW)).isInstanceOf(IllegalStateException.class);
        assertThat(state.count("count", at(T0.plusSeconds(1)), WINDOW, 1).count()).as("still there").isEqualTo(2);
    }

    @Test
    void holdsAtMostMaximumKeys() {
        DetectorState state = DetectorState.inMemory(1_000, Duration.ofHours(1));
        for (int i = 0; i < 100_000; i++) {
            state.append("account-" + i, at(T0), WINDOW, 5);
        }
        assertThat(state.keys()).isLessThanOrEqualTo(1_000);
    }

    @Test
    void rejectsBadSettingsWhenBuilt() {
        assertThatThrownBy(() -> DetectorState.inMemory(0, WINDOW)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maximumKeys 0");
        assertThatThrownBy(() -> DetectorState.inMemory(10, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("expireAfterAccess");
        assertThatThrownBy(() -> new BruteForceRule(1, WINDOW)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least 2");
        assertThatThrownBy(() -> new SuccessAfterFailureRule(3, Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must be positive");
        assertThatThrownBy(() -> DetectionStage.builder().build()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("at least one detector");
        assertThatThrownBy(() -> DetectionStage.builder().bruteForce(BruteForceRule.DEFAULT)
                .bruteForce(BruteForceRule.DEFAULT)).isInstanceOf(IllegalStateException.class);
        assertThat(List.of(DetectionStage.builder().bruteForce(BruteForceRule.DEFAULT)
                .successAfterFailure(SuccessAfterFailureRule.DEFAULT).build().detectors()))
                .containsExactly(List.of("brute_force", "success_after_failure"));
    }

    /**
     * Many threads on the same few keys: every count is counted once, and every appended sighting is either taken
     * or still held, none lost between a take and an append that race for one key.
     */
    @Test
    void concurrentOperationsOnOneKeyAreEachOneAtomicStep() throws Exception {
        DetectorState state = DetectorState.inMemory(1_000, Duration.ofHours(1));
        int threads = 8;
        int each = 5_000;
        Duration window = Duration.ofDays(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        AtomicLong taken = new AtomicLong();
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int id = t;
            done.add(pool.submit(() -> {
                start.await();
                for (int i = 0; i < each; i++) {
                    state.count("count|" + (i % 4), at(T0), window, 2);
                    state.append("list|" + (i % 4), at(T0), window, Integer.MAX_VALUE);
                    if (id % 2 == 0 && i % 7 == 0) {
                        taken.addAndGet(state.take("list|" + (i % 4), T0, window).size());
                    }
                }
                return null;
            }));
        }
        start.countDown();
        for (Future<?> f : done) {
            f.get(60, TimeUnit.SECONDS);
        }
        pool.shutdown();
        long counted = 0;
        long held = 0;
        for (int k = 0; k < 4; k++) {
            counted += state.count("count|" + k, at(T0), window, 2).count() - 1; // minus this call's own
            held += state.take("list|" + k, T0, window).size();
        }
        assertThat(counted).isEqualTo((long) threads * each);
        assertThat(taken.get() + held).isEqualTo((long) threads * each);
    }
}
