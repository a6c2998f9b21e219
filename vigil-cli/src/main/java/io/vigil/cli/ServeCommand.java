package io.vigil.cli;

import io.vigil.config.ConfigException;
import io.vigil.server.ApiKeys;
import io.vigil.server.Scope;
import io.vigil.server.ServerOptions;
import io.vigil.server.VigilServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** {@code vigil serve}: the HTTP server, for services in any language. */
@Command(name = "serve",
        mixinStandardHelpOptions = true, versionProvider = VigilCommand.Version.class,
        description = {"Serve the HTTP API: services send events (POST /v1/events) into a ledger per tenant and read "
                + "them back with proofs (GET /v1/events, /v1/events/ID, /v1/checkpoints/latest).",
                "",
                "DIR holds everything: the API keys (keys.json, made with 'vigil keys create'), the key that signs "
                + "every tenant's checkpoints (server.key, 0600, made on first start; give server.pub to whoever "
                + "verifies), and tenants/TENANT, one file ledger each. DIR is created (0700) when missing. Stop with "
                + "Ctrl-C or SIGTERM: requests in flight are answered and every ledger gets a final checkpoint.",
                "",
                "--config FILE reads the server section of a Vigil configuration file (.yml, .yaml, .json or "
                + ".properties; under vigil: or vigil.server.* when the file is shared): dir, port, bind, tls.cert, "
                + "tls.key, store, maxBodySize, maxBatchEvents, eventsPerSecond, checkpointEvery. Flags override the "
                + "file. A configuration error names the key and exits with status 2.", ""},
        footer = {"", "Examples:",
                "  vigil serve --demo            a temporary server with demo data; prints a key, the viewer's URL "
                        + "and what to try",
                "  vigil keys create --dir /var/lib/vigil --tenant acme --scope ingest --scope read",
                "  vigil serve --dir /var/lib/vigil --port 8480",
                "  vigil serve --config /etc/vigil/server.yml --port 9000",
                "  curl -H 'Authorization: Bearer vk_...' -H 'Content-Type: application/json' \\",
                "       -d '{\"v\":1,\"type\":\"auth.login.success\",\"category\":\"auth\",\"action\":\"login\",\"outcome\":\"success\","
                        + "\"severity\":\"low\",\"actor\":{\"type\":\"user\",\"id\":\"alice\"}}' "
                        + "http://127.0.0.1:8480/v1/events"})
final class ServeCommand implements Callable<Integer> {
    private static final String DEMO_TENANT = "demo";

    @Spec
    CommandSpec spec;

    @Option(names = "--dir", paramLabel = "DIR", description = "The server's directory (or --demo, or server.dir in"
            + " --config).")
    Path dir;

    @Option(names = "--config", paramLabel = "FILE",
            description = "A Vigil configuration file (.yml, .yaml, .json or .properties) whose server section sets"
                    + " what the flags set and the server's limits; flags given too override it.")
    Path config;

    @Option(names = "--store", paramLabel = "URL",
            description = "Keep the tenants' ledgers in PostgreSQL, a schema per tenant: a JDBC URL such as "
                    + "jdbc:postgresql://HOST:5432/DATABASE?user=USER. The keys, the signing key and the server's own "
                    + "audit trail stay in DIR.")
    String store;

    @Option(names = "--tls-cert", paramLabel = "PEM",
            description = "Serve HTTPS with this certificate chain (PEM, the server's certificate first); needs "
                    + "--tls-key.")
    Path tlsCert;

    @Option(names = "--tls-key", paramLabel = "PEM",
            description = "The certificate's private key: an unencrypted PKCS#8 PEM (BEGIN PRIVATE KEY), RSA or EC.")
    Path tlsKey;

    @Option(names = "--demo", description = "Serve a fresh temporary directory whose tenant 'demo' holds the demo "
            + "stream (as 'vigil demo' writes it, minus the findings), and print a key to read and send with.")
    boolean demo;

