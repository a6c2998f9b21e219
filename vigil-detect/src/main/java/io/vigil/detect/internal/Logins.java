package io.vigil.detect.internal;

import io.vigil.detect.Sighting;
import io.vigil.event.Actor;
import io.vigil.event.AuditEvent;
import io.vigil.event.EventCatalog;
import io.vigil.event.IpAddress;
import io.vigil.event.Outcome;

import java.util.Optional;

/**
 * How detectors read an event: whom it is about (an account or a source address, within a tenant), what to remember
 * of it, and for the login detectors whether it is a login attempt.
 */
final class Logins {

    private Logins() {
    }

    /**
     * The state key of the event's account under a detector's prefix: the tenant and the actor id (the login helpers
     * record the account, or the name that was tried, as the actor). Empty when the event names no account.
     */
    static Optional<String> accountKey(String prefix, AuditEvent e) {
        return e.actor().flatMap(Actor::id).map(account -> tenantKey(prefix, e, account));
    }

    /**
     * The state key of {@code subject} (an account, an address) within the event's tenant, under a detector's prefix.
     * The tenant's length is written out so that no two (tenant, subject) pairs share a key whatever characters they
     * contain.
     */
    static String tenantKey(String prefix, AuditEvent e, String subject) {
        String tenant = e.tenant().orElse("");
        return prefix + tenant.length() + ':' + tenant + subject;
    }

    /**
     * The state key of the account behind a successful event of any type, under a detector's prefix: a success says
     * the account itself was in use (a login, a read, a change), where a failure may be anyone trying its name. Empty
     * for other outcomes and when the event names no account.
     */
    static Optional<String> successKey(String prefix, AuditEvent e) {
        return e.outcome() == Outcome.SUCCESS ? accountKey(prefix, e) : Optional.empty();
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

    /** The event's source address ({@code actor.ip}), one address however it was written (mapped IPv4 is IPv4). */
    static Optional<IpAddress> sourceAddress(AuditEvent e) {
        return e.actor().flatMap(Actor::ip).flatMap(IpAddress::parse);
    }

    static Sighting sighting(AuditEvent e) {
        return new Sighting(e.id(), e.timestamp(), e.actor().flatMap(Actor::ip));
    }

    /** What to remember of the event when a detector tracks {@code value} (the account tried, the agent, the network). */
    static Sighting sighting(AuditEvent e, String value) {
        return new Sighting(e.id(), e.timestamp(), e.actor().flatMap(Actor::ip), Optional.of(value));
    }

    /** The event's source address, when it has one. */
    static Optional<IpAddress> address(AuditEvent e) {
        return e.actor().flatMap(Actor::ip).flatMap(IpAddress::parse);
    }
}
