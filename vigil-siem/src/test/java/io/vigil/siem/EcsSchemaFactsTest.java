package io.vigil.siem;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.event.AuditEvent;
import io.vigil.event.EventType;
import io.vigil.siem.internal.EcsFormat;
import io.vigil.sink.EntryPosition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

/**
 * The facts of ECS 9.4 the mapper relies on, written down from the published reference (the allowed values pages of
 * event.kind, event.category, event.type and event.outcome, and the expected event types of each category), and
 * every catalogue type's document checked against them.
 */
class EcsSchemaFactsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    static final Set<String> KINDS = Set.of("alert", "asset", "enrichment", "event", "metric", "state",
            "pipeline_error", "signal");
    static final Set<String> OUTCOMES = Set.of("failure", "success", "unknown");
    // The allowed values as the event.type page lists them; the page also describes "device", not in the list, which
    // the mapper does not use either way.
    static final Set<String> TYPES = Set.of("access", "admin", "allowed", "change", "connection", "creation",
            "deletion", "denied", "end", "error", "group", "indicator", "info", "installation", "protocol", "start",
            "user");
    /** Category to its expected event types. */
    static final Map<String, Set<String>> CATEGORIES = Map.ofEntries(
            entry("api", Set.of("access", "admin", "allowed", "change", "creation", "deletion", "denied", "end",
                    "info", "start", "user")),
            entry("authentication", Set.of("start", "end", "info")),
            entry("configuration", Set.of("access", "change", "creation", "deletion", "info")),
            entry("database", Set.of("access", "change", "info", "error")),
            entry("driver", Set.of("change", "end", "info", "start")),
            entry("email", Set.of("info")),
            entry("file", Set.of("access", "change", "creation", "deletion", "info")),
            entry("host", Set.of("access", "change", "end", "info", "start")),
            entry("iam", Set.of("admin", "change", "creation", "deletion", "group", "info", "user")),
            entry("intrusion_detection", Set.of("allowed", "denied", "info")),
            entry("library", Set.of("start")),
            entry("malware", Set.of("info")),
            entry("network", Set.of("access", "allowed", "connection", "denied", "end", "info", "protocol", "start")),
            entry("package", Set.of("access", "change", "deletion", "info", "installation", "start")),
            entry("process", Set.of("access", "change", "end", "info", "start")),
            entry("registry", Set.of("access", "change", "creation", "deletion")),
            entry("session", Set.of("start", "end", "info")),
            entry("threat", Set.of("indicator")),
            entry("vulnerability", Set.of("info")),
            entry("web", Set.of("access", "error", "info")));

    private final EcsFormat format = new EcsFormat();

    static List<EventType> types() {
        return Fixtures.types();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("types")
    void categorizationUsesOnlyAllowedValuesAndExpectedPairs(EventType type) throws Exception {
        AuditEvent event = Fixtures.event(type);
        JsonNode doc = JSON.readTree(format.format(event, Fixtures.integrity(type)));
        JsonNode ev = doc.get("event");

        assertThat(KINDS).contains(ev.get("kind").asText());
        assertThat(OUTCOMES).contains(ev.get("outcome").asText());
        assertThat(ev.get("category").isArray()).isTrue();
        assertThat(ev.get("type").isArray()).isTrue();
        List<String> categories = texts(ev.get("category"));
        List<String> types = texts(ev.get("type"));
        assertThat(categories).isNotEmpty().allSatisfy(c -> assertThat(CATEGORIES).containsKey(c));
        assertThat(types).isNotEmpty().allSatisfy(t -> assertThat(TYPES).contains(t));
        // Each type is one ECS expects for every category it appears with.
        for (String c : categories) {
            assertThat(CATEGORIES.get(c)).as("types expected for %s", c).containsAll(types);
        }
        assertThat(ev.get("action").asText()).isEqualTo(type.name());
        assertThat(ev.get("kind").asText())
                .isEqualTo(type.name().startsWith("security.") && type.name().endsWith(".detected")
                        || type.name().equals("security.suspicious.activity") ? "alert" : "event");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("types")
    void timestampVersionAndIntegrity(EventType type) throws Exception {
        AuditEvent event = Fixtures.event(type);
        EntryPosition integrity = Fixtures.integrity(type).orElseThrow();
        JsonNode doc = JSON.readTree(format.format(event, Optional.of(integrity)));

        assertThat(Instant.parse(doc.get("@timestamp").asText())).isEqualTo(event.timestamp());
        assertThat(doc.get("@timestamp").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
        assertThat(doc.at("/ecs/version").asText()).isEqualTo("9.4.0");
        assertThat(doc.at("/event/hash").asText()).isEqualTo(integrity.hash());
        assertThat(doc.at("/vigil/seq").asLong()).isEqualTo(integrity.seq());
        assertThat(doc.at("/vigil/hash").asText()).isEqualTo(integrity.hash());
        assertThat(doc.at("/event/id").asText()).isEqualTo(event.id().toString());
    }

    @Test
    void withoutIntegrityNoHashIsWritten() throws Exception {
        EventType type = Fixtures.types().get(0);
        JsonNode doc = JSON.readTree(format.format(Fixtures.event(type), Optional.empty()));
        assertThat(doc.at("/event/hash").isMissingNode()).isTrue();
        assertThat(doc.at("/vigil/seq").isMissingNode()).isTrue();
        assertThat(doc.at("/related/hash").isMissingNode()).isTrue();
    }

    @Test
    void anIpv6AddressIsWrittenInItsCanonicalForm() throws Exception {
        EventType type = Fixtures.types().get(0);
        AuditEvent event = Fixtures.event(type).toBuilder()
                .actor(Fixtures.event(type).actor().orElseThrow().withIp("2001:DB8:0:0::1")).build();
        JsonNode doc = JSON.readTree(format.format(event, Optional.empty()));
        assertThat(doc.at("/source/ip").asText()).isEqualTo("2001:db8::1");
        assertThat(doc.at("/related/ip/0").asText()).isEqualTo("2001:db8::1");
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
