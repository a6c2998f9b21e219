package io.vigil.spring.internal.ledger;

import io.vigil.ledger.Durability;
import io.vigil.ledger.FileLedger;
import io.vigil.ledger.LedgerOptions;
import io.vigil.ledger.LedgerSink;
import io.vigil.ledger.LedgerStore;
import io.vigil.ledger.LedgerVerifier;
import io.vigil.spring.boot.autoconfigure.VigilProperties;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;

/** Opens the ledger {@code vigil.ledger.*} describes. */
public final class LedgerFactory {
    private static final String POSTGRES_CLASS = "io.vigil.postgres.PostgresLedger";
    private static final Duration MAX_FSYNC_INTERVAL = Duration.ofSeconds(10);

    private LedgerFactory() {
    }

    /** {@code ~/.vigil/ledger/<name>}: the directory of the default file ledger and of generated keys. */
    public static Path defaultDir(String name) {
        return Path.of(System.getProperty("user.home"), ".vigil", "ledger", name);
    }

    /**
     * Opens the ledger.
     *
     * @param name          the application's name (spring.application.name), for default paths and the origin
     * @param appDataSource the application's DataSource, when it has one
     */
    public static VigilLedger open(VigilProperties.Ledger p, String name, Supplier<Optional<DataSource>> appDataSource,
                                   Clock clock) {
        Path dir = p.getDir() != null ? p.getDir() : defaultDir(name);
        String origin = p.getOrigin() != null ? p.getOrigin() : "vigil/" + name;
        try {
            KeyMaterial.Signing signing = KeyMaterial.signing(Optional.ofNullable(p.getSigningKeyFile()), dir, origin);
            CheckpointTracker tracker = new CheckpointTracker(clock, Optional.empty());
            LedgerOptions options = LedgerOptions.defaults(origin)
                    .withSigningKey(signing.key())
                    .withCheckpoints(p.getCheckpointEvery(), p.getCheckpointInterval())
                    .withWitness(tracker)
                    .withClock(clock);
            if (p.getStore() == VigilProperties.Store.POSTGRES) {
                requirePostgresModule();
                return PostgresLedgers.open(p, dir, options, signing, tracker, appDataSource, clock);
            }
            LedgerStore store = FileLedger.open(dir, options.withDurability(fileDurability(p.getFsyncInterval())));
            WriteMonitor sink = new WriteMonitor(new LedgerSink(store), clock, store.size());
            return new VigilLedger("file", dir.toString(), dir, store, sink, signing.verifier(),
                    () -> LedgerVerifier.of(dir).key(signing.verifier()).verify(), tracker, () -> { },
                    NewestEntries.ofDirectory(dir), Optional::empty);
        } catch (IOException e) {
            throw new UncheckedIOException("vigil.ledger: cannot open the ledger in " + dir + ": " + e.getMessage(), e);
        }
    }

    static Durability fileDurability(Duration interval) {
        if (interval.isNegative() || interval.compareTo(MAX_FSYNC_INTERVAL) > 0) {
            throw new IllegalArgumentException("vigil.ledger.fsync-interval must be between 0 (force every batch) and "
                    + MAX_FSYNC_INTERVAL.toSeconds() + "s, was " + interval.toMillis() + "ms");
        }
        return Durability.every(interval);
    }

    private static void requirePostgresModule() {
        try {
            Class.forName(POSTGRES_CLASS, false, LedgerFactory.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("vigil.ledger.store=postgres needs io.vigil:vigil-postgres and the"
                    + " PostgreSQL JDBC driver on the class path; add them, or set vigil.ledger.store=file");
        }
    }
}
