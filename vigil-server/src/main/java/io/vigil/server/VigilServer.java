package io.vigil.server;

import io.vigil.server.internal.ServerRuntime;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

/**
 * The Vigil server: services in any language send events over HTTP into a ledger per tenant, and read them back with
 * proofs that can be checked offline against a signed checkpoint. Everything lives in one directory: the API keys
 * ({@link ApiKeys}), the signing key, and {@code tenants/<tenant>}.
 *
 * <pre>{@code
 * VigilServer server = VigilServer.start(ServerOptions.defaults(dir).withPort(8480));
 * // ... until the process is told to stop:
 * server.close();
 * }</pre>
 */
public final class VigilServer implements AutoCloseable {
    private final ServerRuntime runtime;

    private VigilServer(ServerRuntime runtime) {
        this.runtime = runtime;
    }

    /** Opens the directory (creating it, 0700, and its signing key on first start) and starts listening. */
    public static VigilServer start(ServerOptions options) throws IOException {
        ApiKeys keys = ApiKeys.open(options.dir());
        return new VigilServer(ServerRuntime.start(options, keys, Clock.systemUTC()));
    }

    /** The port it listens on. */
    public int port() {
        return runtime.port();
    }

    /** The server's directory. */
    public Path dir() {
        return runtime.dir();
    }

    /**
     * Waits until the server's own audit trail ({@code DIR/system}: starts and stops, reads, verifications, keys
     * created and revoked) holds everything that happened so far.
     *
     * @return false when the timeout passed first
     */
    public boolean flushAudit(Duration timeout) {
        return runtime.flushAudit(timeout);
    }

    /** Stops: lets requests in flight finish, then closes every tenant's ledger with a final checkpoint. */
    @Override
    public void close() throws IOException {
        runtime.close();
    }
}
