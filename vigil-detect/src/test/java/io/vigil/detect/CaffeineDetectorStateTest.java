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

/**
 * The default state: windows on event time, a cap per slot, fixed-window counts, slots apart within a subject, a bound
 * on subjects and on slots per subject, eager validation.
 */
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
        assertThat(state.subject("k").append("slot", a, WINDOW, 10)).containsExactly(a);
        assertThat(state.subject("k").append("slot", b, WINDOW, 10)).containsExactly(a, b);
        Sighting c = at(T0.plus(WINDOW)); // exactly one window after a: a is out
        assertThat(state.subject("k").append("slot", c, WINDOW, 10)).containsExactly(b, c);
        Sighting d = at(T0.plusSeconds(70));
        assertThat(state.subject("k").append("slot", d, WINDOW, 2)).containsExactly(c, d);
        assertThat(state.subject("k").take("slot", T0.plusSeconds(125), WINDOW)).as("c is 65 s before").containsExactly(d);
        assertThat(state.subject("k").take("slot", T0.plusSeconds(100), WINDOW)).isEmpty();
    }

    private static Sighting of(String value, Instant t) {
        return new Sighting(UUID.randomUUID(), t, Optional.empty(), Optional.of(value));
    }

    @Test
    void remembersEachValueOnceAndReturnsWhatWasHeldBefore() {
        DetectorState state = DetectorState.inMemory(100, Duration.ofHours(1));
        Sighting a = of("a", T0);
        Sighting b = of("b", T0.plusSeconds(10));
        assertThat(state.subject("k").remember("slot", a, WINDOW, 3)).as("nothing before").isEmpty();
        assertThat(state.subject("k").remember("slot", b, WINDOW, 3)).containsExactly(a);
        Sighting a2 = of("a", T0.plusSeconds(20));
        assertThat(state.subject("k").remember("slot", a2, WINDOW, 3)).as("a is known; the caller sees it").containsExactly(a, b);
        Sighting c = of("c", T0.plusSeconds(30));
        assertThat(state.subject("k").remember("slot", c, WINDOW, 3)).as("a moved behind b: least recently seen first")
                .containsExactly(b, a2);
        Sighting d = of("d", T0.plusSeconds(40));
        assertThat(state.subject("k").remember("slot", d, WINDOW, 3)).containsExactly(b, a2, c);
        Sighting e = of("e", T0.plusSeconds(81));
        assertThat(state.subject("k").remember("slot", e, WINDOW, 3)).as("b went at the bound of three, a2 at the window")
                .containsExactly(c, d);
        assertThat(state.subject("k").take("slot", T0.plusSeconds(81), WINDOW)).containsExactly(c, d, e);
    }

    @Test
    void rememberNeedsAValueAndSightingsCarryOneOnlyWhenGiven() {
        DetectorState state = DetectorState.inMemory(100, Duration.ofHours(1));
        Sighting plain = at(T0);
        assertThat(plain.value()).isEmpty();
        assertThat(plain.tracks("a")).isFalse();
        assertThat(of("a", T0).tracks("a")).isTrue();
        assertThat(of("a", T0).tracks("b")).isFalse();
        assertThatThrownBy(() -> state.subject("k").remember("slot", plain, WINDOW, 3))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("needs a value");
        assertThatThrownBy(() -> state.subject("k").remember("slot", of("a", T0), WINDOW, 0))
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
            w = state.subject("k").count("slot", s, WINDOW, 3);
        }
        assertThat(w.start()).isEqualTo(T0);
        assertThat(w.count()).isEqualTo(1_000);
        assertThat(w.first()).as("however many are counted").containsExactlyElementsOf(seen.subList(0, 3));

        // A sighting earlier than the window's start (events may come slightly out of order) is still in it.
        assertThat(state.subject("k").count("slot", at(T0.minusSeconds(5)), WINDOW, 3).count()).isEqualTo(1_001);
        // Exactly one window after the start, a new window opens.
        Sighting next = at(T0.plus(WINDOW));
        assertThat(state.subject("k").count("slot", next, WINDOW, 3)).isEqualTo(new WindowCount(next.timestamp(), 1, List.of(next)));
        assertThat(state.subject("k").count("slot", at(T0.plus(WINDOW).plusSeconds(59)), WINDOW, 3).count()).isEqualTo(2);

        Sighting lone = at(T0);
        assertThat(state.subject("other").count("slot", lone, WINDOW, 0)).isEqualTo(new WindowCount(T0, 1, List.of()));
        assertThat(state.subject("other").count("slot", at(T0.plusSeconds(1)), WINDOW, 0).first()).isEmpty();
        assertThatThrownBy(() -> state.subject("other").count("slot", lone, WINDOW, -1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("keepFirst -1");
    }

    @Test
    void aKeyHoldsSightingsOrACountAndAMixUpLeavesItAsItWas() {
        DetectorState state = DetectorState.inMemory(100, Duration.ofHours(1));
        Sighting a = at(T0);
        state.subject("list").append("slot", a, WINDOW, 5);
        assertThatThrownBy(() -> state.subject("list").count("slot", at(T0), WINDOW, 1)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("slot slot of list holds sightings");
        assertThat(state.subject("list").take("slot", T0, WINDOW)).containsExactly(a);

        state.subject("count").count("slot", a, WINDOW, 1);
        assertThatThrownBy(() -> state.subject("count").append("slot", at(T0), WINDOW, 5)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("slot slot of count holds a window count");
        assertThatThrownBy(() -> state.subject("count").take("slot", T0, WINDOW)).isInstanceOf(IllegalStateException.class);
        assertThat(state.subject("count").count("slot", at(T0.plusSeconds(1)), WINDOW, 1).count()).as("still there").isEqualTo(2);
    }

    @Test
    void slotsOfOneSubjectAreApartAndATakeOfNothingMakesNothing() {
        DetectorState state = DetectorState.inMemory(100, Duration.ofHours(1));
        assertThat(state.subject("alice").take("failures", T0, WINDOW)).isEmpty();
        assertThat(state.keys()).as("a take makes no subject").isZero();
        Sighting a = at(T0);
        Sighting b = at(T0.plusSeconds(1));
        DetectorState.Subject alice = state.subject("alice");
        alice.append("failures", a, WINDOW, 5);
        alice.count("rate", b, WINDOW, 1);
        assertThat(state.subject("alice").append("other", b, WINDOW, 5)).as("a slot of its own").containsExactly(b);
        assertThat(state.subject("bob").take("failures", T0, WINDOW)).as("another subject").isEmpty();
        assertThat(state.subject("alice").take("failures", T0.plusSeconds(2), WINDOW)).containsExactly(a);
        assertThat(state.subject("alice").take("failures", T0.plusSeconds(2), WINDOW)).as("taken: empty").isEmpty();
        assertThat(state.subject("alice").append("failures", b, WINDOW, 5)).as("and usable again").containsExactly(b);
        assertThat(state.subject("alice").count("rate", b, WINDOW, 1).count()).isEqualTo(2);
        assertThat(state.keys()).isEqualTo(1);
    }

    @Test
    void aSubjectHoldsAtMostMaxSlotsAndTheOneUsedLongestAgoMakesRoom() {
        DetectorState state = DetectorState.inMemory(100, Duration.ofHours(1));
        int max = 32;
        for (int i = 0; i < max; i++) {
            state.subject("s").count("slot-" + i, at(T0.plusSeconds(i)), WINDOW, 0);
        }
        state.subject("s").count("slot-0", at(T0.plusSeconds(max)), WINDOW, 0); // slot-0 is now the latest
        state.subject("s").count("one-more", at(T0.plusSeconds(max + 1)), WINDOW, 0);
        assertThat(state.subject("s").count("slot-0", at(T0.plusSeconds(max + 2)), WINDOW, 0).count())
                .as("kept").isEqualTo(3);
        assertThat(state.subject("s").count("slot-1", at(T0.plusSeconds(max + 3)), WINDOW, 0).count())
                .as("the one used longest ago went, so this counts from one again").isEqualTo(1);
    }

    @Test
    void holdsAtMostMaximumKeys() {
        DetectorState state = DetectorState.inMemory(1_000, Duration.ofHours(1));
        for (int i = 0; i < 100_000; i++) {
            state.subject("account-" + i).append("slot", at(T0), WINDOW, 5);
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
                    state.subject("count|" + (i % 4)).count("slot", at(T0), window, 2);
                    state.subject("list|" + (i % 4)).append("slot", at(T0), window, Integer.MAX_VALUE);
                    if (id % 2 == 0 && i % 7 == 0) {
                        taken.addAndGet(state.subject("list|" + (i % 4)).take("slot", T0, window).size());
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
            counted += state.subject("count|" + k).count("slot", at(T0), window, 2).count() - 1; // minus this call's own
            held += state.subject("list|" + k).take("slot", T0, window).size();
        }
        assertThat(counted).isEqualTo((long) threads * each);
        assertThat(taken.get() + held).isEqualTo((long) threads * each);
    }
}
