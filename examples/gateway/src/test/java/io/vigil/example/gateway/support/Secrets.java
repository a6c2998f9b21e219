package io.vigil.example.gateway.support;

import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every secret the tests sent or were given, in this JVM: passwords, API tokens, OAuth2 codes and tokens, the
 * client secret, raw session ids. None of them may appear in a ledger.
 */
public final class Secrets {
    private static final Set<String> ALL = ConcurrentHashMap.newKeySet();

    private Secrets() {
    }

    /** Remembers a secret; blank and very short values are ignored (they would match by chance). */
    public static void add(String secret) {
        if (secret != null && secret.length() >= 8) {
            ALL.add(secret);
        }
    }

    public static Set<String> all() {
        return new TreeSet<>(ALL);
    }
}
