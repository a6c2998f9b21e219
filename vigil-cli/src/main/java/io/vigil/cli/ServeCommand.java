package io.vigil.cli;

import io.vigil.server.ServerOptions;
import io.vigil.server.VigilServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.nio.file.Path;
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
                + "Ctrl-C or SIGTERM: requests in flight are answered and every ledger gets a final checkpoint.", ""},
        footer = {"", "Example:",
                "  vigil keys create --dir /var/lib/vigil --tenant acme --scope ingest --scope read",
                "  vigil serve --dir /var/lib/vigil --port 8480",
                "  curl -H 'Authorization: Bearer vk_...' -H 'Content-Type: application/json' \\",
                "       -d '{\"v\":1,\"type\":\"auth.login.success\",\"category\":\"auth\",\"action\":\"login\",\"outcome\":\"success\","
                        + "\"severity\":\"low\",\"actor\":{\"type\":\"user\",\"id\":\"alice\"}}' "
                        + "http://127.0.0.1:8480/v1/events"})
final class ServeCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--dir", required = true, paramLabel = "DIR", description = "The server's directory.")
    Path dir;

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "8480",
            description = "Port to listen on (default: ${DEFAULT-VALUE}; 0 picks a free one).")
    int port;

    @Option(names = "--bind", paramLabel = "ADDRESS", defaultValue = "127.0.0.1",
            description = "Address to listen on (default: ${DEFAULT-VALUE}, this machine only; 0.0.0.0 for every "
                    + "interface).")
    String bind;

    @Override
    public Integer call() throws Exception {
        ServerOptions options;
        try {
            options = ServerOptions.defaults(dir).withPort(port).withBind(bind);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        VigilServer server;
        try {
            server = VigilServer.start(options);
        } catch (IOException e) {
            System.err.println("vigil: cannot serve " + dir + ": " + e.getMessage());
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
        System.out.println("vigil: serving " + dir + " on http://" + bind + ":" + server.port() + " (Ctrl-C stops)");
        System.out.flush();
        stopped.await();
        return 0;
    }
}
