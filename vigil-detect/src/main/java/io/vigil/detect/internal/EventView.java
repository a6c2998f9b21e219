package io.vigil.detect.internal;

import io.vigil.detect.DetectorState;
import io.vigil.detect.Sighting;
import io.vigil.event.Actor;
import io.vigil.event.AuditEvent;
import io.vigil.event.EventCatalog;
import io.vigil.event.IpAddress;
import io.vigil.event.Outcome;

import java.util.Optional;

/**
 * How detectors read one event: whom it is about (an account or a source address, within a tenant), what to remember
 * of it, and for the login detectors whether it is a login attempt. Made once per event and shown to every detector,
 * so what several detectors ask (the parsed address, the account's key, the sighting) is worked out once.
 * Used by one thread at a time, as the detectors are.
 */
public final class EventView {

    private final AuditEvent event;
    /** The tenant's length, ':', the tenant, the actor id; null until asked, empty when the event names no account. */
    private Optional<String> accountSubject;
    private Optional<IpAddress> address;
    private Sighting sighting;
    private Optional<DetectorState.Subject> account;

    public EventView(AuditEvent event) {
        this.event = event;
    }

    public AuditEvent event() {
        return event;
    }

    /**
     * The state of the event's account (the tenant and the actor id; the login helpers record the account, or the name
     * that was tried, as the actor), shared by every detector looking at this event. Empty when the event names no
     * account.
     */
    Optional<DetectorState.Subject> account(DetectorState state) {
        if (account == null) {
            account = event.actor().flatMap(Actor::id).map(id -> state.subject(tenantKey("a|", id)));
        }
        return account;
    }

    /**
     * The state of the account behind a successful event of any type: a success says the account itself was in use
     * (a login, a read, a change), where a failure may be anyone trying its name. Empty for other outcomes and when
     * the event names no account.
     */
    Optional<DetectorState.Subject> successAccount(DetectorState state) {
        return event.outcome() == Outcome.SUCCESS ? account(state) : Optional.empty();
    }

    /** The name of the event's account, tenant included, as the password spraying detector tells accounts apart. */
    Optional<String> accountName() {
        return event.actor().flatMap(Actor::id).map(id -> tenantKey("", id));
    }

    /**
     * The key of a subject (an account, an address) within the event's tenant, under a kind prefix. The tenant's
     * length is written out so that no two (tenant, subject) pairs share a key whatever characters they contain.
     */
    String tenantKey(String prefix, String subject) {
        String tenant = event.tenant().orElse("");
        return prefix + tenant.length() + ':' + tenant + subject;
    }

    /** Whether the event is an {@code auth.login.success}. */
    boolean isLoginSuccess() {
        return event.type().equals(EventCatalog.AUTH_LOGIN_SUCCESS.name());
    }

    /** Whether the event is an {@code auth.login.failure}. */
    boolean isLoginFailure() {
        return event.type().equals(EventCatalog.AUTH_LOGIN_FAILURE.name());
    }

    /** The event's source address ({@code actor.ip}), one address however it was written (mapped IPv4 is IPv4). */
    Optional<IpAddress> address() {
        if (address == null) {
            address = event.actor().flatMap(Actor::ip).flatMap(IpAddress::parse);
        }
        return address;
    }

    /** What to remember of the event when a detector tracks no value: when and from where. */
    Sighting sighting() {
        if (sighting == null) {
            sighting = new Sighting(event.id(), event.timestamp(), event.actor().flatMap(Actor::ip));
        }
        return sighting;
    }

    /** What to remember of the event when a detector tracks {@code value} (the account tried, the agent, the network). */
    Sighting sighting(String value) {
        return new Sighting(event.id(), event.timestamp(), sighting().ip(), Optional.of(value));
    }
}
