package io.vigil.server;

import io.vigil.internal.PrivateFiles;
import io.vigil.server.internal.KeysFile;
import io.vigil.server.internal.Secrets;
import io.vigil.server.internal.StoredKey;
import io.vigil.server.internal.WriteLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;

/**
 * The server's API keys, kept in {@code DIR/keys.json} with only a hash of each secret.
 *
 * <p>The file may be changed by another process (the {@code vigil keys} command while the server runs): reads look
 * at the file at most once a second and re-read it when it changed, keeping the keys they had when a re-read fails.
 * Changes take a lock on {@code DIR/keys.lock} and read the file afresh first, so concurrent writers in any process
 * lose nothing. Safe for use by many threads.
 */
public final class ApiKeys {
    private static final Logger LOG = LoggerFactory.getLogger(ApiKeys.class);
    private static final long RECHECK_MILLIS = 1000;
    private final Path file;
    private final Clock clock;
    private final WriteLock writeLock;
    /** When the file was last looked at, in the clock's millis. */
    private final AtomicLong lastCheck;
    private volatile Snapshot snapshot;
    /** The stamp of a file that could not be read, so that its warning is logged once rather than every second. */
    private KeysFile.Stamp failed = KeysFile.Stamp.MISSING;

    private ApiKeys(Path file, Clock clock, WriteLock writeLock, KeysFile.Contents contents) {
        this.file = file;
        this.clock = clock;
        this.writeLock = writeLock;
        this.snapshot = new Snapshot(contents);
        this.lastCheck = new AtomicLong(clock.millis());
    }

    /**
     * Opens the keys of the server directory {@code dir}, creating the directory (0700) when it is missing.
     *
     * @throws IOException when the directory cannot be made or {@code keys.json} cannot be read or is not valid
     */
    public static ApiKeys open(Path dir) throws IOException {
        return open(dir, Clock.systemUTC());
    }

    /** As {@link #open(Path)}, with the clock that dates keys and paces re-reads of the file. */
    public static ApiKeys open(Path dir, Clock clock) throws IOException {
        Objects.requireNonNull(clock, "clock");
        PrivateFiles.directory(dir);
        Path file = dir.resolve(KeysFile.NAME);
        return new ApiKeys(file, clock, new WriteLock(dir), KeysFile.read(file));
    }

    /**
     * Makes a key. The secret in the result is shown this once: only its hash is stored.
     *
     * @throws IllegalArgumentException when the tenant, the scopes or the name are not allowed (the message says why)
     */
    public CreatedKey create(String tenant, Set<Scope> scopes, Optional<String> name) throws IOException {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        // Validates before anything is written; the id is replaced below by one unique in the file.
        new ApiKey("check", tenant, scopes, name, now, Optional.empty());
        CreatedKey[] made = new CreatedKey[1];
        change(keys -> {
            Set<String> ids = new HashSet<>(keys.keySet());
            String id;
            do {
                id = Secrets.newId();
            } while (ids.contains(id));
            String secret = Secrets.newSecret(id);
            ApiKey key = new ApiKey(id, tenant, scopes, name, now, Optional.empty());
            made[0] = new CreatedKey(secret, key);
            Map<String, StoredKey> out = new LinkedHashMap<>(keys);
            out.put(id, new StoredKey(key, Secrets.hash(secret)));
            return out;
        });
        return made[0];
    }

    /** Every key, oldest first. */
    public List<ApiKey> list() {
        return current().ordered;
    }

    /**
     * The keys of {@code tenant}, oldest first.
     *
     * @throws IllegalArgumentException when {@code tenant} is not a valid tenant name
     */
    public List<ApiKey> list(String tenant) {
        ApiKey.checkTenant(tenant);
        return list().stream().filter(k -> k.tenant().equals(tenant)).toList();
    }

