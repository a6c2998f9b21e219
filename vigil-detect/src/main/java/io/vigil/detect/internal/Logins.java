package io.vigil.detect.internal;

import io.vigil.detect.Sighting;
import io.vigil.event.Actor;
import io.vigil.event.AuditEvent;
import io.vigil.event.EventCatalog;

import java.util.Optional;

/** How the login detectors read an event: which account it is about, and what to remember of it. */
final class Logins {

    private Logins() {
    }

    /**
     * The state key of the event's account under a detector's prefix: the tenant and the actor id (the login helpers
     * record the account, or the name that was tried, as the actor). Lengths are written out so that no two
     * (tenant, account) pairs share a key whatever characters they contain. Empty when the event names no account.
     */
    static Optional<String> accountKey(String prefix, AuditEvent e) {
        Optional<String> account = e.actor().flatMap(Actor::id);
        if (account.isEmpty()) {
            return Optional.empty();
        }
        String tenant = e.tenant().orElse("");
        return Optional.of(prefix + tenant.length() + ':' + tenant + account.get());
    }

    /** A login attempt on a named account: its state key under a detector's prefix, and whether it succeeded. */
    record Attempt(String key, boolean success) {
    }

    /**
     * The event as a login attempt: an {@code auth.login.failure} or {@code auth.login.success} that names an account;
     * empty for every other event.
     */
    static Optional<Attempt> attempt(String prefix, AuditEvent e) {
        boolean failure = e.type().equals(EventCatalog.AUTH_LOGIN_FAILURE.name());
        boolean success = e.type().equals(EventCatalog.AUTH_LOGIN_SUCCESS.name());
        if (!failure && !success) {
            return Optional.empty();
        }
        return accountKey(prefix, e).map(key -> new Attempt(key, success));
    }

    static Sighting sighting(AuditEvent e) {
        return new Sighting(e.id(), e.timestamp(), e.actor().flatMap(Actor::ip));
    }
}
