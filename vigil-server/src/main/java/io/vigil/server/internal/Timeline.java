package io.vigil.server.internal;

import io.vigil.event.Category;
import io.vigil.event.Outcome;
import io.vigil.server.internal.index.EventIndex;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Events and failures per category over time, in equal buckets: what the viewer's timeline chart draws. The answer's
 * shape lives here ({@link Timeline} and {@link Bucket}); {@link #of} computes it from the query index's counts per
 * minute, so the chart of a ledger of millions of events costs a few thousand rows.
 *
 * @param since         the first bucket's start (inclusive)
 * @param until         the end of the range (exclusive), {@code since + bucketSeconds × number of buckets} or earlier
 * @param bucketSeconds the width of every bucket
 * @param buckets       one per bucket and category that had events, by start then category; the rest were zero
 */
public record Timeline(Instant since, Instant until, long bucketSeconds, List<Bucket> buckets) {
    /** The number of buckets when the request names none. */
    public static final int DEFAULT_BUCKETS = 48;
    /** The most buckets a request may ask for. */
    public static final int MAX_BUCKETS = 500;

    public Timeline {
        buckets = List.copyOf(buckets);
    }

    /**
     * One category's events in one bucket.
     *
     * @param failures the events whose outcome is {@code failure}, {@code denied} or {@code error}
     */
    public record Bucket(Instant start, Category category, long events, long failures) {
    }

    /** True for the outcomes the timeline counts as failures: everything but success. */
    public static boolean failed(Outcome outcome) {
        return outcome != Outcome.SUCCESS;
    }

    /**
     * The timeline from the ledger's counts per minute and category (its query index, or PostgreSQL), in at most {@code buckets} equal buckets
     * of whole minutes. The range is rounded out to whole minutes; a missing bound is the ledger's own: the first
     * minute that holds an event, and the end of the last.
     *
     * @throws IllegalArgumentException when {@code buckets} is not 1 to {@value #MAX_BUCKETS} or since is not before
     *                                  until
     */
    public static Timeline of(TenantLedger index, Optional<Instant> since, Optional<Instant> until, int buckets)
            throws IOException {
        check(since, until, buckets);
        Optional<long[]> held = index.minutes();
        if (held.isEmpty() && (since.isEmpty() || until.isEmpty())) {
            return emptyAt(since, until);
        }
        long first = since.map(s -> Math.floorDiv(s.getEpochSecond(), 60L)).orElseGet(() -> held.get()[0]);
        long end = until.map(u -> ceilDiv(u.getEpochSecond() + (u.getNano() > 0 ? 1 : 0), 60L))
                .orElseGet(() -> held.get()[1] + 1);
        if (end <= first) {
            return emptyAt(since, until);
        }
        long width = Math.max(1, ceilDiv(end - first, buckets));
        List<Bucket> out = new ArrayList<>();
        for (EventIndex.MinuteCount c : index.timeline(first, end, width)) {
            out.add(new Bucket(Instant.ofEpochSecond(c.minute() * 60), c.category(), c.events(), c.failures()));
        }
        return new Timeline(Instant.ofEpochSecond(first * 60), Instant.ofEpochSecond(end * 60), width * 60, out);
    }

    /** The timeline of a tenant that has no ledger yet. */
    public static Timeline empty(Optional<Instant> since, Optional<Instant> until, int buckets) {
        check(since, until, buckets);
        return emptyAt(since, until);
    }

    /** No entries in range (or none at all): one empty bucket, of one second when a bound is missing. */
    private static Timeline emptyAt(Optional<Instant> since, Optional<Instant> until) {
        if (since.isPresent() && until.isPresent() && since.get().isBefore(until.get())) {
            return new Timeline(since.get(), until.get(), Math.max(1, Duration.between(since.get(), until.get())
                    .toSeconds()), List.of());
        }
        Instant s = since.orElseGet(() -> until.map(u -> u.minusSeconds(1))
                .orElseGet(() -> Instant.now().truncatedTo(ChronoUnit.SECONDS)));
        return new Timeline(s, s.plusSeconds(1), 1, List.of());
    }

    private static void check(Optional<Instant> since, Optional<Instant> until, int buckets) {
        if (buckets < 1 || buckets > MAX_BUCKETS) {
            throw new IllegalArgumentException("buckets must be between 1 and " + MAX_BUCKETS);
        }
        if (since.isPresent() && until.isPresent() && !since.get().isBefore(until.get())) {
            throw new IllegalArgumentException("since (" + since.get() + ") must be before until (" + until.get()
                    + ")");
        }
    }

    private static long ceilDiv(long a, long b) {
        return -Math.floorDiv(-a, b);
    }
}
