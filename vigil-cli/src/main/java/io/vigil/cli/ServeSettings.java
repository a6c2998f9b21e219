package io.vigil.cli;

import io.vigil.config.ConfigException;
import io.vigil.config.ConfigLoader;
import io.vigil.config.ConfigSection;
import io.vigil.server.ServerOptions;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * What {@code vigil serve} is told, by its flags or by the {@code server} section of a Vigil configuration file
 * ({@code --config FILE}; {@code vigil.server.*} in a properties file), each setting absent when not given. The file
 * is read with the configuration loader's grammar and messages: an unknown key is named with the closest known one, a
 * bad value with what is allowed. The keys are documented in docs/server.md, which {@code ServeSettingsTest} keeps in
 * step with {@link #acceptedKeys()}.
 *
 * @param dir             the server's directory
 * @param port            the port to listen on; 0 picks a free one
 * @param bind            the address to listen on
 * @param tlsCert         HTTPS: the certificate chain (PEM)
 * @param tlsKey          HTTPS: the certificate's private key (PEM)
 * @param store           where the tenants' ledgers live when not in {@code DIR}: a {@code jdbc:postgresql:} URL
 * @param maxBodyBytes    the largest request body accepted
 * @param maxBatchEvents  the most events one request may carry
 * @param eventsPerSecond per API key, the sustained rate of events accepted
 * @param checkpointEvery a signed checkpoint of every ledger that grew, this often
 */
record ServeSettings(Optional<Path> dir, Optional<Integer> port, Optional<String> bind, Optional<Path> tlsCert,
                     Optional<Path> tlsKey, Optional<String> store, Optional<Integer> maxBodyBytes,
                     Optional<Integer> maxBatchEvents, Optional<Integer> eventsPerSecond,
                     Optional<Duration> checkpointEvery) {

    /** The section of a Vigil configuration file {@code vigil serve} reads. */
    static final String SECTION = "server";
    /** The only kind of store there is besides the directory. */
    static final String STORE_PREFIX = "jdbc:postgresql:";

    private static final String DIR = "dir";
    private static final String PORT = "port";
    private static final String BIND = "bind";
    private static final String TLS = "tls";
    private static final String CERT = "cert";
    private static final String KEY = "key";
    private static final String STORE = "store";
    private static final String MAX_BODY_SIZE = "maxBodySize";
    private static final String MAX_BATCH_EVENTS = "maxBatchEvents";
    private static final String EVENTS_PER_SECOND = "eventsPerSecond";
    private static final String CHECKPOINT_EVERY = "checkpointEvery";
    private static final List<String> KEYS = List.of(DIR, PORT, BIND, TLS, STORE, MAX_BODY_SIZE, MAX_BATCH_EVENTS,
            EVENTS_PER_SECOND, CHECKPOINT_EVERY);
    private static final List<String> TLS_KEYS = List.of(CERT, KEY);

    /** Nothing given. */
    static ServeSettings none() {
        return new ServeSettings(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty());
    }

    /**
     * The {@code server} section of a configuration file (.yml, .yaml, .json or .properties), at the root or under
     * {@code vigil}.
     *
     * @throws ConfigException naming the file and every problem, each with its key
     */
    static ServeSettings load(Path file) {
        return ConfigLoader.loadSection(file, SECTION, ServeSettings::read);
    }

    /** Every key of the section, as docs/server.md lists them. */
    static List<String> acceptedKeys() {
        return List.of(SECTION + "." + DIR, SECTION + "." + PORT, SECTION + "." + BIND,
                SECTION + "." + TLS + "." + CERT, SECTION + "." + TLS + "." + KEY, SECTION + "." + STORE,
                SECTION + "." + MAX_BODY_SIZE, SECTION + "." + MAX_BATCH_EVENTS, SECTION + "." + EVENTS_PER_SECOND,
                SECTION + "." + CHECKPOINT_EVERY);
    }

    private static ServeSettings read(ConfigSection s) {
        s.allowOnly(KEYS);
        ConfigSection tls = s.section(TLS);
        tls.allowOnly(TLS_KEYS);
        Optional<Path> cert = tls.path(CERT);
        Optional<Path> key = tls.path(KEY);
        if (cert.isPresent() != key.isPresent()) {
            s.problem(TLS, "HTTPS needs both " + CERT + " and " + KEY + " (PEM files)");
        }
        Optional<String> store = s.string(STORE).map(String::strip);
        store.flatMap(ServeSettings::storeProblem).ifPresent(p -> s.problem(STORE, p));
        Optional<Integer> maxBody = s.size(MAX_BODY_SIZE, 1_024, Integer.MAX_VALUE).map(Long::intValue);
        return new ServeSettings(s.path(DIR), s.integer(PORT, 0, 65_535), s.string(BIND).map(String::strip), cert,
                key, store, maxBody, s.integer(MAX_BATCH_EVENTS, 1, Integer.MAX_VALUE),
                s.integer(EVENTS_PER_SECOND, 1, Integer.MAX_VALUE),
                s.duration(CHECKPOINT_EVERY, Duration.ofMillis(100), Duration.ofHours(24)));
    }

    /** What is wrong with a store's URL, when anything is. */
    static Optional<String> storeProblem(String url) {
        if (url.startsWith(STORE_PREFIX) && url.length() > STORE_PREFIX.length()) {
            return Optional.empty();
        }
        // The URL is not repeated: it may hold a password.
        return Optional.of("must be a PostgreSQL JDBC URL such as " + STORE_PREFIX + "//db.example.com:5432/vigil,"
                + " or left out to keep the tenants' ledgers in DIR");
    }

    /** These settings, each replaced by the one {@code flags} gives: the command line wins over the file. */
    ServeSettings overriddenBy(ServeSettings flags) {
        return new ServeSettings(flags.dir.or(() -> dir), flags.port.or(() -> port), flags.bind.or(() -> bind),
                flags.tlsCert.or(() -> tlsCert), flags.tlsKey.or(() -> tlsKey), flags.store.or(() -> store),
                flags.maxBodyBytes.or(() -> maxBodyBytes), flags.maxBatchEvents.or(() -> maxBatchEvents),
                flags.eventsPerSecond.or(() -> eventsPerSecond), flags.checkpointEvery.or(() -> checkpointEvery));
    }

    /**
     * The server's options for {@code dir}: what was given, the defaults for the rest.
     *
     * @throws IllegalArgumentException when a value is out of range or HTTPS is given only half
     */
    ServerOptions options(Path serverDir) {
        if (tlsCert.isPresent() != tlsKey.isPresent()) {
            throw new IllegalArgumentException("HTTPS needs both --tls-cert PEM and --tls-key PEM");
        }
        ServerOptions o = ServerOptions.defaults(serverDir);
        o = o.withPort(port.orElse(ServerOptions.DEFAULT_PORT)).withBind(bind.orElse(ServerOptions.DEFAULT_BIND));
        o = o.withMaxBodyBytes(maxBodyBytes.orElse(o.maxBodyBytes()))
                .withMaxBatchEvents(maxBatchEvents.orElse(o.maxBatchEvents()))
                .withEventsPerSecond(eventsPerSecond.orElse(o.eventsPerSecond()))
                .withCheckpointEvery(checkpointEvery.orElse(o.checkpointEvery()));
        if (tlsCert.isPresent()) {
            o = o.withTls(new ServerOptions.Tls(tlsCert.get(), tlsKey.orElseThrow()));
        }
        if (store.isPresent()) {
            o = o.withStore(store.get());
        }
        return o;
    }
}
