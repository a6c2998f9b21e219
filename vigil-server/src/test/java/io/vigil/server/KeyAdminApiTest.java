package io.vigil.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.ledger.FileLedger;
import io.vigil.ledger.LedgerEntry;
import io.vigil.ledger.LedgerReader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An admin key manages its own tenant's keys over HTTP: makes them (the secret shown once, only its hash stored),
 * lists them without secrets, revokes them; never another tenant's; and the server's audit trail names who did it.
 */
class KeyAdminApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @TempDir
    Path tmp;
    private Path dir;
    private VigilServer server;
    private String admin;
    private String adminId;
    private String reader;
    private String otherAdmin;
    private String otherKeyId;

    @BeforeEach
    void start() throws IOException {
        dir = tmp.resolve("server");
        ApiKeys keys = ApiKeys.open(dir);
        CreatedKey a = keys.create("acme", EnumSet.allOf(Scope.class), Optional.of("ops"));
        admin = a.secret();
        adminId = a.key().id();
        reader = keys.create("acme", Set.of(Scope.READ), Optional.empty()).secret();
        CreatedKey other = keys.create("globex", EnumSet.allOf(Scope.class), Optional.empty());
        otherAdmin = other.secret();
        otherKeyId = other.key().id();
        server = VigilServer.start(ServerOptions.defaults(dir).withPort(0));
    }

    @AfterEach
    void stop() throws IOException {
        server.close();
    }

    private HttpResponse<String> send(String method, String path, String key, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body))
                .header("Authorization", "Bearer " + key);
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void anAdminKeyMakesListsAndRevokesItsTenantsKeys() throws Exception {
        HttpResponse<String> made = send("POST", "/v1/keys", admin, "{\"scopes\":[\"ingest\"],\"name\":\"checkout\"}");
        assertThat(made.statusCode()).as(made.body()).isEqualTo(201);
        assertThat(made.headers().firstValue("Cache-Control")).contains("no-store");
        JsonNode created = JSON.readTree(made.body());
        String secret = created.get("secret").asText();
        String id = created.get("key").get("id").asText();
        assertThat(secret).startsWith("vk_" + id + "_");
        assertThat(created.get("key").get("tenant").asText()).isEqualTo("acme");
        assertThat(created.get("key").get("scopes").toString()).isEqualTo("[\"ingest\"]");
        assertThat(created.get("key").get("name").asText()).isEqualTo("checkout");

        // The new key works for what it was given, and nothing else.
        HttpResponse<String> sent = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port()
                        + "/v1/events")).header("Authorization", "Bearer " + secret)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"v\":1,\"type\":\"auth.login.success\",\"category\":\"auth\","
                        + "\"action\":\"login\",\"outcome\":\"success\",\"severity\":\"info\","
                        + "\"actor\":{\"type\":\"user\",\"id\":\"zoe\"}}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(sent.statusCode()).as(sent.body()).isEqualTo(202);
        assertThat(send("GET", "/v1/events", secret, null).statusCode()).isEqualTo(403);

        // Listed without a secret or a hash; only its own tenant's.
        HttpResponse<String> listed = send("GET", "/v1/keys", admin, null);
        assertThat(listed.statusCode()).isEqualTo(200);
        assertThat(listed.body()).doesNotContain(secret.substring(secret.length() - 43)).doesNotContain("sha256")
                .doesNotContain(otherKeyId);
        assertThat(JSON.readTree(listed.body()).get("keys")).hasSize(3);

        // Its secret is stored as a hash only.
        assertThat(Files.readString(dir.resolve("keys.json"), StandardCharsets.UTF_8))
                .doesNotContain(secret.substring(secret.length() - 43));

        // Revoked: it lets no one in; revoking again keeps the first time.
        HttpResponse<String> revoked = send("DELETE", "/v1/keys/" + id, admin, null);
        assertThat(revoked.statusCode()).as(revoked.body()).isEqualTo(200);
        String when = JSON.readTree(revoked.body()).get("key").get("revoked").asText();
        assertThat(when).isNotEmpty();
        assertThat(send("GET", "/v1/checkpoints/latest", secret, null).statusCode()).isEqualTo(401);
        HttpResponse<String> again = send("DELETE", "/v1/keys/" + id, admin, null);
        assertThat(JSON.readTree(again.body()).get("key").get("revoked").asText()).isEqualTo(when);

        // The server's own audit trail names the admin key as who made and revoked it, once each.
        server.flushAudit(Duration.ofSeconds(10));
        server.close();
        server = VigilServer.start(ServerOptions.defaults(dir).withPort(0));
        server.flushAudit(Duration.ofSeconds(10));
        try (LedgerReader system = FileLedger.openReader(dir.resolve("system"));
             Stream<LedgerEntry> all = system.entries(system.start(), system.size())) {
            List<LedgerEntry> about = all.filter(e -> e.event().target().map(t -> t.id().orElse("")).orElse("")
                    .equals(id)).toList();
            assertThat(about).extracting(e -> e.event().type())
                    .containsExactly("auth.token.created", "auth.token.revoked");
            assertThat(about).allSatisfy(e -> {
                assertThat(e.event().actor().flatMap(a -> a.id())).contains(adminId);
                assertThat(e.event().tenant()).contains("acme");
                assertThat(e.line()).doesNotContain(secret.substring(secret.length() - 43));
            });
        }
    }

    @Test
    void anotherTenantsKeyIsNotFoundAndItsOwnerKeepsIt() throws Exception {
        HttpResponse<String> r = send("DELETE", "/v1/keys/" + otherKeyId, admin, null);
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(r.body()).contains("no key " + otherKeyId + " in this tenant");
        assertThat(send("GET", "/v1/keys", otherAdmin, null).statusCode()).as("globex's admin still works")
                .isEqualTo(200);
    }

    @Test
    void onlyAdminKeysManageKeysAndBadBodiesSayWhatIsWrong() throws Exception {
        assertThat(send("GET", "/v1/keys", reader, null).statusCode()).isEqualTo(403);
        assertThat(send("POST", "/v1/keys", reader, "{\"scopes\":[\"read\"]}").statusCode()).isEqualTo(403);
        assertThat(send("DELETE", "/v1/keys/" + adminId, reader, null).statusCode()).isEqualTo(403);
        for (String[] bad : new String[][] {
            {"[]", "JSON object"},
            {"{}", "non-empty list"},
            {"{\"scopes\":[]}", "non-empty list"},
            {"{\"scopes\":[\"owner\"]}", "is not one of ingest, read, admin"},
            {"{\"scopes\":[\"read\"],\"tenant\":\"globex\"}", "unknown field 'tenant'"},
            {"{\"scopes\":[\"read\"],\"name\":7}", "name must be a string"},
            {"{\"scopes\":[\"read\"],\"name\":\"tab\\there\"}", "name"},
            {"{\"scopes\":", "not JSON"}}) {
            HttpResponse<String> r = send("POST", "/v1/keys", admin, bad[0]);
            assertThat(r.statusCode()).as(bad[0]).isEqualTo(400);
            assertThat(JSON.readTree(r.body()).get("error").asText()).as(bad[0]).contains(bad[1]);
        }
        assertThat(ApiKeys.open(dir).list()).as("nothing made").hasSize(3);
    }
}
