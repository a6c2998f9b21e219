package io.vigil.server.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vigil.internal.time.Ticker;
import io.vigil.ledger.checkpoint.KeyFiles;
import io.vigil.ledger.checkpoint.SigningKey;
import io.vigil.server.ApiKeys;
import io.vigil.server.ServerOptions;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A running server: the directory (0700) and its signing key (0600, made on first start), the tenants' ledgers, the
 * server's own audit trail, the HTTP connector, and a timer that signs a checkpoint of every ledger that grew (so the
 * newest events are covered by a signed root without waiting for more traffic) and notes API keys created or revoked.
 */
public final class ServerRuntime implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ServerRuntime.class);
    /** How long a stop waits for requests in flight, whose events may be on their way to disk. */
    private static final long STOP_TIMEOUT_MS = 10_000;

    private final Server server;
    private final TenantLedgers tenants;
    private final SystemAudit audit;
    private final Verifications verifications;
    private final ScheduledExecutorService timer;
    private final Path dir;

    private ServerRuntime(Server server, TenantLedgers tenants, SystemAudit audit, Verifications verifications,
                          ScheduledExecutorService timer, Path dir) {
        this.server = server;
        this.tenants = tenants;
        this.audit = audit;
        this.verifications = verifications;
        this.timer = timer;
        this.dir = dir;
    }

    /** Starts serving; returns once the port is open. */
    public static ServerRuntime start(ServerOptions options, ApiKeys keys, Clock clock) throws IOException {
        Path dir = options.dir();
        ensurePrivateDir(dir);
        SigningKey key = signingKey(dir);
        TenantLedgers tenants = new TenantLedgers(dir, options.store(), key, options.checkpointEvery());
        SystemAudit audit = SystemAudit.open(dir, key, options.checkpointEvery(), keys::list);
        Verifications verifications;
        try {
            verifications = Verifications.open(dir.resolve("system"), audit, key.verifierKey(), clock);
        } catch (IOException | RuntimeException e) {
            try {
                audit.close();
                tenants.close();
            } catch (IOException | RuntimeException closing) {
                e.addSuppressed(closing);
            }
            throw e;
        }
        ObjectMapper json = new ObjectMapper();
        PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        ApiHandler handler = new ApiHandler(json, keys, tenants, audit, verifications, new IngestParser(clock),
                new RateLimiter(options.eventsPerSecond(), Ticker.system()), metrics, key.verifierKey(),
                options.maxBodyBytes(), options.maxBatchEvents());
        QueuedThreadPool threads = new QueuedThreadPool(64, 4);
        threads.setName("vigil-http");
        Server server = new Server(threads);
        ServerConnector connector = options.tls().isEmpty() ? new ServerConnector(server)
                : tlsConnector(server, options.tls().get());
        connector.setHost(options.bind());
        connector.setPort(options.port());
        server.addConnector(connector);
        server.setHandler(handler);
        server.setStopTimeout(STOP_TIMEOUT_MS);
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "vigil-checkpoints");
            t.setDaemon(true);
            return t;
        });
        ServerRuntime runtime = new ServerRuntime(server, tenants, audit, verifications, timer, dir);
        try {
            server.start();
        } catch (Exception e) {
            runtime.close();
            throw new IOException("cannot listen on " + options.bind() + ":" + options.port() + ": " + e.getMessage(),
                    e);
        }
        long every = options.checkpointEvery().toMillis();
        timer.scheduleWithFixedDelay(runtime::checkpoints, every, every, TimeUnit.MILLISECONDS);
        return runtime;
    }

    /** HTTPS only: a server given a certificate does not also answer in clear. */
    private static ServerConnector tlsConnector(Server server, ServerOptions.Tls tls) throws IOException {
        SslContextFactory.Server ssl = new SslContextFactory.Server();
        ssl.setKeyStore(PemKeyStore.load(tls.certificateChain(), tls.privateKey()));
        ssl.setKeyStorePassword(new String(PemKeyStore.PASSWORD));
        HttpConfiguration https = new HttpConfiguration();
        // Loopback tests and private names would fail SNI host checks; the certificate is the operator's choice.
        https.addCustomizer(new SecureRequestCustomizer(false));
        return new ServerConnector(server, new SslConnectionFactory(ssl, "http/1.1"),
                new HttpConnectionFactory(https));
    }

    /** The port the server listens on (the one picked, when the options said 0). */
    public int port() {
        return ((ServerConnector) server.getConnectors()[0]).getLocalPort();
    }

    public Path dir() {
        return dir;
    }

    /** On the timer: checkpoints of the ledgers that grew, and the keys created or revoked since the last look. */
    private void checkpoints() {
        try {
            tenants.checkpointAll();
        } catch (IOException | RuntimeException e) {
            LOG.error("signing the tenants' checkpoints failed; the next run tries again", e);
        }
        try {
            audit.keysChanged();
        } catch (RuntimeException e) {
            LOG.error("recording the API keys' changes failed; the next run tries again", e);
        }
    }

    /** Records the key changes not yet seen and waits until the server's own audit trail is written. */
    public boolean flushAudit(Duration timeout) {
        audit.keysChanged();
        return audit.flush(timeout);
    }

    /** The server's own directory is its owner's alone: keys and ledgers live there. */
    private static void ensurePrivateDir(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString("rwx------")));
        }
    }

    /** The key that signs every tenant's checkpoints: {@code DIR/server.key} (0600), made on first start. */
    private static SigningKey signingKey(Path dir) throws IOException {
        Path priv = dir.resolve("server.key");
        Path pub = dir.resolve("server.pub");
        if (!Files.exists(priv)) {
            KeyFiles.write(SigningKey.generate("vigil-server"), priv, pub);
        }
        return KeyFiles.readPrivate(priv);
    }

    /**
     * Stops taking connections, lets the requests in flight finish (their events are durable before they are
     * answered), then closes every ledger with a final checkpoint.
     */
    @Override
    public void close() throws IOException {
        timer.shutdownNow();
        verifications.close();
        try {
            server.stop();
        } catch (Exception e) {
            LOG.warn("stopping the HTTP server: {}", e.toString());
        }
        try {
            tenants.close();
        } finally {
            try {
                audit.keysChanged(); // keys created or revoked since the timer last looked
            } catch (RuntimeException e) {
                LOG.error("recording the API keys' changes at stop failed", e);
            }
            audit.close();
        }
    }
}
