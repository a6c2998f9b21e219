package io.vigil.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code vigil serve}: in a child JVM, as people run it; stopped with SIGTERM, as a service manager stops it. */
class ServeCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern KEY = Pattern.compile("(vk_[a-z0-9]+_[A-Za-z0-9_-]{43})");
    private static final Pattern URL = Pattern.compile("(http://127\\.0\\.0\\.1:[0-9]+)");

    @TempDir
    Path tmp;

    private static Process vigil(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-cp", System.getProperty("java.class.path"), VigilCommand.class.getName()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectErrorStream(true).start();
    }

    /** Reads the child's lines until both a key and a URL have shown up (the last "serving" line comes after). */
    private static List<String> untilServing(Process p) throws Exception {
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        List<String> lines = new ArrayList<>();
        String line;
        while ((line = out.readLine()) != null) {
            lines.add(line);
            if (line.startsWith("vigil: serving ")) {
                return lines;
            }
        }
        throw new IllegalStateException("vigil serve ended: " + lines);
    }

    private static String find(Pattern p, List<String> lines) {
        for (String l : lines) {
            Matcher m = p.matcher(l);
            if (m.find()) {
                return m.group(1);
            }
        }
        throw new AssertionError("no " + p + " in " + lines);
    }

    @Test
    void demoServesAFilledTenantAndPrintsAKey() throws Exception {
        Process p = vigil("serve", "--demo", "--port", "0", "--demo-events", "600");
        try {
            List<String> lines = untilServing(p);
            String key = find(KEY, lines);
            String base = find(URL, lines);
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base
                    + "/v1/events?limit=10000")).header("Authorization", "Bearer " + key).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            JsonNode events = JSON.readTree(r.body()).get("events");
            assertThat(events).hasSize(600);
            assertThat(events.get(0).get("tenant").asText()).isEqualTo("demo");
            assertThat(lines).anyMatch(l -> l.equals("vigil: see it in a browser: open " + base + "/ and sign in"
                    + " with the key above"));
            HttpResponse<String> viewer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base
                    + "/")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(viewer.statusCode()).isEqualTo(200);
            assertThat(viewer.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
            p.destroy(); // SIGTERM: the shutdown hook stops the server gracefully
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void servesADirectoryAndStopsGracefullyOnSigterm() throws Exception {
        Path dir = tmp.resolve("srv");
        Process p = vigil("serve", "--dir", dir.toString(), "--port", "0");
        try {
            List<String> lines = untilServing(p);
            String base = find(URL, lines);
            HttpResponse<String> health = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base
                    + "/health")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(health.statusCode()).isEqualTo(200);
            p.destroy();
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        } finally {
            p.destroyForcibly();
        }
        assertThat(Files.exists(dir.resolve("server.key"))).isTrue();
        assertThat(Files.isDirectory(dir.resolve("system"))).as("its own audit trail").isTrue();
    }

    @Test
    void badUsageSaysWhatToChange() {
        Cli.Result none = Cli.run("serve");
        assertThat(none.exit()).isEqualTo(2);
        assertThat(none.err()).contains("--dir DIR (or --demo)");
        Cli.Result both = Cli.run("serve", "--demo", "--dir", tmp.toString());
        assertThat(both.exit()).isEqualTo(2);
        assertThat(both.err()).contains("leave out --dir");
    }

    @Test
    void aConfigFileSetsTheDirectoryAddressAndLimitsAndAFlagOverridesIt() throws Exception {
        Path dir = tmp.resolve("srv");
        String key = Cli.run("keys", "create", "--dir", dir.toString(), "--tenant", "acme", "--scope", "ingest")
                .out().strip();
        int port;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        // 127.0.0.2 is loopback too: the address the server listens on must be the file's, not the default.
        Path config = Files.writeString(tmp.resolve("vigil.yml"), "vigil:\n  server:\n    dir: " + dir + "\n"
                + "    port: 1\n    bind: 127.0.0.2\n    maxBatchEvents: 2\n");
        Process p = vigil("serve", "--config", config.toString(), "--port", String.valueOf(port));
        try {
            List<String> lines = untilServing(p);
            String base = "http://127.0.0.2:" + port;
            assertThat(lines.get(lines.size() - 1)).contains("serving " + dir + " on " + base);
            String event = "{\"v\":1,\"type\":\"auth.logout\",\"category\":\"auth\",\"action\":\"logout\","
                    + "\"outcome\":\"success\",\"severity\":\"low\",\"actor\":{\"type\":\"user\",\"id\":\"zoe\"}}\n";
            HttpResponse<String> three = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base
                    + "/v1/events")).header("Authorization", "Bearer " + key)
                    .header("Content-Type", "application/x-ndjson")
                    .POST(HttpRequest.BodyPublishers.ofString(event.repeat(3))).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(three.statusCode()).as("the file's maxBatchEvents").isEqualTo(413);
            assertThat(three.body()).contains("at most 2");
            HttpResponse<String> two = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base
                    + "/v1/events")).header("Authorization", "Bearer " + key)
                    .header("Content-Type", "application/x-ndjson")
                    .POST(HttpRequest.BodyPublishers.ofString(event.repeat(2))).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(two.statusCode()).isEqualTo(202);
            p.destroy();
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void aMisspeltKeyOrAMissingFileIsAUsageErrorNamingIt() throws Exception {
        Path config = Files.writeString(tmp.resolve("vigil.properties"), "vigil.server.dir=" + tmp
                + "\nvigil.server.eventsPerSecnd=10\n");
        Cli.Result misspelt = Cli.run("serve", "--config", config.toString());
        assertThat(misspelt.exit()).isEqualTo(2);
        assertThat(misspelt.err()).contains(config.toString()).contains("unknown key 'eventsPerSecnd' at vigil.server")
                .contains("did you mean 'eventsPerSecond'?");
        Path missing = tmp.resolve("nowhere.yml");
        Cli.Result none = Cli.run("serve", "--config", missing.toString());
        assertThat(none.exit()).isEqualTo(2);
        assertThat(none.err()).contains(missing + ": cannot read the file: no such file");
        Path bad = Files.writeString(tmp.resolve("bad.yml"), "server: {dir: " + tmp + ", port: 70000}\n");
        Cli.Result range = Cli.run("serve", "--config", bad.toString());
        assertThat(range.exit()).isEqualTo(2);
        assertThat(range.err()).contains("server.port: 70000 is out of range; expected a whole number from 0 to 65535");
    }

    @Test
    void aStoreMustBeAPostgresUrl() throws Exception {
        Cli.Result other = Cli.run("serve", "--dir", tmp.resolve("srv").toString(), "--store",
                "mysql://vigil:s3cret@db/vigil");
        assertThat(other.exit()).isEqualTo(2);
        assertThat(other.err()).contains("--store must be a PostgreSQL JDBC URL").contains("jdbc:postgresql:")
                .as("a URL may hold a password: it is not repeated").doesNotContain("s3cret");
        assertThat(Files.exists(tmp.resolve("srv"))).as("nothing served, nothing made").isFalse();
    }

    @Test
    void helpDescribesTheConfigFile() {
        Cli.Result help = Cli.run("serve", "--help");
        assertThat(help.exit()).isZero();
        assertThat(help.out()).contains("--config=FILE").contains("server section").contains("--store=URL")
                .contains("Flags override the file");
    }
}
