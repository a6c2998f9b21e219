package io.vigil.server.internal;

import io.vigil.ledger.LedgerOptions;
import io.vigil.ledger.checkpoint.SigningKey;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Every tenant's ledger, under {@code DIR/tenants/<tenant>} or, with a store, in a PostgreSQL schema of its own
 * ({@link PostgresTenants}); each with its own chain and checkpoints signed by the server's key, so a tenant's evidence
 * never holds another tenant's events. A tenant's ledger is opened on first use.
 */
public final class TenantLedgers implements AutoCloseable {
    /** A tenant's name is a directory name: lower-case letters, digits, '_' and '-', at most 63 characters. */
    public static final Pattern TENANT = Pattern.compile("[a-z0-9][a-z0-9_-]{0,62}");

    private final Path root;
    private final Path indexes;
    private final SigningKey key;
    private final Duration checkpointEvery;
    private final Optional<PostgresTenants> database;
    private final Map<String, TenantLedger> open = new ConcurrentHashMap<>();
    private volatile boolean closed;

    /** File ledgers under {@code dir}. */
    public TenantLedgers(Path dir, SigningKey key, Duration checkpointEvery) throws IOException {
        this(dir, Optional.empty(), key, checkpointEvery);
    }

    /** File ledgers under {@code dir}, or with {@code store} (a {@code jdbc:postgresql:} URL) ledgers in PostgreSQL. */
    public TenantLedgers(Path dir, Optional<String> store, SigningKey key, Duration checkpointEvery)
            throws IOException {
        this.database = store.isEmpty() ? Optional.empty() : Optional.of(PostgresTenants.open(store.get()));
        this.root = database.isPresent() ? dir.resolve("tenants") : Files.createDirectories(dir.resolve("tenants"));
        this.indexes = dir.resolve("index");
        this.key = key;
        this.checkpointEvery = checkpointEvery;
    }

    /** The tenant's ledger, opened (and created) on first use. */
    public TenantLedger ledger(String tenant) throws IOException {
        if (!TENANT.matcher(tenant).matches()) {
            throw new IllegalArgumentException("tenant '" + tenant + "' is not a tenant name");
        }
        if (closed) {
            throw new IllegalStateException("the server is stopping");
        }
        try {
            return open.computeIfAbsent(tenant, t -> {
                try {
                    LedgerOptions options = LedgerOptions.defaults("vigil/" + t).withSigningKey(key)
                            .withCheckpoints(10_000, checkpointEvery);
                    return database.isPresent() ? database.get().open(t, options)
                            : FileTenantLedger.open(t, root.resolve(t), indexes.resolve(t + ".db"), options);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /** The tenant's ledger when it exists on disk; nothing is created for a tenant that never wrote. */
    public Optional<TenantLedger> existing(String tenant) throws IOException {
        if (!TENANT.matcher(tenant).matches()) {
            return Optional.empty();
        }
        if (!open.containsKey(tenant) && !(database.isPresent() ? database.get().exists(tenant)
                : Files.isDirectory(root.resolve(tenant)))) {
            return Optional.empty();
        }
        return Optional.of(ledger(tenant));
    }

    /** Signs a checkpoint in every open ledger that grew since its last one. */
    public void checkpointAll() throws IOException {
        for (TenantLedger l : open.values()) {
            l.checkpoint();
        }
    }

    /** Closes every ledger, each writing its final checkpoint. */
    @Override
    public void close() throws IOException {
        closed = true;
        List<IOException> failures = new ArrayList<>();
        for (TenantLedger l : open.values()) {
            try {
                l.close();
            } catch (IOException e) {
                failures.add(e);
            }
        }
        database.ifPresent(PostgresTenants::close); // after the ledgers, whose pools are their own
        if (!failures.isEmpty()) {
            IOException first = failures.get(0);
            failures.subList(1, failures.size()).forEach(first::addSuppressed);
            throw first;
        }
    }
}
