package io.vigil.ledger.tck;

import io.vigil.event.Actor;
import io.vigil.event.ActorType;
import io.vigil.event.AuditEvent;
import io.vigil.event.EventCatalog;
import io.vigil.event.EventIds;
import io.vigil.event.EventType;
import io.vigil.event.Target;
import io.vigil.ledger.LedgerStore;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.function.LongPredicate;

/**
 * A ledger written for the kit's reader tests: events whose query fields vary with their number in known ways (so
 * each filter's expected matches are computed here, independently of any store), appended in seeded random batches,
 * with the lines and checkpoint sizes the writer reported.
 *
 * @param events      the appended events, by seq
 * @param lines       the stored lines as the writer returns them, by seq
 * @param checkpoints the sizes of the stored checkpoints, oldest first
 */
record ReaderFixture(List<AuditEvent> events, List<String> lines, List<Long> checkpoints) {
    /** The time of event 0; event n is n seconds later. */
    static final Instant T0 = Instant.parse("2026-03-02T08:00:00Z");

    /** Event number {@code n}: actor user-(n % 7) at 10.0.(n % 5).1, target doc:d-(n % 11), tenant t-(n % 3). */
    static AuditEvent event(long n) {
        Instant at = T0.plusSeconds(n);
        EventType type = n % 4 == 0 ? EventCatalog.AUTH_LOGIN_FAILURE
                : n % 4 == 1 ? EventCatalog.AUTH_LOGIN_SUCCESS : EventCatalog.AUTHZ_ACCESS_DENIED;
        return AuditEvent.builder(type).id(EventIds.next(at.toEpochMilli())).timestamp(at)
                .actor(new Actor(ActorType.USER, Optional.of("user-" + n % 7), Optional.empty(),
                        Optional.of("10.0." + n % 5 + ".1"), Optional.empty()))
                .target(new Target("doc", Optional.of("d-" + n % 11), Optional.empty()))
                .tenant("t-" + n % 3).detail("n", n).build();
    }

    /** Appends {@code count} events to an empty store, signs a checkpoint of the end and reads back what it holds. */
    static ReaderFixture write(LedgerStore store, int count, int maxBatch) throws IOException {
        List<AuditEvent> events = new ArrayList<>();
        Random rnd = new Random(count);
        while (events.size() < count) {
            int n = Math.min(1 + rnd.nextInt(maxBatch), count - events.size());
            List<AuditEvent> batch = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                batch.add(event(events.size() + i));
            }
            store.append(batch);
            events.addAll(batch);
        }
        store.checkpoint();
        List<String> lines = new ArrayList<>();
        for (long seq = 0; seq < count; seq++) {
            lines.add(store.line(seq));
        }
        List<Long> sizes = store.checkpoints().stream().map(c -> c.checkpoint().size()).toList();
        return new ReaderFixture(List.copyOf(events), List.copyOf(lines), sizes);
    }

    /** The seqs of the events that {@code test} accepts, in order. */
    List<Long> seqsWhere(LongPredicate test) {
        List<Long> out = new ArrayList<>();
        for (long n = 0; n < events.size(); n++) {
            if (test.test(n)) {
                out.add(n);
            }
        }
        return out;
    }
}
