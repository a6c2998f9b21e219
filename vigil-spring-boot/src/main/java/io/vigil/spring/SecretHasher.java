package io.vigil.spring;

/**
 * A keyed hash (HMAC-SHA256) of secrets that must stay correlatable in the ledger without being stored: session
 * ids, tokens, API keys. Equal secrets give equal hashes; without the key, a hash reveals nothing and cannot be
 * checked against a guess.
 */
@FunctionalInterface
public interface SecretHasher {

    /** {@code hmac-sha256:} followed by 32 hex digits (the first 128 bits of the MAC). */
    String hash(String secret);
}
