package io.vigil.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
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
        Cli.Result store = Cli.run("serve", "--dir", tmp.toString(), "--store", "jdbc:mysql://db/audit?password=x1");
        assertThat(store.exit()).isEqualTo(2);
        assertThat(store.err()).contains("PostgreSQL JDBC URL").doesNotContain("x1");
    }
}
