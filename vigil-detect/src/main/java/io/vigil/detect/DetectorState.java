package io.vigil.detect;

import io.vigil.detect.internal.CaffeineDetectorState;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * What detectors remember between events: per key (an account, an ip), the sightings inside a time window, or only a
 * count of them. Behind an interface so that a store shared by several hosts can replace the in-memory default; every
 * operation is one atomic step on one key, which such a store can also offer. A key is used either for sightings
 * ({@link #append}, {@link #take}) or for a count ({@link #count}), never both; detectors keep them apart by prefix.
 *
 * <p>Windows are measured on the sightings' own timestamps: a sighting is inside the window ending at {@code at} when
 * its timestamp is after {@code at - window}.
 */
public interface DetectorState {

    /**
     * Adds a sighting to a key: drops the key's sightings that are outside the window ending at the new sighting's
     * timestamp, appends the new one and keeps at most the newest {@code keep}.
     *
     * @return the key's sightings after the change, oldest first
     * @throws IllegalStateException when the key holds a count from {@link #count}
     */
    List<Sighting> append(String key, Sighting sighting, Duration window, int keep);

    /**
     * Removes a key and returns those of its sightings inside the window ending at {@code at}, oldest first; empty when
     * the key holds none.
     *
     * @throws IllegalStateException when the key holds a count from {@link #count}
     */
    List<Sighting> take(String key, Instant at, Duration window);

    /**
     * Remembers a sighting under its value (an account tried, a user agent, a network): drops the key's sightings that
     * are outside the window ending at the new sighting's timestamp and the one with the same value, appends the new
     * one and keeps at most the newest {@code keep}. A key so holds each value once, with its latest sighting, the
     * least recently seen first; it answers "how many distinct values lately" and "was this one seen before".
     *
     * @return the key's sightings <em>before</em> the change that were inside the window, oldest first, so the caller
     *         can tell whether the value was already known and when the others were last seen
     * @throws IllegalArgumentException when the sighting has no value or {@code keep} is not positive
     * @throws IllegalStateException    when the key holds a count from {@link #count}
     */
    List<Sighting> remember(String key, Sighting sighting, Duration window, int keep);

    /**
     * Counts a sighting in a key's fixed window, keeping only the count and the window's first {@code keepFirst}
     * sightings, so that a key costs the same however many sightings it counts. When the key holds no window, or the
     * sighting's timestamp is at or after the end of the one it holds ({@code start + window}), a new window opens at
     * that timestamp; then the count goes up by one and the sighting is kept when fewer than {@code keepFirst} are.
     * Windows follow one another instead of sliding: a run split across two windows is counted half in each.
     *
     * @param keepFirst sightings to keep from the start of each window; 0 keeps none
     * @return the key's window after the change
     * @throws IllegalArgumentException when {@code keepFirst} is negative
     * @throws IllegalStateException    when the key holds sightings from {@link #append}
     */
    WindowCount count(String key, Sighting sighting, Duration window, int keepFirst);

    /** Keys currently held (an estimate for stores that cannot count exactly). */
    long keys();

    /**
     * The default: in this process's memory, at most {@code maximumKeys} keys, each dropped after it has not been used
     * for {@code expireAfterAccess}. The expiry only bounds memory and should be no shorter than the longest window,
     * or a quiet account could lose sightings a window still covers; when memory is full the least useful keys go first.
     *
     * @throws IllegalArgumentException when {@code maximumKeys} is not positive or the expiry is not positive
     */
    static DetectorState inMemory(long maximumKeys, Duration expireAfterAccess) {
        return new CaffeineDetectorState(maximumKeys, expireAfterAccess);
    }
}
