package io.vigil.redact;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What redaction does to an event before any sink sees it.
 *
 * <p><b>Secret keys.</b> A detail key is compared after normalising it: lowercased, with every character other
 * than a letter or digit removed ({@code X-Api-Key} becomes {@code xapikey}). It is secret-looking when it contains
 * one of {@code secretKeys}, unless it is listed in {@code allowKeys} or ends in an identifier-like suffix:
 * {@code id}, {@code ids}, {@code type}, {@code count}, {@code ttl}, {@code expiry}, {@code expiresat},
 * {@code expiresin}, {@code length} or {@code kind} (so {@code tokenId}, {@code token_type},
 * {@code refreshTokenTtl} and {@code passwordLength} are kept, while {@code token_value} and {@code id_token_hint}
 * are masked). Three fragments match more narrowly, because as plain substrings they would hit common words:
 * <ul>
 *   <li>{@code pass}: the whole key or its end ({@code pass}, {@code dbPass}, {@code smtp_pass}), but not the
 *       words {@code compass}, {@code bypass}, {@code overpass}, {@code underpass}, {@code surpass},
 *       {@code trespass}, and not {@code passenger} or {@code passport} (which do not end in it);</li>
 *   <li>{@code pin}: the whole key or its end, also plural ({@code pin}, {@code cardPin}, {@code pins}), not
 *       {@code pinned} or {@code shipping}; {@code pincode} and {@code pinnumber} are separate fragments;</li>
 *   <li>{@code otp}: anywhere ({@code otp}, {@code totp}, {@code otpCode}), except inside {@code footp…}
 *       ({@code footprint}, {@code footpath}).</li>
 * </ul>
 * A secret key's value, at any depth, becomes {@code replacement}, unless the value is itself a keyed hash
 * ({@code hmac-sha256:} and 32 to 64 lowercase hex digits, as a token's or session's {@code tokenHash} is written):
 * it reveals nothing and is what correlates. Values under {@code hmacKeys} become
 * {@code hmac-sha256:<hex>} of the value, keyed with {@code hmacKey}, so equal values stay equal without being
 * readable.
 *
 * <p><b>Credentials inside text.</b> In every string in details, and in {@code reason}, {@code error},
 * {@code actor.name}, {@code actor.userAgent} and {@code target.name}, only the credential part is replaced by
 * {@code replacement}, the rest of the text is kept:
 * <ul>
 *   <li>JWT-shaped text, {@code eyJ…} followed by two dot-separated base64url parts (the last may be empty);</li>
 *   <li>{@code Bearer <token>} anywhere, the word in any case, the token being 8 or more of
 *       {@code A-Z a-z 0-9 . _ ~ + / = -} ({@code Bearer [REDACTED]});</li>
 *   <li>the value of a query or form parameter {@code name=value} whose name, in any case, is one of
 *       {@code access_token}, {@code refresh_token}, {@code id_token}, {@code token}, {@code password},
 *       {@code passwd}, {@code pwd}, {@code secret}, {@code client_secret}, {@code api_key}, {@code apikey}; the
 *       value runs to the next {@code &} or whitespace ({@code ?access_token=[REDACTED]&state=1});</li>
 *   <li>{@code Basic <credentials>} only when the whole string is that: it starts with {@code Basic } and the rest
 *       is 8 or more base64 characters, without spaces, that decode to text holding a {@code :}
 *       ({@code user:password}); so a plan called {@code Basic subscription} is kept.</li>
 * </ul>
 * None of this applies when {@code enabled} is false.
 *
 * <p><b>Limits.</b> A string in details, {@code reason} or {@code error} longer than {@code maxFieldLength}
 * characters is cut (after masking). Details nested deeper than {@code maxDetailsDepth} are cut. Details larger than
 * {@code maxDetailsBytes} (UTF-8 bytes of canonical JSON, the {@code _truncated} marker included) lose top-level
 * entries from the last one backwards until they fit. Every cut is marked by listing the field's path under
 * {@code details._truncated}; the list holds at most 32 paths, followed by one entry {@code "details: N more keys"}
 * counting the rest.
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
    public static final Set<String> DEFAULT_SECRET_KEYS = Set.of("password", "passwd", "passphrase", "passcode",
            "pass", "pwd", "secret", "token", "jwt", "otp", "authorization", "cookie", "apikey", "privatekey",
            "credential", "accesskey", "signingkey", "sessionkey", "pin", "pincode", "pinnumber", "cvv");

    /** Normalised key endings that mark an identifier or metadata about a secret, not the secret itself. */
    private static final List<String> KEPT_SUFFIXES = List.of("id", "ids", "type", "count", "ttl", "expiry",
            "expiresat", "expiresin", "length", "kind");
    /** Words ending in {@code pass} that are not passwords. */
    private static final List<String> NOT_PASS = List.of("compass", "bypass", "overpass", "underpass", "surpass",
            "trespass");
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
                .collect(Collectors.toUnmodifiableSet());
    }

    /** True when a detail with this key is masked. */
    public boolean isSecretKey(String key) {
        if (!enabled) {
            return false;
        }
        String k = normaliseKey(key);
        if (allowKeys.contains(k)) {
            return false;
        }
        for (String suffix : KEPT_SUFFIXES) {
            if (k.endsWith(suffix)) {
                return false;
            }
        }
        for (String s : secretKeys) {
            if (matches(k, s)) {
                return true;
            }
        }
        return false;
    }

    private static boolean matches(String k, String fragment) {
        switch (fragment) {
            case "pin":
                return k.endsWith("pin") || k.endsWith("pins");
            case "pass":
                if (!k.endsWith("pass")) {
                    return false;
                }
                for (String word : NOT_PASS) {
                    if (k.endsWith(word)) {
                        return false;
                    }
                }
                return true;
            case "otp":
                for (int i = k.indexOf("otp"); i >= 0; i = k.indexOf("otp", i + 1)) {
                    if (i < 2 || !k.startsWith("fo", i - 2)) {
                        return true;
                    }
                }
                return false;
            default:
                return k.contains(fragment);
        }
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
        HashSet<String> all = new HashSet<>(DEFAULT_SECRET_KEYS);
        all.addAll(extra);
        return all;
    }
}
