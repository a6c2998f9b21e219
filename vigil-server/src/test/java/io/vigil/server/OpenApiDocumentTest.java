package io.vigil.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.event.Actor;
import io.vigil.event.ActorType;
import io.vigil.event.AuditEvent;
import io.vigil.event.Category;
import io.vigil.event.EventCatalog;
import io.vigil.event.Outcome;
import io.vigil.event.Severity;
import io.vigil.event.Target;
import io.vigil.json.EventJson;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/** The OpenAPI document the server serves: every route and status, references that resolve, and the event model. */
class OpenApiDocumentTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static JsonNode doc;

    @BeforeAll
    static void read() throws IOException {
        try (InputStream in = VigilServer.class.getResourceAsStream("openapi.json")) {
            assertThat(in).as("io/vigil/server/openapi.json on the class path").isNotNull();
            doc = JSON.readTree(in);
        }
    }

    @Test
    void itIsOpenApi31() {
        assertThat(doc.path("openapi").asText()).startsWith("3.1.");
        assertThat(doc.path("info").path("title").isTextual()).isTrue();
        assertThat(doc.path("info").path("version").isTextual()).isTrue();
    }

    @Test
    void everyRouteIsThereWithItsStatuses() {
        Map<String, List<String>> expected = new LinkedHashMap<>();
        expected.put("get /health", List.of("200"));
        expected.put("post /v1/events", List.of("202", "400", "401", "403", "413", "415", "429"));
        expected.put("get /v1/events", List.of("200", "400", "401", "403"));
        expected.put("get /v1/events/{id}", List.of("200", "400", "401", "403", "404"));
        expected.put("get /v1/checkpoints/latest", List.of("200", "401", "403", "404"));
        expected.put("get /v1/proofs/consistency", List.of("200", "400", "401", "403"));
        expected.put("post /v1/verify", List.of("200", "401", "403", "404"));
        expected.put("get /v1/verify", List.of("200", "401", "403"));
        expected.put("get /v1/export", List.of("200", "400", "401", "403", "404"));
        expected.put("get /v1/timeline", List.of("200", "400", "401", "403"));
        expected.put("get /v1/keys", List.of("200", "401", "403"));
        expected.put("post /v1/keys", List.of("201", "400", "401", "403", "413"));
        expected.put("delete /v1/keys/{id}", List.of("200", "401", "403", "404"));
        expected.put("get /metrics", List.of("200", "401", "403"));
        expected.put("get /openapi.json", List.of("200", "401"));
        List<String> found = new ArrayList<>();
        doc.path("paths").fields().forEachRemaining(p -> p.getValue().fieldNames().forEachRemaining(
                m -> found.add(m + " " + p.getKey())));
        assertThat(found).containsExactlyInAnyOrderElementsOf(expected.keySet());
        expected.forEach((route, statuses) -> {
            String[] mp = route.split(" ");
            JsonNode op = doc.path("paths").path(mp[1]).path(mp[0]);
            assertThat(names(op.path("responses"))).as(route).containsAll(statuses);
            assertThat(op.path("operationId").isTextual()).as(route).isTrue();
        });
        JsonNode tooMany = doc.path("paths").path("/v1/events").path("post").path("responses").path("429");
        assertThat(tooMany.path("headers").has("Retry-After")).isTrue();
        JsonNode body = doc.path("paths").path("/v1/events").path("post").path("requestBody").path("content");
        assertThat(names(body)).containsExactlyInAnyOrder("application/json", "application/x-ndjson");
        assertThat(names(doc.path("paths").path("/v1/verify").path("post").path("responses").path("200")
                .path("content"))).as("the report alone, or streamed after progress lines")
                .containsExactlyInAnyOrder("application/json", "application/x-ndjson");
        assertThat(names(doc.path("paths").path("/metrics").path("get").path("responses").path("200")
                .path("content"))).containsExactly("text/plain");
        List<String> query = new ArrayList<>();
        for (JsonNode p : doc.path("paths").path("/v1/events").path("get").path("parameters")) {
            query.add(resolve(p).path("name").asText());
        }
        assertThat(query).containsExactlyInAnyOrder("type", "category", "outcome", "actor", "ip", "resource", "since",
                "until", "limit", "cursor", "order");
    }

    @Test
    void onlyHealthIsOpenAndTheRestNeedsABearerKey() {
        JsonNode scheme = doc.path("components").path("securitySchemes").path("bearer");
        assertThat(scheme.path("type").asText()).isEqualTo("http");
        assertThat(scheme.path("scheme").asText()).isEqualTo("bearer");
        assertThat(doc.path("security").get(0).has("bearer")).isTrue();
        assertThat(doc.path("paths").path("/health").path("get").path("security").isEmpty()).isTrue();
        doc.path("paths").fields().forEachRemaining(p -> p.getValue().fields().forEachRemaining(m -> {
            if (!p.getKey().equals("/health")) {
                assertThat(m.getValue().has("security")).as(p.getKey()).isFalse();
                assertThat(Set.of("ingest", "read", "admin", "any")).as(p.getKey())
                        .contains(m.getValue().path("x-vigil-scope").asText());
            }
        }));
    }

    @Test
    void everyReferenceResolves() {
        List<String> refs = new ArrayList<>();
        collectRefs(doc, refs);
        assertThat(refs).isNotEmpty();
        for (String ref : refs) {
            assertThat(ref).as("a reference within the document").startsWith("#/");
            assertThat(doc.at(ref.substring(1)).isMissingNode()).as(ref).isFalse();
        }
    }

    @Test
    void theEnumsAreTheModelsJsonNames() {
        JsonNode event = schema("Event").path("properties");
        assertThat(texts(event.path("category").path("enum"))).isEqualTo(jsonNames(Category.values(),
                Category::jsonName));
        assertThat(texts(event.path("outcome").path("enum"))).isEqualTo(jsonNames(Outcome.values(),
                Outcome::jsonName));
        assertThat(texts(event.path("severity").path("enum"))).isEqualTo(jsonNames(Severity.values(),
                Severity::jsonName));
        assertThat(texts(schema("Actor").path("properties").path("type").path("enum"))).isEqualTo(jsonNames(
                ActorType.values(), ActorType::jsonName));
    }

    @Test
    void theEventSchemaHasTheModelsFieldsAndRequiresWhatTheModelRequires() throws IOException {
        AuditEvent full = AuditEvent.builder(EventCatalog.AUTH_LOGIN_FAILURE).id(UUID.randomUUID())
                .timestamp(Instant.parse("2026-03-02T08:00:00.756Z"))
                .actor(new Actor(ActorType.USER, Optional.of("alice"), Optional.of("Alice"), Optional.of("10.0.0.7"),
                        Optional.of("curl/8")))
                .target(Target.of("document", "42").withName("Q3")).tenant("acme").service("gateway")
                .requestId("r").sessionId("s").traceId("t").reason("bad credentials").error("e").riskScore(0.5)
                .anomalyFlag("new_ip").detail("method", "password").build();
        JsonNode written = JSON.readTree(EventJson.toCanonicalString(full));
        assertThat(names(schema("Event").path("properties"))).isEqualTo(names(written));
        assertThat(names(schema("Actor").path("properties"))).isEqualTo(names(written.path("actor")));
        assertThat(names(schema("Target").path("properties"))).isEqualTo(names(written.path("target")));
        assertThat(names(schema("NewEvent").path("properties"))).isEqualTo(names(written));

        AuditEvent bare = AuditEvent.builder(EventCatalog.AUTH_LOGOUT).id(UUID.randomUUID())
                .timestamp(Instant.parse("2026-03-02T08:00:00.756Z")).build();
        assertThat(new TreeSet<>(texts(schema("Event").path("required")))).isEqualTo(names(JSON.readTree(
                EventJson.toCanonicalString(bare))));
        assertThat(texts(schema("NewEvent").path("required"))).doesNotContain("id", "timestamp", "tenant");
    }

    @Test
    void theExamplesAreEventsTheModelReads() {
        JsonNode post = doc.path("paths").path("/v1/events").path("post").path("requestBody").path("content");
        ObjectNode one = (ObjectNode) post.path("application/json").path("example").deepCopy();
        one.put("id", UUID.randomUUID().toString()).put("timestamp", "2026-03-02T08:00:00.756Z");
        EventJson.parse(one.toString());
        for (String line : post.path("application/x-ndjson").path("example").asText().split("\n")) {
            ObjectNode e = (ObjectNode) readTree(line);
            e.put("id", UUID.randomUUID().toString()).put("timestamp", "2026-03-02T08:00:00.756Z");
            EventJson.parse(e.toString());
        }
        JsonNode page = doc.path("paths").path("/v1/events").path("get").path("responses").path("200")
                .path("content").path("application/json").path("example");
        for (JsonNode entry : page.path("events")) {
            EventJson.parseLine(entry.toString(), Set.of("seq", "prevHash", "hash"));
        }
    }

    private static JsonNode readTree(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + text, e);
        }
    }

    private static JsonNode schema(String name) {
        JsonNode s = doc.path("components").path("schemas").path(name);
        assertThat(s.isObject()).as("schema %s", name).isTrue();
        return s;
    }

    private static JsonNode resolve(JsonNode node) {
        return node.has("$ref") ? doc.at(node.get("$ref").asText().substring(1)) : node;
    }

    private static void collectRefs(JsonNode node, List<String> out) {
        if (node.isObject()) {
            node.fields().forEachRemaining(f -> {
                if (f.getKey().equals("$ref")) {
                    out.add(f.getValue().asText());
                } else {
                    collectRefs(f.getValue(), out);
                }
            });
        } else if (node.isArray()) {
            node.forEach(n -> collectRefs(n, out));
        }
    }

    private static TreeSet<String> names(JsonNode object) {
        TreeSet<String> out = new TreeSet<>();
        for (Iterator<String> it = object.fieldNames(); it.hasNext(); ) {
            out.add(it.next());
        }
        return out;
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    private static <E> List<String> jsonNames(E[] values, Function<E, String> name) {
        return Arrays.stream(values).map(name).toList();
    }
}
