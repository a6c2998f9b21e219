package io.vigil.server;

import java.time.Instant;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * An API key as the server knows it: who it belongs to and what it may do, never its secret. The secret is shown once,
 * by {@link ApiKeys#create}, and only a hash of it is kept.
 *
 * @param id      short random id, also the middle of the secret ({@code vk_<id>_...}); lowercase letters and digits
 * @param tenant  the tenant whose ledger the key reaches; {@code [a-z0-9][a-z0-9_-]{0,62}}, as it names a directory
 * @param scopes  what the key may do; at least one
 * @param name    a label for people (where the key is used), at most {@value #MAX_NAME} characters
 * @param created when the key was made
 * @param revoked when the key was revoked; a revoked key lets no one in
 */
public record ApiKey(String id, String tenant, Set<Scope> scopes, Optional<String> name, Instant created,
                     Optional<Instant> revoked) {

    /** The longest name a key may have. */
    public static final int MAX_NAME = 100;
    private static final Pattern ID = Pattern.compile("[a-z0-9]{4,32}");
    private static final Pattern TENANT = Pattern.compile("[a-z0-9][a-z0-9_-]{0,62}");

    public ApiKey {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(scopes, "scopes");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(created, "created");
        Objects.requireNonNull(revoked, "revoked");
        if (!ID.matcher(id).matches()) {
            throw new IllegalArgumentException("key id '" + id + "' is not valid: use 4 to 32 lowercase letters and"
                    + " digits");
        }
        checkTenant(tenant);
        if (scopes.isEmpty()) {
            throw new IllegalArgumentException("a key needs at least one scope: ingest, read or admin");
        }
        scopes = Collections.unmodifiableSet(EnumSet.copyOf(scopes));
        name.ifPresent(ApiKey::checkName);
    }

    /** True while the key is not revoked. */
    public boolean active() {
        return revoked.isEmpty();
    }

    /** True when the key is active and has {@code scope}. */
    public boolean allows(Scope scope) {
        return active() && scopes.contains(scope);
    }

    /** The key, revoked at {@code when}. */
    ApiKey revokedAt(Instant when) {
        return new ApiKey(id, tenant, scopes, name, created, Optional.of(when));
    }

    static void checkTenant(String tenant) {
        if (!TENANT.matcher(tenant).matches()) {
            throw new IllegalArgumentException("tenant '" + printable(tenant) + "' is not allowed: use 1 to 63"
                    + " characters, lowercase letters, digits, '_' and '-', starting with a letter or a digit (the"
                    + " tenant names a directory)");
        }
    }

    private static void checkName(String name) {
        if (name.length() > MAX_NAME) {
            throw new IllegalArgumentException("key name is " + name.length() + " characters long: use at most "
                    + MAX_NAME);
        }
        if (name.isBlank()) {
            throw new IllegalArgumentException("key name is blank: give a name with some text, or none");
        }
        if (name.codePoints().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException("key name '" + printable(name) + "' has a control character (a tab,"
                    + " a newline, ...): use printable characters only");
        }
    }

    /** The text with control characters shown as {@code \\uXXXX}, for an error message on one line. */
    private static String printable(String s) {
        StringBuilder sb = new StringBuilder();
        s.codePoints().limit(120).forEach(c -> {
            if (Character.isISOControl(c)) {
                sb.append(String.format("\\u%04x", c));
            } else {
                sb.appendCodePoint(c);
            }
        });
        return s.codePointCount(0, s.length()) > 120 ? sb + "..." : sb.toString();
    }
}
