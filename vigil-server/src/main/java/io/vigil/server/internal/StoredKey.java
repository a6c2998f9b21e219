package io.vigil.server.internal;

import io.vigil.server.ApiKey;

import java.security.MessageDigest;
import java.util.Objects;

/** A key as the keys file holds it: the key and the SHA-256 hash of its secret, never the secret. */
public final class StoredKey {
    private final ApiKey key;
    private final byte[] hash;

    public StoredKey(ApiKey key, byte[] hash) {
        this.key = Objects.requireNonNull(key, "key");
        if (hash.length != Secrets.HASH_BYTES) {
            throw new IllegalArgumentException("a key's hash has " + Secrets.HASH_BYTES + " bytes, not " + hash.length);
        }
        this.hash = hash.clone();
    }

    public ApiKey key() {
        return key;
    }

    byte[] hash() {
        return hash.clone();
    }

    /** The same hash with another key record (a revocation). */
    public StoredKey with(ApiKey changed) {
        return new StoredKey(changed, hash);
    }

    /** True when {@code presentedHash} is this key's hash, compared in constant time. */
    public boolean matches(byte[] presentedHash) {
        return MessageDigest.isEqual(hash, presentedHash);
    }
}
