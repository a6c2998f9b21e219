package io.vigil.ledger.tck;

import io.vigil.event.Actor;
import io.vigil.event.AuditEvent;
import io.vigil.event.EventCatalog;
import io.vigil.event.EventIds;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Plain, valid events for filling ledgers: failed logins numbered by {@code details.n}. */
public final class SampleEvents {
    private static final long EPOCH_MILLIS = 1_700_000_000_000L;

    private SampleEvents() {
    }

    /** Failed login number {@code n}, one millisecond after number {@code n - 1}. */
    public static AuditEvent loginFailure(long n) {
        long millis = EPOCH_MILLIS + n;
        return AuditEvent.builder(EventCatalog.AUTH_LOGIN_FAILURE).id(EventIds.next(millis))
                .timestamp(Instant.ofEpochMilli(millis)).actor(Actor.user("user-" + (n % 7))).detail("n", n).build();
    }

    /** Failed logins {@code from} .. {@code from + count - 1}. */
    public static List<AuditEvent> loginFailures(long from, int count) {
        List<AuditEvent> out = new ArrayList<>(count);
        for (long n = from; n < from + count; n++) {
            out.add(loginFailure(n));
        }
        return out;
    }
}
