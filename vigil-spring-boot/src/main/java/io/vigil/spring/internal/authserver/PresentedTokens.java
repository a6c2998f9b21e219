package io.vigil.spring.internal.authserver;

import java.util.Optional;

/**
 * The spent token a grant request presented on this thread, between the authorization service finding it (where the
 * reuse is recorded) and the grant's failure event and the save that revokes what the spent token had issued (which
 * must not record it again as a plain refusal or revocation). One request serves one grant on one thread.
 */
final class PresentedTokens {
    private static final ThreadLocal<Spent> SPENT = new ThreadLocal<>();

    private PresentedTokens() {
    }

    /** What a lookup presented: a spent token of an authorization. */
    record Spent(String authorizationId, String tokenHash) {
    }

    static void spent(String authorizationId, String tokenHash) {
        SPENT.set(new Spent(authorizationId, tokenHash));
    }

    static void clear() {
        SPENT.remove();
    }

    static Optional<Spent> current() {
        return Optional.ofNullable(SPENT.get());
    }
}
