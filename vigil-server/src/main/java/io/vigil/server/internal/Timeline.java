package io.vigil.server.internal;

import io.vigil.event.AuditEvent;
import io.vigil.event.Category;
import io.vigil.event.Outcome;
import io.vigil.ledger.LedgerEntry;
import io.vigil.ledger.LedgerReader;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Events and failures per category over time, in equal buckets: what the viewer's timeline chart draws. The answer's
 * shape lives here ({@link Timeline} and {@link Bucket}); {@link #scan} computes it by reading the ledger, which a
 * query index can replace without changing the answer.
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
     * The timeline of {@code reader}'s entries whose timestamp is in [since, until), in at most {@code buckets} equal
     * buckets of whole seconds. A missing bound is the ledger's own: the earliest timestamp (to the second) and just
     * after the latest; finding them costs a first pass over the ledger.
     *
     * @throws IllegalArgumentException when {@code buckets} is not 1 to {@value #MAX_BUCKETS} or since is not before
     *                                  until
     */
    public static Timeline scan(LedgerReader reader, Optional<Instant> since, Optional<Instant> until, int buckets)
            throws IOException {
        check(since, until, buckets);
        long from = reader.start();
        long to = reader.size();
        Instant start = since.orElse(null);
        Instant end = until.orElse(null);
        if ((start == null || end == null) && to > from) {
            Instant[] range = {null, null};
            try (Stream<LedgerEntry> entries = reader.entries(from, to)) {
                entries.forEach(e -> {
                    Instant t = e.event().timestamp();
                    range[0] = range[0] == null || t.isBefore(range[0]) ? t : range[0];
                    range[1] = range[1] == null || t.isAfter(range[1]) ? t : range[1];
                });
            }
            start = start != null ? start : range[0].truncatedTo(ChronoUnit.SECONDS);
            end = end != null ? end : range[1].truncatedTo(ChronoUnit.SECONDS).plusSeconds(1);
        }
        if (start == null || end == null || !start.isBefore(end)) {
            return emptyAt(Optional.ofNullable(start), Optional.ofNullable(end));
        }
        long span = Duration.between(start, end).toMillis();
        long width = Math.max(1, ceilDiv(span, buckets * 1000L));
        int count = (int) Math.max(1, ceilDiv(span, width * 1000));
        int categories = Category.values().length;
        long[] events = new long[count * categories];
        long[] failures = new long[count * categories];
        Instant first = start;
        Instant last = end;
        long startMillis = start.toEpochMilli();
        try (Stream<LedgerEntry> entries = reader.entries(from, to)) {
            entries.forEach(e -> {
                AuditEvent event = e.event();
                Instant t = event.timestamp();
                if (t.isBefore(first) || !t.isBefore(last)) {
                    return;
                }
                int bucket = (int) ((t.toEpochMilli() - startMillis) / (width * 1000));
                int i = bucket * categories + event.category().ordinal();
                events[i]++;
                if (failed(event.outcome())) {
                    failures[i]++;
                }
            });
        }
        List<Bucket> out = new ArrayList<>();
        for (int b = 0; b < count; b++) {
            for (Category c : Category.values()) {
                int i = b * categories + c.ordinal();
                if (events[i] > 0) {
                    out.add(new Bucket(start.plusSeconds(b * width), c, events[i], failures[i]));
                }
            }
        }
        return new Timeline(start, end, width, out);
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
