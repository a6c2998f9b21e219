package io.vigil.server.internal;

import java.util.Optional;

/** Turns a presented API key into the principal it stands for; empty for anything that is not an active key. */
@FunctionalInterface
public interface Authenticator {
    Optional<Principal> authenticate(String presentedKey);
}
