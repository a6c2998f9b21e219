package io.vigil.cli;

import io.vigil.server.ApiKeys;
import io.vigil.server.Scope;
import io.vigil.server.ServerOptions;
import io.vigil.server.VigilServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An evidence bundle exported by the server ({@code GET /v1/export}) checks offline with {@code vigil verify
 * BUNDLE.zip --key PUB}, and a changed byte fails it, naming the file.
 */
class EvidenceBundleCommandTest {

    @TempDir
    Path tmp;

    @Test
    void anExportedBundleVerifiesOfflineAndAChangedByteFailsNamingTheFile() throws Exception {
        Path dir = tmp.resolve("server");
        String key = ApiKeys.open(dir).create("acme", Set.of(Scope.INGEST, Scope.READ), Optional.empty()).secret();
        Path zip = tmp.resolve("acme-evidence.zip");
        try (VigilServer server = VigilServer.start(ServerOptions.defaults(dir).withPort(0))) {
            String base = "http://127.0.0.1:" + server.port();
            HttpClient http = HttpClient.newHttpClient();
            StringBuilder body = new StringBuilder();
            for (int i = 0; i < 30; i++) {
                body.append("{\"v\":1,\"type\":\"auth.login.").append(i % 3 == 0 ? "failure" : "success")
                        .append("\",\"category\":\"auth\",\"action\":\"login\",\"outcome\":\"")
                        .append(i % 3 == 0 ? "failure" : "success").append("\",\"severity\":\"low\",")
                        .append("\"actor\":{\"type\":\"user\",\"id\":\"u").append(i % 4).append("\"}}\n");
                if (i == 14) { // two posts, so the ledger has two signed checkpoints to link
                    post(http, base, key, body.toString());
                    body.setLength(0);
                    http.send(HttpRequest.newBuilder(URI.create(base + "/v1/checkpoints/latest"))
                            .header("Authorization", "Bearer " + key).build(), HttpResponse.BodyHandlers.ofString());
                }
            }
            post(http, base, key, body.toString());
            HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create(base
                    + "/v1/export?outcome=failure")).header("Authorization", "Bearer " + key).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("Content-Type")).contains("application/zip");
            Files.write(zip, r.body());
        }
        String pub = dir.resolve("server.pub").toString();

        Cli.Result ok = Cli.run("verify", zip.toString(), "--key", pub);
        assertThat(ok.exit()).as(ok.out() + ok.err()).isZero();
        assertThat(ok.out()).contains("ok: checkpoint.note: signed by").contains("ok: entries.jsonl: 10 entries")
                .contains("ok: consistency.json").contains("does not prove that the selection is complete");

        Path changed = tmp.resolve("changed.zip");
        rewrite(zip, changed, "entries.jsonl", line -> line.replaceFirst("\"u0\"", "\"u9\""));
        Cli.Result bad = Cli.run("verify", changed.toString(), "--key", pub);
        assertThat(bad.exit()).isEqualTo(1);
        assertThat(bad.out()).contains("FAILED: entries.jsonl: changed since export");

        Cli.Result noKey = Cli.run("verify", zip.toString());
        assertThat(noKey.exit()).isEqualTo(2);
        assertThat(noKey.err()).contains("--key PUB");

        Path wrongKey = tmp.resolve("other.pub");
        Cli.run("keygen", "--name", "someone-else", "--private", tmp.resolve("other.key").toString(), "--public",
                wrongKey.toString());
        Cli.Result other = Cli.run("verify", zip.toString(), "--key", wrongKey.toString());
        assertThat(other.exit()).isEqualTo(1);
        assertThat(other.out()).contains("FAILED: checkpoint.note");
    }

    private static void post(HttpClient http, String base, String key, String ndjson) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/v1/events"))
                .header("Authorization", "Bearer " + key).header("Content-Type", "application/x-ndjson")
                .POST(HttpRequest.BodyPublishers.ofString(ndjson)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
    }

    /** Copies a zip, changing one file's text. */
    private static void rewrite(Path from, Path to, String name, UnaryOperator<String> change) throws Exception {
        try (InputStream in = Files.newInputStream(from); ZipInputStream z = new ZipInputStream(in);
             OutputStream out = Files.newOutputStream(to); ZipOutputStream w = new ZipOutputStream(out)) {
            ZipEntry e;
            while ((e = z.getNextEntry()) != null) {
                byte[] bytes = z.readAllBytes();
                if (e.getName().equals(name)) {
                    bytes = change.apply(new String(bytes, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
                }
                w.putNextEntry(new ZipEntry(e.getName()));
                w.write(bytes);
                w.closeEntry();
            }
        }
    }
}
