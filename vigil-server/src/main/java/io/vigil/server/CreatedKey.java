package io.vigil.server;

import java.util.Objects;

/**
 * A key just made: its secret, shown this once and never stored, and the key as it is stored.
 *
 * @param secret what the client presents: {@code vk_<id>_<43 characters of base64url>}
 * @param key    the stored key
 */
public record CreatedKey(String secret, ApiKey key) {

    public CreatedKey {
        Objects.requireNonNull(secret, "secret");
        Objects.requireNonNull(key, "key");
    }

    /** Leaves the secret out, so that logging the record by mistake does not leak it. */
    @Override
    public String toString() {
        return "CreatedKey[secret=vk_" + key.id() + "_<hidden>, key=" + key + "]";
    }
}
