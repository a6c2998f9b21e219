package io.vigil.json;

import com.fasterxml.jackson.core.type.TypeReference;
import io.vigil.event.Actor;
import io.vigil.event.AuditEvent;
import io.vigil.event.Category;
import io.vigil.event.EventCatalog;
import io.vigil.event.EventType;
import io.vigil.event.Outcome;
import io.vigil.event.Severity;
import io.vigil.event.Target;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EventJsonTest {
    private static final UUID ID = UUID.fromString("0194b3a0-7c00-7000-8000-00000000002a");
    private static final Instant NOON = Instant.parse("2026-01-29T12:00:00Z");
    private static final EventType MINIMAL = EventType.custom("x.test.minimal", Category.AUDIT, "ping", Outcome.SUCCESS,
            Severity.INFO, "a test type");
    private static final DateTimeFormatter MILLIS = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    static AuditEvent fullEvent() {
        Map<String, Object> nested = new LinkedHashMap<>();
        nested.put("b", List.of(1L, "x"));
        nested.put("a", true);
        return AuditEvent.builder(EventCatalog.AUTH_LOGIN_FAILURE)
                .id(ID)
                .timestamp(NOON)
                .action("login")
                .outcome(Outcome.FAILURE)
                .severity(Severity.LOW)
                .actor(Actor.user("alice").withName("Alice").withIp("203.0.113.7").withUserAgent("curl/8.5"))
                .target(Target.of("user", "alice"))
                .tenant("acme")
                .service("gateway")
                .requestId("req-1")
                .sessionId("s-1")
                .traceId("t-1")
                .reason("bad password")
                .error("E42")
                .riskScore(0.0)
                .anomalyFlag("new_device")
                .detail("method", "password")
                .detail("attempts", 0L)
                .detail("locked", false)
                .detail("ratio", 0.25)
                .detail("nested", nested)
                .build();
    }

    static AuditEvent minimalEvent() {
        return AuditEvent.builder(MINIMAL).id(ID).timestamp(Instant.EPOCH).build();
    }

    private static final String FULL_JSON = "{\"action\":\"login\","
            + "\"actor\":{\"id\":\"alice\",\"ip\":\"203.0.113.7\",\"name\":\"Alice\",\"type\":\"user\",\"userAgent\":\"curl/8.5\"},"
            + "\"anomalyFlags\":[\"new_device\"],\"category\":\"auth\","
            + "\"details\":{\"attempts\":0,\"locked\":false,\"method\":\"password\",\"nested\":{\"a\":true,\"b\":[1,\"x\"]},\"ratio\":0.25},"
            + "\"error\":\"E42\",\"id\":\"0194b3a0-7c00-7000-8000-00000000002a\",\"outcome\":\"failure\","
            + "\"reason\":\"bad password\",\"requestId\":\"req-1\",\"riskScore\":0,\"service\":\"gateway\","
            + "\"sessionId\":\"s-1\",\"severity\":\"low\",\"target\":{\"id\":\"alice\",\"type\":\"user\"},"
            + "\"tenant\":\"acme\",\"timestamp\":\"2026-01-29T12:00:00.000Z\",\"traceId\":\"t-1\","
            + "\"type\":\"auth.login.failure\",\"v\":1}";

    // ---- writing ------------------------------------------------------------------------------------------------

    @Test
    void writesEveryFieldInCanonicalOrder() {
        assertThat(EventJson.toCanonicalString(fullEvent())).isEqualTo(FULL_JSON);
        assertThat(CanonicalJson.canonicalize(FULL_JSON)).isEqualTo(FULL_JSON);
    }

    @Test
    void omitsAbsentFieldsAndNeverWritesNull() {
        String json = EventJson.toCanonicalString(minimalEvent());
        assertThat(json).isEqualTo("{\"action\":\"ping\",\"category\":\"audit\",\"id\":\"0194b3a0-7c00-7000-8000-00000000002a\","
                + "\"outcome\":\"success\",\"severity\":\"info\",\"timestamp\":\"1970-01-01T00:00:00.000Z\","
                + "\"type\":\"x.test.minimal\",\"v\":1}");
        assertThat(json).doesNotContain("null", "anomalyFlags", "details", "actor");
    }

    @Test
    void keepsZeroAndFalse() {
        AuditEvent e = AuditEvent.builder(MINIMAL).id(ID).timestamp(NOON).riskScore(0)
                .detail("count", 0).detail("enabled", false).detail("empty", "").detail("none", null).build();
        String json = EventJson.toCanonicalString(e);
        assertThat(json).contains("\"details\":{\"count\":0,\"empty\":\"\",\"enabled\":false}", "\"riskScore\":0");
        assertThat(EventJson.parse(json).details()).containsEntry("count", 0L).containsEntry("enabled", false);
    }

    @Test
    void writesJavaNumberTypesAsJsonNumbers() {
        AuditEvent e = AuditEvent.builder(MINIMAL).id(ID).timestamp(NOON)
                .detail("i", 1).detail("f", 0.5f).detail("dec", new BigDecimal("2.50")).detail("whole", 3.0).build();
        String json = EventJson.toCanonicalString(e);
        assertThat(json).contains("\"details\":{\"dec\":2.5,\"f\":0.5,\"i\":1,\"whole\":3}");
        // JSON numbers are doubles: integral ones read back as Long, others as Double
        assertThat(EventJson.parse(json).details())
                .containsEntry("i", 1L).containsEntry("f", 0.5).containsEntry("dec", 2.5).containsEntry("whole", 3L);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "2026-01-29T12:00:00Z, 2026-01-29T12:00:00.000Z",
            "2026-01-29T12:00:00.123456789Z, 2026-01-29T12:00:00.123Z",
            "1970-01-01T00:00:00Z, 1970-01-01T00:00:00.000Z",
            "1969-12-31T23:59:59.999Z, 1969-12-31T23:59:59.999Z",
            "2000-02-29T00:00:00Z, 2000-02-29T00:00:00.000Z",
            "1900-03-01T00:00:00Z, 1900-03-01T00:00:00.000Z",
            "2400-02-29T12:34:56.789Z, 2400-02-29T12:34:56.789Z",
            "0000-01-01T00:00:00Z, 0000-01-01T00:00:00.000Z",
            "9999-12-31T23:59:59.999Z, 9999-12-31T23:59:59.999Z",
            "+10000-01-01T00:00:00Z, +10000-01-01T00:00:00.000Z",
            "-0001-12-31T23:59:59.5Z, -0001-12-31T23:59:59.500Z",
    })
    void writesTimestampsInUtcWithMilliseconds(String instant, String expected) {
        AuditEvent e = AuditEvent.builder(MINIMAL).id(ID).timestamp(Instant.parse(instant)).build();
        String json = EventJson.toCanonicalString(e);
        assertThat(json).contains("\"timestamp\":\"" + expected + "\"");
        assertThat(MILLIS.format(e.timestamp())).isEqualTo(expected);
        assertThat(EventJson.parse(json)).isEqualTo(e);
    }

    @Test
    void mergesExtraFieldsInCanonicalPosition() {
        Map<String, Object> extras = new LinkedHashMap<>();
        extras.put("seq", 7L);
        extras.put("prevHash", "aa");
        extras.put("hash", "bb");
        extras.put("zz", List.of(1));
        extras.put("a", "first");
        CanonicalBuffer out = new CanonicalBuffer();
        EventJson.writeCanonical(fullEvent(), extras, out);
        String line = out.toString();
        assertThat(line)
                .startsWith("{\"a\":\"first\",\"action\":")
                .contains("\"error\":\"E42\",\"hash\":\"bb\",\"id\":", "\"outcome\":\"failure\",\"prevHash\":\"aa\",\"reason\":",
                        "\"riskScore\":0,\"seq\":7,\"service\":")
                .endsWith("\"v\":1,\"zz\":[1]}");
        assertThat(CanonicalJson.canonicalize(line)).isEqualTo(line);

        ParsedEvent parsed = EventJson.parseLine(line, Set.of("seq", "prevHash", "hash", "zz", "a"));
        assertThat(parsed.event()).isEqualTo(fullEvent());
        assertThat(parsed.extras()).containsExactly(Map.entry("a", "first"), Map.entry("hash", "bb"),
                Map.entry("prevHash", "aa"), Map.entry("seq", 7L), Map.entry("zz", List.of(1L)));
    }

    @Test
    void rejectsExtrasThatCollideOrAreNull() {
        CanonicalBuffer out = new CanonicalBuffer();
        assertThatThrownBy(() -> EventJson.writeCanonical(fullEvent(), Map.of("type", "x"), out))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("extra field 'type' collides");
        Map<String, Object> withNull = new LinkedHashMap<>();
        withNull.put("seq", null);
        assertThatThrownBy(() -> EventJson.writeCanonical(fullEvent(), withNull, out))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'seq' is null");
        assertThatThrownBy(() -> EventJson.parseLine(FULL_JSON, Set.of("id")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("extra field 'id' collides");
        assertThat(out.length()).isZero();
    }

    @Test
    void refusesAStringThatIsNotUnicodeAndLeavesTheBufferAsItWas() {
        // The event model already rejects such strings; the writer still refuses them on its own.
        assertThatThrownBy(() -> AuditEvent.builder(MINIMAL).id(ID).timestamp(NOON).reason("bad \ud800 half").build())
                .hasMessageContaining("unpaired UTF-16 surrogate");
        CanonicalBuffer out = new CanonicalBuffer().appendAscii("kept\n");
        assertThatThrownBy(() -> CanonicalJson.writeValue(Map.of("reason", "bad \ud800 half"), out))
                .isInstanceOf(CanonicalJsonException.class).hasMessageContaining("surrogate");
        assertThat(out.toString()).isEqualTo("kept\n");
    }

    @Test
    void fieldOrderIsCanonicalAndCoversTheEventModel() {
        List<String> names = EventJson.fieldNames();
        assertThat(names).isSortedAccordingTo(String::compareTo);
        assertThat(names).containsExactlyInAnyOrder("v", "id", "timestamp", "category", "type", "action", "outcome",
                "severity", "actor", "target", "tenant", "service", "requestId", "sessionId", "traceId", "reason",
                "error", "riskScore", "anomalyFlags", "details");
    }

    @Test
    void equalsTheCanonicalFormOfAnotherSerialization() throws Exception {
        String other = CanonicalJsonPropertiesTest.JACKSON.writeValueAsString(plainMap(fullEvent()));
        assertThat(other).contains("\n");
        assertThat(CanonicalJson.canonicalize(other)).isEqualTo(EventJson.toCanonicalString(fullEvent()));
    }

    // ---- reading ------------------------------------------------------------------------------------------------

    @Test
    void readsWhatItWrites() {
        assertThat(EventJson.parse(FULL_JSON)).isEqualTo(fullEvent());
        assertThat(EventJson.parse(EventJson.toCanonicalString(minimalEvent()))).isEqualTo(minimalEvent());
    }

    @Test
    void readsNonCanonicalInput() throws Exception {
        String other = CanonicalJsonPropertiesTest.JACKSON.writeValueAsString(plainMap(fullEvent()));
        assertThat(EventJson.parse(other)).isEqualTo(fullEvent());
        String upperCaseId = FULL_JSON.replace(ID.toString(), ID.toString().toUpperCase());
        assertThat(EventJson.parse(upperCaseId).id()).isEqualTo(ID);
    }

    @Test
    void rejectsUnknownFields() {
        assertThatThrownBy(() -> parseWith(m -> m.put("colour", "red")))
                .isInstanceOf(EventJsonException.class)
                .hasMessageStartingWith("unknown field 'colour'; event model v1 fields are: action, actor, anomalyFlags,");
        assertThatThrownBy(() -> parseWith(m -> actor(m).put("email", "a@example.com")))
                .isInstanceOf(EventJsonException.class)
                .hasMessage("unknown field 'actor.email'; actor fields are: id, ip, name, type, userAgent");
        assertThatThrownBy(() -> parseWith(m -> m.put("seq", 1)))
                .isInstanceOf(EventJsonException.class).hasMessageStartingWith("unknown field 'seq'");
        assertThatThrownBy(() -> EventJson.parseLine(FULL_JSON.replace("{\"action\"", "{\"sig\":1,\"action\""),
                Set.of("seq", "hash")))
                .isInstanceOf(EventJsonException.class)
                .hasMessageContaining("unknown field 'sig'").hasMessageEndingWith("extra fields allowed here: hash, seq");
    }

    @Test
    void rejectsOtherVersions() {
        assertThatThrownBy(() -> parseWith(m -> m.put("v", 2)))
                .isInstanceOf(EventJsonException.class)
                .hasMessage("v must be 1 (this reader understands event model v1), not 2");
        assertThatThrownBy(() -> parseWith(m -> m.put("v", "1")))
                .isInstanceOf(EventJsonException.class).hasMessageEndingWith("not \"1\"");
        assertThatThrownBy(() -> parseWith(m -> m.remove("v")))
                .isInstanceOf(EventJsonException.class).hasMessageStartingWith("missing required field 'v'");
        // a newer version is reported as such even when it brings fields this reader does not know
        assertThatThrownBy(() -> parseWith(m -> {
            m.put("v", 2);
            m.put("newField", true);
        })).isInstanceOf(EventJsonException.class).hasMessageStartingWith("v must be 1");
    }

    @Test
    void rejectsUnknownEnumValuesListingTheAllowedOnes() {
        assertThatThrownBy(() -> parseWith(m -> m.put("outcome", "maybe")))
                .isInstanceOf(EventJsonException.class)
                .hasMessage("unknown outcome 'maybe'; allowed: success, failure, denied, error");
        assertThatThrownBy(() -> parseWith(m -> m.put("severity", "HIGH")))
                .isInstanceOf(EventJsonException.class)
                .hasMessage("unknown severity 'HIGH'; allowed: info, low, medium, high, critical");
        assertThatThrownBy(() -> parseWith(m -> m.put("category", "network")))
                .isInstanceOf(EventJsonException.class).hasMessageStartingWith("unknown category 'network'; allowed: auth,");
        assertThatThrownBy(() -> parseWith(m -> actor(m).put("type", "robot")))
                .isInstanceOf(EventJsonException.class)
                .hasMessage("unknown actor type 'robot'; allowed: user, service, system, api, anonymous");
    }

    @Test
    void rejectsWrongTypesNamingTheField() {
        assertThatThrownBy(() -> parseWith(m -> actor(m).put("ip", 10)))
                .isInstanceOf(EventJsonException.class).hasMessage("actor.ip must be a string, not a number");
        assertThatThrownBy(() -> parseWith(m -> m.put("tenant", List.of("a"))))
                .isInstanceOf(EventJsonException.class).hasMessage("tenant must be a string, not an array");
        assertThatThrownBy(() -> parseWith(m -> m.put("outcome", true)))
                .isInstanceOf(EventJsonException.class).hasMessage("outcome must be a string, not a boolean");
        assertThatThrownBy(() -> parseWith(m -> m.put("riskScore", "high")))
                .isInstanceOf(EventJsonException.class).hasMessage("riskScore must be a number, not a string");
        assertThatThrownBy(() -> parseWith(m -> m.put("details", List.of())))
                .isInstanceOf(EventJsonException.class).hasMessage("details must be an object, not an array");
        assertThatThrownBy(() -> parseWith(m -> m.put("anomalyFlags", List.of("ok", 1))))
                .isInstanceOf(EventJsonException.class).hasMessage("anomalyFlags[1] must be a string, not a number");
        assertThatThrownBy(() -> parseWith(m -> m.put("actor", "alice")))
                .isInstanceOf(EventJsonException.class).hasMessage("actor must be an object, not a string");
        assertThatThrownBy(() -> EventJson.parse("[1]"))
                .isInstanceOf(EventJsonException.class).hasMessage("an event must be a JSON object, not an array");
    }

    @Test
    void readsUtf8StrictlyWhateverTheBytes() {
        byte[] json = EventJson.toCanonicalBytes(fullEvent().toBuilder().reason("Zo\u00eb \u65e5\u672c").build());
        assertThat(EventJson.parse(json)).isEqualTo(EventJson.parse(new String(json, StandardCharsets.UTF_8)));
        byte[] overlong = EventJson.toCanonicalBytes(fullEvent()).clone();
        int quote = new String(overlong, StandardCharsets.ISO_8859_1).indexOf("alice");
        byte[] bad = new byte[overlong.length + 1];
        System.arraycopy(overlong, 0, bad, 0, quote);
        bad[quote] = (byte) 0xC1; // 'a' as an overlong two-byte form, which Jackson alone would let through
        bad[quote + 1] = (byte) 0xA1;
        System.arraycopy(overlong, quote + 1, bad, quote + 2, overlong.length - quote - 1);
        assertThatThrownBy(() -> EventJson.parse(bad))
                .isInstanceOf(EventJsonException.class).hasMessageStartingWith("invalid UTF-8 at byte offset " + quote);
        byte[] nulFirst = new byte[json.length + 1];
        System.arraycopy(json, 0, nulFirst, 1, json.length);
        assertThatThrownBy(() -> EventJson.parse(nulFirst))
                .isInstanceOf(EventJsonException.class).hasMessageStartingWith("invalid JSON at line 1");
    }

    @Test
    void rejectsNullAndMissingValues() {
        assertThatThrownBy(() -> parseWith(m -> m.put("tenant", null)))
                .isInstanceOf(EventJsonException.class)
                .hasMessage("tenant must not be null; absent values are omitted");
        assertThatThrownBy(() -> parseWith(m -> m.put("actor", null)))
                .isInstanceOf(EventJsonException.class).hasMessageStartingWith("actor must not be null");
        assertThatThrownBy(() -> parseWith(m -> details(m).put("nested", map("a", map("b", null)))))
                .isInstanceOf(EventJsonException.class).hasMessageStartingWith("details.nested.a.b must not be null");
        assertThatThrownBy(() -> parseWith(m -> details(m).put("list", listOf("x", null))))
                .isInstanceOf(EventJsonException.class).hasMessageStartingWith("details.list[1] must not be null");
        assertThatThrownBy(() -> parseWith(m -> m.remove("outcome")))
                .isInstanceOf(EventJsonException.class).hasMessage("missing required field 'outcome'");
        assertThatThrownBy(() -> parseWith(m -> actor(m).remove("type")))
                .isInstanceOf(EventJsonException.class).hasMessage("missing required field 'actor.type'");
    }

    @Test
    void rejectsInvalidValuesWithTheModelsMessage() {
        assertThatThrownBy(() -> parseWith(m -> m.put("riskScore", 2)))
                .isInstanceOf(EventJsonException.class).hasMessageContaining("riskScore 2.0 must be between 0 and 1");
        assertThatThrownBy(() -> parseWith(m -> actor(m).put("ip", "not an ip")))
                .isInstanceOf(EventJsonException.class).hasMessageContaining("actor.ip 'not an ip' is not an IP address");
        assertThatThrownBy(() -> parseWith(m -> m.put("category", "data")))
                .isInstanceOf(EventJsonException.class)
                .hasMessageContaining("type 'auth.login.failure' belongs to category 'auth', not 'data'");
        assertThatThrownBy(() -> parseWith(m -> m.put("type", "Auth Login")))
                .isInstanceOf(EventJsonException.class).hasMessageContaining("type 'Auth Login'");
    }

    @ParameterizedTest
    @CsvSource({
            "2026-01-29T12:00:00Z", "2026-01-29T12:00:00.1Z", "2026-01-29T12:00:00.000000Z",
            "2026-01-29T12:00:00.000+01:00", "2026-01-29 12:00:00.000Z", "2026-1-29T12:00:00.000Z", "yesterday",
            "10000-01-01T00:00:00.000Z",
    })
    void rejectsTimestampsNotInTheEventFormat(String timestamp) {
        assertThatThrownBy(() -> parseWith(m -> m.put("timestamp", timestamp)))
                .isInstanceOf(EventJsonException.class)
                .hasMessage("timestamp '" + timestamp + "' must be a UTC time with millisecond precision, like "
                        + "2026-01-29T12:00:00.000Z");
    }

    @Test
    void rejectsImpossibleDates() {
        assertThatThrownBy(() -> parseWith(m -> m.put("timestamp", "2026-02-29T00:00:00.000Z")))
                .isInstanceOf(EventJsonException.class).hasMessageStartingWith("timestamp '2026-02-29T00:00:00.000Z'")
                .hasMessageContaining("February 29");
        assertThatThrownBy(() -> parseWith(m -> m.put("timestamp", "2026-01-29T24:00:00.000Z")))
                .isInstanceOf(EventJsonException.class).hasMessageContaining("HourOfDay");
    }

    @ParameterizedTest
    @CsvSource({"not-a-uuid", "1-1-1-1-1", "0194b3a07c0070008000000000000002a", "0194b3a0-7c00-7000-8000-00000000002g",
            "0194b3a0-7c00-7000-8000_00000000002a", "{0194b3a0-7c00-7000-8000-00000000002}"})
    void rejectsIdsThatAreNotUuids(String id) {
        assertThatThrownBy(() -> parseWith(m -> m.put("id", id)))
                .isInstanceOf(EventJsonException.class).hasMessageStartingWith("id '" + id + "' must be a UUID");
    }

    @Test
    void rejectsMalformedJson() {
        assertThatThrownBy(() -> EventJson.parse("{\"v\":1,"))
                .isInstanceOf(EventJsonException.class).hasMessageStartingWith("invalid JSON at line 1");
        assertThatThrownBy(() -> EventJson.parse(FULL_JSON.replace("{\"action\"", "{\"type\":\"x.a\",\"action\"")))
                .isInstanceOf(EventJsonException.class).hasMessageContaining("duplicate member name 'type'");
        assertThatThrownBy(() -> EventJson.parse(FULL_JSON + "\n" + FULL_JSON))
                .isInstanceOf(EventJsonException.class).hasMessageContaining("more than one JSON value");
    }

    // ---- helpers ------------------------------------------------------------------------------------------------

    /** The event as an ordinary map in the field order of the design document: a non-canonical serialization. */
    static Map<String, Object> plainMap(AuditEvent e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("v", 1);
        m.put("id", e.id().toString());
        m.put("timestamp", MILLIS.format(e.timestamp()));
        m.put("category", e.category().jsonName());
        m.put("type", e.type());
        m.put("action", e.action());
        m.put("outcome", e.outcome().jsonName());
        m.put("severity", e.severity().jsonName());
        e.actor().ifPresent(a -> {
            Map<String, Object> actor = new LinkedHashMap<>();
            actor.put("type", a.type().jsonName());
            a.id().ifPresent(v -> actor.put("id", v));
            a.name().ifPresent(v -> actor.put("name", v));
            a.ip().ifPresent(v -> actor.put("ip", v));
            a.userAgent().ifPresent(v -> actor.put("userAgent", v));
            m.put("actor", actor);
        });
        e.target().ifPresent(t -> {
            Map<String, Object> target = new LinkedHashMap<>();
            target.put("type", t.type());
            t.id().ifPresent(v -> target.put("id", v));
            t.name().ifPresent(v -> target.put("name", v));
            m.put("target", target);
        });
        e.tenant().ifPresent(v -> m.put("tenant", v));
        e.service().ifPresent(v -> m.put("service", v));
        e.requestId().ifPresent(v -> m.put("requestId", v));
        e.sessionId().ifPresent(v -> m.put("sessionId", v));
        e.traceId().ifPresent(v -> m.put("traceId", v));
        e.reason().ifPresent(v -> m.put("reason", v));
        e.error().ifPresent(v -> m.put("error", v));
        e.riskScore().ifPresent(v -> m.put("riskScore", v));
        if (!e.anomalyFlags().isEmpty()) {
            m.put("anomalyFlags", e.anomalyFlags());
        }
        if (!e.details().isEmpty()) {
            m.put("details", e.details());
        }
        return m;
    }

    /** Parses the full example after changing its JSON tree. */
    private static AuditEvent parseWith(Consumer<Map<String, Object>> change) throws Exception {
        Map<String, Object> tree = CanonicalJsonPropertiesTest.JACKSON.readValue(FULL_JSON,
                new TypeReference<LinkedHashMap<String, Object>>() { });
        change.accept(tree);
        return EventJson.parse(CanonicalJsonPropertiesTest.JACKSON.writeValueAsString(tree));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> actor(Map<String, Object> tree) {
        return (Map<String, Object>) tree.get("actor");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> details(Map<String, Object> tree) {
        return (Map<String, Object>) tree.get("details");
    }

    private static Map<String, Object> map(String key, Object value) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put(key, value);
        return m;
    }

    private static List<Object> listOf(Object... values) {
        return new ArrayList<>(Arrays.asList(values));
    }
}
