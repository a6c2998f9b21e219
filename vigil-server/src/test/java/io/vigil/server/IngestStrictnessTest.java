package io.vigil.server;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bodies the event model's strict reader refuses, but which the server accepts after reading them leniently first
 * (trailing content ignored, duplicate members merged, numbers beyond a double turned into strings): each is answered
 * 202, and what is stored is not what was sent. Disabled until ingest reads each event strictly.
 */
class IngestStrictnessTest {
    private static final String EVENT = "{\"v\":1,\"type\":\"auth.logout\",\"category\":\"auth\",\"action\":\"logout\","
            + "\"outcome\":\"success\",\"severity\":\"info\"";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path dir;
    private VigilServer server;
    private String key;

    @BeforeEach
    void start() throws IOException {
        key = ApiKeys.open(dir).create("acme", Set.of(Scope.INGEST), Optional.empty()).secret();
        server = VigilServer.start(ServerOptions.defaults(dir).withPort(0));
    }

    @AfterEach
    void stop() throws IOException {
        server.close();
    }

    private int post(String type, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/v1/events"))
                .header("Authorization", "Bearer " + key).header("Content-Type", type)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString())
                .statusCode();
    }

    /** Today: 202 with one receipt, and the second event is dropped without a word. */
    @Test
    void twoEventsPostedAsJsonAreRefused() throws Exception {
        assertThat(post("application/json", EVENT + ",\"reason\":\"a\"}\n" + EVENT + ",\"reason\":\"b\"}\n"))
                .isEqualTo(400);
    }

    /** Today: 202 with one receipt for the line; the second object on it is dropped. */
    @Test
    void twoEventsOnOneNdjsonLineAreRefused() throws Exception {
        assertThat(post("application/x-ndjson", EVENT + ",\"reason\":\"a\"}" + EVENT + ",\"reason\":\"b\"}"))
                .isEqualTo(400);
    }

    /** Today: 202, and the ledger stores the detail as the string "Infinity". */
    @Test
    void aNumberBeyondADoubleIsRefused() throws Exception {
        assertThat(post("application/json", EVENT + ",\"details\":{\"n\":1e400}}")).isEqualTo(400);
    }

    /** Today: 202, and the last of the two reasons is stored. */
    @Test
    void aDuplicateMemberIsRefused() throws Exception {
        assertThat(post("application/json", EVENT + ",\"reason\":\"x\",\"reason\":\"y\"}")).isEqualTo(400);
    }
}
