package io.vigil.redact;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What redaction does to an event before any sink sees it.
 *
 * <p>A detail key is secret-looking when, lowercased with every character other than a letter or digit removed,
 * it contains one of {@code secretKeys} (for {@code token}: ends with it), unless it ends in {@code id}/{@code ids}
 * (identifiers such as {@code tokenId} are kept) or is listed in {@code allowKeys}. Its value, at any depth, becomes
 * {@code replacement}. Values under {@code hmacKeys} become {@code hmac-sha256:<hex>} of the value, keyed with
 * {@code hmacKey}, so equal values stay equal without being readable. String values shaped like bearer tokens or
 * JWTs are masked wherever they appear in details.
 *
 * <p>Limits: a string field longer than {@code maxFieldLength} characters is cut; details nested deeper than
 * {@code maxDetailsDepth} or larger than {@code maxDetailsBytes} (UTF-8, canonical JSON) are cut. Every cut is
 * marked by listing the field's path under {@code details._truncated}.
 *
 * @param enabled          false turns masking off (limits still apply)
 * @param secretKeys       key fragments that mark a detail as secret, normalised as above
 * @param allowKeys        detail keys never masked, normalised as above
 * @param replacement      what a masked value becomes
 * @param hmacKeys         detail keys whose values are replaced by a keyed hash
 * @param hmacKey          the key for {@code hmacKeys}; required when {@code hmacKeys} is not empty
 * @param maxFieldLength   longest string kept, in characters
 * @param maxDetailsBytes  largest details object kept, in bytes of canonical JSON
 * @param maxDetailsDepth  deepest nesting kept in details
 */
public record RedactionPolicy(boolean enabled, Set<String> secretKeys, Set<String> allowKeys, String replacement,
                              Set<String> hmacKeys, Optional<HmacKey> hmacKey, int maxFieldLength,
                              int maxDetailsBytes, int maxDetailsDepth) {

    /** The key fragments masked by default. */
    public static final Set<String> DEFAULT_SECRET_KEYS = Set.of("password", "passwd", "passphrase", "pwd", "secret",
            "token", "authorization", "cookie", "apikey", "privatekey", "credential", "accesskey", "signingkey",
            "sessionkey", "pin", "cvv");
    /** The marker written in place of a masked value. */
    public static final String DEFAULT_REPLACEMENT = "[REDACTED]";

    /** Masking on, default keys, 4096-character fields, 32 KiB details, depth 8. */
    public static final RedactionPolicy DEFAULT = new RedactionPolicy(true, DEFAULT_SECRET_KEYS, Set.of(),
            DEFAULT_REPLACEMENT, Set.of(), Optional.empty(), 4096, 32 * 1024, 8);

    public RedactionPolicy {
        secretKeys = normalise(secretKeys);
        allowKeys = normalise(allowKeys);
        Objects.requireNonNull(replacement, "replacement");
        hmacKeys = normalise(hmacKeys);
        Objects.requireNonNull(hmacKey, "hmacKey");
        if (!hmacKeys.isEmpty() && hmacKey.isEmpty()) {
            throw new IllegalArgumentException("redaction.hmacKeys is set but no HMAC key was given (redaction.hmacKeyFile)");
        }
        if (maxFieldLength < 16) {
            throw new IllegalArgumentException("redaction.maxFieldLength must be at least 16, was " + maxFieldLength);
        }
        if (maxDetailsBytes < 256) {
            throw new IllegalArgumentException("redaction.maxDetailsBytes must be at least 256, was " + maxDetailsBytes);
        }
        if (maxDetailsDepth < 1 || maxDetailsDepth > 32) {
            throw new IllegalArgumentException("redaction.maxDetailsDepth must be between 1 and 32, was " + maxDetailsDepth);
        }
    }

    /** Lowercases a key and drops everything but letters and digits: {@code X-Api-Key} becomes {@code xapikey}. */
    public static String normaliseKey(String key) {
        StringBuilder sb = new StringBuilder(key.length());
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (Character.isLetterOrDigit(c)) {
                sb.append(Character.toLowerCase(c));
            }
        }
        return sb.toString().toLowerCase(Locale.ROOT);
    }

    private static Set<String> normalise(Set<String> keys) {
        Objects.requireNonNull(keys, "keys");
        return keys.stream().map(RedactionPolicy::normaliseKey).filter(k -> !k.isEmpty())
                .collect(java.util.stream.Collectors.toUnmodifiableSet());
    }

    /** True when a detail with this key is masked. */
    public boolean isSecretKey(String key) {
        if (!enabled) {
            return false;
        }
        String k = normaliseKey(key);
        if (allowKeys.contains(k) || k.endsWith("id") || k.endsWith("ids")) {
            return false;
        }
        for (String s : secretKeys) {
            if (s.equals("token") || s.equals("pin")) {
                if (k.endsWith(s) || k.endsWith(s + "s")) {
                    return true;
                }
            } else if (k.contains(s)) {
                return true;
            }
        }
        return false;
    }

    /** True when a detail with this key is replaced by its keyed hash. */
    public boolean isHmacKey(String key) {
        return !hmacKeys.isEmpty() && hmacKeys.contains(normaliseKey(key));
    }

    public RedactionPolicy withEnabled(boolean value) {
        return new RedactionPolicy(value, secretKeys, allowKeys, replacement, hmacKeys, hmacKey, maxFieldLength,
                maxDetailsBytes, maxDetailsDepth);
    }

    public RedactionPolicy withSecretKeys(Set<String> value) {
        return new RedactionPolicy(enabled, value, allowKeys, replacement, hmacKeys, hmacKey, maxFieldLength,
                maxDetailsBytes, maxDetailsDepth);
    }

    public RedactionPolicy withHmac(Set<String> keys, HmacKey key) {
        return new RedactionPolicy(enabled, secretKeys, allowKeys, replacement, keys, Optional.of(key),
                maxFieldLength, maxDetailsBytes, maxDetailsDepth);
    }

    public RedactionPolicy withLimits(int fieldLength, int detailsBytes, int detailsDepth) {
        return new RedactionPolicy(enabled, secretKeys, allowKeys, replacement, hmacKeys, hmacKey, fieldLength,
                detailsBytes, detailsDepth);
    }

    /** Same as the default list plus these key fragments. */
    public static Set<String> defaultKeysPlus(List<String> extra) {
        java.util.HashSet<String> all = new java.util.HashSet<>(DEFAULT_SECRET_KEYS);
        all.addAll(extra);
        return all;
    }
}