    @Option(names = "--demo-events", paramLabel = "N", defaultValue = "20000",
            description = "With --demo: how many events the demo tenant starts with (default: ${DEFAULT-VALUE}).")
    long demoEvents;

    @Option(names = "--port", paramLabel = "PORT",
            description = "Port to listen on (default: 8480; 0 picks a free one).")
    Integer port;

    @Option(names = "--bind", paramLabel = "ADDRESS",
            description = "Address to listen on (default: 127.0.0.1, this machine only; 0.0.0.0 for every "
                    + "interface).")
    String bind;

    @Override
    public Integer call() throws Exception {
        ServeSettings settings = settings();
        if (demo == settings.dir().isPresent()) {
            throw new ParameterException(spec.commandLine(), demo ? "--demo serves a fresh temporary directory; leave"
                    + " out --dir" + (config != null ? " and server.dir of --config" : "")
                    : "say which directory to serve: --dir DIR (or --demo)");
        }
        if (demoEvents < 1 || demoEvents > 10_000_000) {
            throw new ParameterException(spec.commandLine(), "--demo-events must be between 1 and 10000000");
        }
        Path served = demo ? Files.createTempDirectory("vigil-serve-demo") : settings.dir().orElseThrow();
        ServerOptions options;
        try {
            options = settings.options(served);
        } catch (IllegalArgumentException e) {
            if (demo) {
                Files.delete(served); // still empty
            }
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        String demoKey = null;
        if (demo) {
            demoKey = ApiKeys.open(served).create(DEMO_TENANT, Set.of(Scope.INGEST, Scope.READ, Scope.ADMIN),
                    Optional.of("demo")).secret();
        }
        VigilServer server;
        try {
            server = VigilServer.start(options);
        } catch (IOException e) {
            System.err.println("vigil: cannot serve " + served + ": " + e.getMessage());
            return 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                server.close();
            } catch (IOException e) {
                System.err.println("vigil: stopping: " + e.getMessage());
            } finally {
                stopped.countDown();
            }
        }, "vigil-serve-stop"));
        String base = (options.tls().isPresent() ? "https://" : "http://") + options.bind() + ":" + server.port();
        // The viewer's address as a browser on this machine reaches it, also when the server listens everywhere.
        String viewer = (options.bind().equals("0.0.0.0") || options.bind().equals("::")
                ? base.replace("://" + options.bind() + ":", "://127.0.0.1:") : base) + "/";
        if (demo) {
            long sent = DemoTenant.fill(base, demoKey, demoEvents);
            System.out.println("vigil: demo server on " + base + " serving " + served + ": tenant '" + DEMO_TENANT
                    + "' holds " + sent + " events");
            System.out.println("vigil: key (ingest, read, admin): " + demoKey);
            System.out.println("vigil: see it in a browser: open " + viewer + " and sign in with the key above");
            System.out.println("vigil: try: curl -H 'Authorization: Bearer " + demoKey + "' '" + base
                    + "/v1/events?type=auth.login.failure&limit=5'");
        } else {
            System.out.println("vigil: web viewer: " + viewer + " (sign in with a key that has the read scope)");
        }
        System.out.println("vigil: serving " + served + " on " + base + " (Ctrl-C stops)");
        System.out.flush();
        stopped.await();
        return 0;
    }

    /** The file's settings (with --config), each overridden by the flag that sets it. */
    ServeSettings settings() {
        ServeSettings fromFile = ServeSettings.none();
        if (config != null) {
            try {
                fromFile = ServeSettings.load(config);
            } catch (ConfigException e) {
                throw new ParameterException(spec.commandLine(), "--config " + e.getMessage());
            }
        }
        if (store != null) {
            ServeSettings.storeProblem(store).ifPresent(p -> {
                throw new ParameterException(spec.commandLine(), "--store " + p);
            });
        }
        return fromFile.overriddenBy(new ServeSettings(Optional.ofNullable(dir), Optional.ofNullable(port), Optional.ofNullable(bind),
                Optional.ofNullable(tlsCert), Optional.ofNullable(tlsKey), Optional.ofNullable(store),
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty()));
    }
}
