package io.vigil.spring.internal.ledger;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.vigil.ledger.LedgerOptions;
import io.vigil.ledger.LedgerStore;
import io.vigil.postgres.PostgresLedger;
import io.vigil.postgres.PostgresSchema;
import io.vigil.postgres.PostgresVerifier;
import io.vigil.postgres.SpoolStats;
import io.vigil.postgres.SpoolingLedgerSink;
import io.vigil.spring.boot.autoconfigure.VigilProperties;

import javax.sql.DataSource;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import java.util.function.Supplier;

/** The PostgreSQL ledger; loaded only when {@code vigil.ledger.store=postgres}, so vigil-postgres stays optional. */
final class PostgresLedgers {

    private PostgresLedgers() {
    }

    static VigilLedger open(VigilProperties.Ledger p, Path keyDir, LedgerOptions options, KeyMaterial.Signing signing,
                            CheckpointTracker tracker, Supplier<Optional<DataSource>> appDataSource, Clock clock)
            throws IOException {
        DataSource ds;
        String location;
        Optional<String> url = p.getJdbc().url();
        if (url.isPresent()) {
            ds = ownPool(p.getJdbc());
            location = withoutCredentials(url.get());
        } else {
            ds = appDataSource.get().orElseThrow(() -> new IllegalStateException("vigil.ledger.store=postgres needs a"
                    + " database: set vigil.ledger.jdbc.url (with vigil.ledger.jdbc.username and .password), or give"
                    + " the application a DataSource (spring.datasource.url)"));
            location = "the application's DataSource";
        }
        if (p.isMigrate()) {
            PostgresSchema.migrate(ds);
        }
        LedgerStore store = PostgresLedger.open(ds, options);
        Path spool = p.getSpoolDir() != null ? p.getSpoolDir() : keyDir.resolve("spool");
        SpoolingLedgerSink spooling = SpoolingLedgerSink.open(store, spool);
        WriteMonitor sink = new WriteMonitor(spooling, clock, store.size());
        DataSource verifyWith = ds;
        AutoCloseable pool = ds instanceof HikariDataSource own && url.isPresent() ? own : () -> { };
        return new VigilLedger("postgres", location, keyDir, store, sink, signing.verifier(),
                () -> PostgresVerifier.of(verifyWith).key(signing.verifier()).verify(), tracker, pool,
                NewestEntries.ofStore(store, sink::size),
                () -> outage(spooling));
    }

    private static Optional<String> outage(SpoolingLedgerSink spooling) {
        SpoolStats s = spooling.stats();
        if (s.down() || s.pending() > 0) {
            return Optional.of("PostgreSQL is unreachable; " + s.pending() + " event(s) wait in the local spool and"
                    + " will be written in order when it is back");
        }
        return Optional.empty();
    }

    private static DataSource ownPool(VigilProperties.Jdbc jdbc) {
        HikariConfig c = new HikariConfig();
        c.setJdbcUrl(jdbc.getUrl());
        if (jdbc.getUsername() != null) {
            c.setUsername(jdbc.getUsername());
        }
        if (jdbc.getPassword() != null) {
            c.setPassword(jdbc.getPassword());
        }
        c.setMaximumPoolSize(jdbc.getMaximumPoolSize());
        c.setPoolName("vigil-ledger");
        // While the database is down the writer waits this long before spooling; Hikari's 30 s default would hold
        // the pipeline long enough for a busy application's queue to fill.
        c.setConnectionTimeout(2_000);
        return new HikariDataSource(c);
    }

    /** The URL as it may appear in a log line or an endpoint: without a password parameter. */
    static String withoutCredentials(String url) {
        return url.replaceAll("(?i)([?&;]password=)[^&;]*", "$1***").replaceAll("//[^/@]*@", "//");
    }
}