    /**
     * Revokes the key {@code id}: it lets no one in from now on. Revoking a revoked key keeps its first revocation.
     *
     * @return false when there is no such key
     */
    public boolean revoke(String id) throws IOException {
        boolean[] found = new boolean[1];
        change(keys -> {
            StoredKey k = keys.get(id);
            found[0] = k != null;
            if (k == null || !k.key().active()) {
                return keys;
            }
            Map<String, StoredKey> out = new LinkedHashMap<>(keys);
            out.put(id, k.with(k.key().revokedAt(clock.instant().truncatedTo(ChronoUnit.MILLIS))));
            return out;
        });
        return found[0];
    }

    /**
     * The active key whose secret is {@code presented}; empty when it is malformed, unknown, wrong or revoked. Never
     * throws for any string.
     */
    public Optional<ApiKey> authenticate(String presented) {
        if (presented == null) {
            return Optional.empty();
        }
        Optional<String> id = Secrets.idOf(presented);
        if (id.isEmpty()) {
            return Optional.empty();
        }
        StoredKey k = current().byId.get(id.get());
        if (k == null || !k.key().active() || !k.matches(Secrets.hash(presented))) {
            return Optional.empty();
        }
        return Optional.of(k.key());
    }

    /** Reads the file under the write lock, applies {@code change}, and writes the result when it differs. */
    private void change(UnaryOperator<Map<String, StoredKey>> change) throws IOException {
        try (WriteLock.Held ignored = writeLock.acquire()) {
            KeysFile.Contents now = KeysFile.read(file);
            Map<String, StoredKey> before = new LinkedHashMap<>();
            now.keys().forEach(k -> before.put(k.key().id(), k));
            Map<String, StoredKey> after = change.apply(before);
            KeysFile.Contents result = now;
            if (after != before) {
                List<StoredKey> keys = List.copyOf(after.values());
                result = new KeysFile.Contents(keys, KeysFile.write(file, keys));
            }
            synchronized (this) {
                snapshot = new Snapshot(result);
                failed = KeysFile.Stamp.MISSING;
            }
        }
    }

    /** The keys as of at most a second ago: looks at the file when a second has passed since the last look. */
    private Snapshot current() {
        long now = clock.millis();
        long last = lastCheck.get();
        // One thread looks; the others go on with the keys they have. A clock set back counts as time passed.
        if (Math.abs(now - last) >= RECHECK_MILLIS && lastCheck.compareAndSet(last, now)) {
            refresh();
        }
        return snapshot;
    }

    private synchronized void refresh() {
        KeysFile.Stamp stamp;
        try {
            stamp = KeysFile.stamp(file);
        } catch (IOException e) {
            LOG.warn("API keys: cannot look at {} ({}); still using the {} keys read before", file, e.toString(),
                    snapshot.ordered.size());
            return;
        }
        if (stamp.equals(snapshot.stamp) || stamp.equals(failed)) {
            return;
        }
        try {
            snapshot = new Snapshot(KeysFile.read(file));
            failed = KeysFile.Stamp.MISSING;
        } catch (IOException e) {
            failed = stamp;
            LOG.warn("API keys: cannot re-read {} ({}); still using the {} keys read before", file, e.getMessage(),
                    snapshot.ordered.size());
        }
    }

    /** The keys read from one version of the file, by id and oldest first. */
    private static final class Snapshot {
        final Map<String, StoredKey> byId;
        final List<ApiKey> ordered;
        final KeysFile.Stamp stamp;

        Snapshot(KeysFile.Contents contents) {
            Map<String, StoredKey> m = new LinkedHashMap<>();
            List<ApiKey> keys = new ArrayList<>();
            for (StoredKey k : contents.keys()) {
                m.put(k.key().id(), k);
                keys.add(k.key());
            }
            // A stable sort: keys made in the same millisecond stay in the file's order, which is creation order.
            keys.sort(Comparator.comparing(ApiKey::created));
            this.byId = Map.copyOf(m);
            this.ordered = List.copyOf(keys);
            this.stamp = contents.stamp();
        }
    }
}
