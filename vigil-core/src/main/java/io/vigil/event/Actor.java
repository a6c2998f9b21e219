package io.vigil.event;

import java.util.Objects;
import java.util.Optional;

/**
 * Who performed the action: the principal, and where the request came from.
 *
 * @param type      the kind of principal
 * @param id        a stable identifier (user id, client id, service name)
 * @param name      a display name
 * @param ip        the client's IP address literal
 * @param userAgent the client's user agent
 */
public record Actor(ActorType type, Optional<String> id, Optional<String> name, Optional<String> ip,
                    Optional<String> userAgent) {

    public Actor {
        Objects.requireNonNull(type, "actor.type is required");
        Checks.optional("actor.id", id, Checks.MAX_ID_CHARS);
        Checks.optional("actor.name", name, Checks.MAX_ID_CHARS);
        Checks.ip("actor.ip", ip);
        Checks.optional("actor.userAgent", userAgent, Checks.MAX_ID_CHARS);
    }

    /** A user with the given id. */
    public static Actor user(String id) {
        return new Actor(ActorType.USER, Optional.of(id), Optional.empty(), Optional.empty(), Optional.empty());
    }

    /** A service (machine principal) with the given id. */
    public static Actor service(String id) {
        return new Actor(ActorType.SERVICE, Optional.of(id), Optional.empty(), Optional.empty(), Optional.empty());
    }

    /** An API client (API key, OAuth client) with the given id. */
    public static Actor api(String id) {
        return new Actor(ActorType.API, Optional.of(id), Optional.empty(), Optional.empty(), Optional.empty());
    }

    /** The system itself (schedulers, the audit system). */
    public static Actor system() {
        return new Actor(ActorType.SYSTEM, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
    }

    /** An unauthenticated caller. */
    public static Actor anonymous() {
        return new Actor(ActorType.ANONYMOUS, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
    }

    public Actor withId(String value) {
        return new Actor(type, Optional.of(value), name, ip, userAgent);
    }

    public Actor withName(String value) {
        return new Actor(type, id, Optional.of(value), ip, userAgent);
    }

    public Actor withIp(String value) {
        return new Actor(type, id, name, Optional.of(value), userAgent);
    }

    public Actor withUserAgent(String value) {
        return new Actor(type, id, name, ip, Optional.of(value));
    }
}
