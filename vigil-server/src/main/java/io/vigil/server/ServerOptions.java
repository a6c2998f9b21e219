package io.vigil.server;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How a {@link VigilServer} runs.
 *
 * @param dir             the server's directory: {@code keys.json}, the signing key, {@code tenants/<tenant>} ledgers
 * @param bind            the address to listen on; {@code 127.0.0.1} by default, so nothing is exposed by accident
 * @param port            the port; 0 picks a free one ({@link VigilServer#port()} tells which)
 * @param maxBodyBytes    the largest request body accepted; larger is answered 413
 * @param maxBatchEvents  the most events one NDJSON request may carry; more is answered 413
 * @param eventsPerSecond per API key, the sustained rate of events accepted; more is answered 429 with Retry-After
 * @param checkpointEvery a signed checkpoint after this many entries or this long, whichever comes first
 * @param tls             HTTPS with this certificate and key; plain HTTP without
 * @param store           the tenants' ledgers in this PostgreSQL database, a {@code jdbc:postgresql:} URL (a schema per
 *                        tenant); without, file ledgers under {@code DIR/tenants}. The keys, the signing key and the
 *                        server's own audit trail stay in {@code dir} either way.
 */
public record ServerOptions(Path dir, String bind, int port, int maxBodyBytes, int maxBatchEvents,
                            int eventsPerSecond, Duration checkpointEvery, Optional<Tls> tls, Optional<String> store) {

    /**
     * The server's certificate chain and private key, both PEM files: the chain as {@code CERTIFICATE} blocks, the
     * server's first; the key as a PKCS#8 {@code PRIVATE KEY} block (RSA or EC), unencrypted.
     */
    public record Tls(Path certificateChain, Path privateKey) {
        public Tls {
            Objects.requireNonNull(certificateChain, "certificateChain");
            Objects.requireNonNull(privateKey, "privateKey");
        }
    }

    public static final String DEFAULT_BIND = "127.0.0.1";
    public static final int DEFAULT_PORT = 8480;
    public static final int DEFAULT_MAX_BODY_BYTES = 1 << 20;
    public static final int DEFAULT_MAX_BATCH_EVENTS = 10_000;
    public static final int DEFAULT_EVENTS_PER_SECOND = 100_000;
    /** How a store's URL starts. */
    public static final String POSTGRESQL_URL = "jdbc:postgresql:";

    public ServerOptions {
        Objects.requireNonNull(dir, "dir");
        Objects.requireNonNull(bind, "bind");
        Objects.requireNonNull(checkpointEvery, "checkpointEvery");
        Objects.requireNonNull(tls, "tls");
        Objects.requireNonNull(store, "store");
        if (store.isPresent() && !store.get().startsWith(POSTGRESQL_URL)) {
            // not quoted back: a URL may carry a password
            throw new IllegalArgumentException("the store must be a PostgreSQL JDBC URL such as"
                    + " jdbc:postgresql://HOST:5432/DATABASE?user=USER");
        }
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port must be between 0 and 65535, was " + port);
        }
        if (maxBodyBytes < 1_024) {
            throw new IllegalArgumentException("maxBodyBytes must be at least 1024, was " + maxBodyBytes);
        }
        if (maxBatchEvents < 1) {
            throw new IllegalArgumentException("maxBatchEvents must be at least 1, was " + maxBatchEvents);
        }
        if (eventsPerSecond < 1) {
            throw new IllegalArgumentException("eventsPerSecond must be at least 1, was " + eventsPerSecond);
        }
        if (checkpointEvery.isNegative() || checkpointEvery.isZero()) {
            throw new IllegalArgumentException("checkpointEvery must be positive, was " + checkpointEvery);
        }
    }

    /** The defaults for a directory: loopback, port 8480, 1 MiB bodies, 10,000 events a batch. */
    public static ServerOptions defaults(Path dir) {
        return new ServerOptions(dir, DEFAULT_BIND, DEFAULT_PORT, DEFAULT_MAX_BODY_BYTES, DEFAULT_MAX_BATCH_EVENTS,
                DEFAULT_EVENTS_PER_SECOND, Duration.ofSeconds(10), Optional.empty(), Optional.empty());
    }

    public ServerOptions withPort(int value) {
        return new ServerOptions(dir, bind, value, maxBodyBytes, maxBatchEvents, eventsPerSecond, checkpointEvery, tls,
                store);
    }

    public ServerOptions withBind(String value) {
        return new ServerOptions(dir, value, port, maxBodyBytes, maxBatchEvents, eventsPerSecond, checkpointEvery, tls,
                store);
    }

    public ServerOptions withMaxBodyBytes(int value) {
        return new ServerOptions(dir, bind, port, value, maxBatchEvents, eventsPerSecond, checkpointEvery, tls, store);
    }

    public ServerOptions withMaxBatchEvents(int value) {
        return new ServerOptions(dir, bind, port, maxBodyBytes, value, eventsPerSecond, checkpointEvery, tls, store);
    }

    public ServerOptions withEventsPerSecond(int value) {
        return new ServerOptions(dir, bind, port, maxBodyBytes, maxBatchEvents, value, checkpointEvery, tls, store);
    }

    public ServerOptions withTls(Tls value) {
        return new ServerOptions(dir, bind, port, maxBodyBytes, maxBatchEvents, eventsPerSecond, checkpointEvery,
                Optional.of(value), store);
    }

    public ServerOptions withCheckpointEvery(Duration value) {
        return new ServerOptions(dir, bind, port, maxBodyBytes, maxBatchEvents, eventsPerSecond, value, tls, store);
    }

    /** The tenants' ledgers in the PostgreSQL database at {@code url} ({@code jdbc:postgresql://HOST:PORT/DB...}). */
    public ServerOptions withStore(String url) {
        return new ServerOptions(dir, bind, port, maxBodyBytes, maxBatchEvents, eventsPerSecond, checkpointEvery, tls,
                Optional.of(url));
    }

    /** As the record's, with a store URL's password hidden. */
    @Override
    public String toString() {
        return "ServerOptions[dir=" + dir + ", bind=" + bind + ", port=" + port + ", maxBodyBytes=" + maxBodyBytes
                + ", maxBatchEvents=" + maxBatchEvents + ", eventsPerSecond=" + eventsPerSecond + ", checkpointEvery="
                + checkpointEvery + ", tls=" + tls + ", store="
                + store.map(s -> s.replaceAll("(?i)(password=)[^&]*", "$1***")) + "]";
    }
}
