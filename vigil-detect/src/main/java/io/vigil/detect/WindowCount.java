package io.vigil.detect;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A key's count in one fixed window (see {@link DetectorState#count}): when the window opened, how many sightings it
 * has counted, and the first few of them. Its size does not grow with the count, which is the point.
 *
 * @param start the timestamp of the sighting that opened the window; the window ends one window length later
 * @param count sightings counted in the window, at least 1
 * @param first the first sightings of the window, oldest first, at most as many as the caller asked to keep
 */
public record WindowCount(Instant start, long count, List<Sighting> first) {

    public WindowCount {
        Objects.requireNonNull(start, "start");
        if (count < 1) {
            throw new IllegalArgumentException("window count " + count + " must be at least 1");
        }
        first = List.copyOf(Objects.requireNonNull(first, "first"));
    }
}
