package io.vigil.detect;

import io.vigil.detect.internal.CaffeineDetectorState;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * What detectors remember between events, per subject: an account, a source address or a network, within a tenant.
 * Behind an interface so that a store shared by several hosts can replace the in-memory default.
 *
 * <p>A subject holds named slots, one per detector (and per event type or address where a detector counts those
 * apart). A slot holds either the sightings inside a time window ({@link Subject#append}, {@link Subject#take},
 * {@link Subject#remember}) or only a count of them ({@link Subject#count}), never both. Every operation is one atomic
 * step on one subject, which a shared store can also offer.
 *
 * <p>Why subjects and slots rather than one flat key per detector: the detectors looking at one event mostly ask
 * about the same account, and finding it once for all of them, rather than once per detector, was most of the cost
 * of detection.
 *
 * <p>Windows are measured on the sightings' own timestamps: a sighting is inside the window ending at {@code at} when
 * its timestamp is after {@code at - window}.
 */
public interface DetectorState {

    /**
     * The state of one subject, for the inspection of one event: the subject is looked up on the handle's first
     * operation and kept by the handle, so hold a handle no longer than one event (a store may drop an idle subject
     * meanwhile). Getting a handle makes nothing; the first change does.
     */
    Subject subject(String key);

    /** Subjects currently held (an estimate for stores that cannot count exactly). */
    long keys();

    /**
     * The default: in this process's memory, at most {@code maximumKeys} subjects, each dropped after it has not been
     * used for {@code expireAfterAccess}. The expiry only bounds memory and should be no shorter than the longest
     * window, or a quiet account could lose sightings a window still covers; when memory is full the least useful
     * subjects go first.
     *
     * @throws IllegalArgumentException when {@code maximumKeys} is not positive or the expiry is not positive
     */
    static DetectorState inMemory(long maximumKeys, Duration expireAfterAccess) {
        return new CaffeineDetectorState(maximumKeys, expireAfterAccess);
    }

    /** One subject's slots; see {@link DetectorState#subject}. */
    interface Subject {

        /**
         * Adds a sighting to a slot: drops the slot's sightings that are outside the window ending at the new
         * sighting's timestamp, appends the new one and keeps at most the newest {@code keep}.
         *
         * @return the slot's sightings after the change, oldest first
         * @throws IllegalStateException when the slot holds a count from {@link #count}
         */
        List<Sighting> append(String slot, Sighting sighting, Duration window, int keep);

        /**
         * Empties a slot and returns those of its sightings inside the window ending at {@code at}, oldest first;
         * empty when the slot holds none. Makes nothing when the subject is not held.
         *
         * @throws IllegalStateException when the slot holds a count from {@link #count}
         */
        List<Sighting> take(String slot, Instant at, Duration window);

        /**
         * Remembers a sighting under its value (an account tried, a user agent, a network): drops the slot's sightings
         * that are outside the window ending at the new sighting's timestamp and the one with the same value, appends
         * the new one and keeps at most the newest {@code keep}. A slot so holds each value once, with its latest
         * sighting, the least recently seen first; it answers "how many distinct values lately" and "was this one
         * seen before".
         *
         * @return the slot's sightings <em>before</em> the change that were inside the window, oldest first, so the
         *         caller can tell whether the value was already known and when the others were last seen
         * @throws IllegalArgumentException when the sighting has no value or {@code keep} is not positive
         * @throws IllegalStateException    when the slot holds a count from {@link #count}
         */
        List<Sighting> remember(String slot, Sighting sighting, Duration window, int keep);

        /**
         * Counts a sighting in a slot's fixed window, keeping only the count and the window's first {@code keepFirst}
         * sightings, so that a slot costs the same however many sightings it counts. When the slot holds no window,
         * or the sighting's timestamp is at or after the end of the one it holds ({@code start + window}), a new
         * window opens at that timestamp; then the count goes up by one and the sighting is kept when fewer than
         * {@code keepFirst} are. Windows follow one another instead of sliding: a run split across two windows is
         * counted half in each.
         *
         * @param keepFirst sightings to keep from the start of each window; 0 keeps none
         * @return the slot's window after the change
         * @throws IllegalArgumentException when {@code keepFirst} is negative
         * @throws IllegalStateException    when the slot holds sightings from {@link #append}
         */
        WindowCount count(String slot, Sighting sighting, Duration window, int keepFirst);
    }
}
