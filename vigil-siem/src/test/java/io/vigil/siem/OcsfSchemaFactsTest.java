package io.vigil.siem;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.event.AuditEvent;
import io.vigil.event.EventCatalog;
import io.vigil.event.EventType;
import io.vigil.event.Outcome;
import io.vigil.siem.internal.OcsfFormat;
import io.vigil.sink.EntryPosition;
import io.vigil.sink.EventFormat;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;

import static java.util.Map.entry;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The facts of the OCSF 1.8.0 schema the mapper relies on, written out from the published schema (events/*.json,
 * objects/*.json, dictionary.json, categories.json at tag 1.8.0), checked on every catalogue type's output: in its
 * sample form, stripped of every optional field, with each outcome, and on every golden file.
 */
class OcsfSchemaFactsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** base_event.json: required of every class. */
    static final List<String> BASE_REQUIRED = List.of("activity_id", "category_uid", "class_uid", "metadata",
            "severity_id", "time", "type_uid");

    /** One class as published: name, category, its own required attributes, its activity_id enum. */
    record ClassFacts(String name, int categoryUid, List<String> required, Map<Integer, String> activities) {
    }

    static final Map<Integer, String> CATEGORIES = Map.of(2, "Findings", 3, "Identity & Access Management",
            6, "Application Activity");

    static final Map<Integer, ClassFacts> CLASSES = Map.of(
            3001, new ClassFacts("Account Change", 3, List.of("user"), Map.ofEntries(entry(1, "Create"),
                    entry(2, "Enable"), entry(3, "Password Change"), entry(4, "Password Reset"), entry(5, "Disable"),
                    entry(6, "Delete"), entry(7, "Attach Policy"), entry(8, "Detach Policy"), entry(9, "Lock"),
                    entry(10, "MFA Factor Enable"), entry(11, "MFA Factor Disable"), entry(12, "Unlock"))),
            3002, new ClassFacts("Authentication", 3, List.of("user"), Map.of(1, "Logon", 2, "Logoff",
                    3, "Authentication Ticket", 4, "Service Ticket Request", 5, "Service Ticket Renew", 6, "Preauth",
                    7, "Account Switch")),
            3003, new ClassFacts("Authorize Session", 3, List.of("user"),
                    Map.of(1, "Assign Privileges", 2, "Assign Groups")),
            3004, new ClassFacts("Entity Management", 3, List.of("entity"), Map.ofEntries(entry(1, "Create"),
                    entry(2, "Read"), entry(3, "Update"), entry(4, "Delete"), entry(5, "Move"), entry(6, "Enroll"),
                    entry(7, "Unenroll"), entry(8, "Enable"), entry(9, "Disable"), entry(10, "Activate"),
                    entry(11, "Deactivate"), entry(12, "Suspend"), entry(13, "Resume"))),
            3005, new ClassFacts("User Access Management", 3, List.of("privileges", "user"),
                    Map.of(1, "Assign Privileges", 2, "Revoke Privileges")),
            3006, new ClassFacts("Group Management", 3, List.of("group"), Map.of(1, "Assign Privileges",
                    2, "Revoke Privileges", 3, "Add User", 4, "Remove User", 5, "Delete", 6, "Create",
                    7, "Add Subgroup", 8, "Remove Subgroup")),
            6003, new ClassFacts("API Activity", 6, List.of("actor", "api", "src_endpoint"),
                    Map.of(1, "Create", 2, "Read", 3, "Update", 4, "Delete")),
            6004, new ClassFacts("Web Resource Access Activity", 6, List.of("http_request", "web_resources"),
                    Map.of(1, "Access Grant", 2, "Access Deny", 3, "Access Revoke", 4, "Access Error")),
            2004, new ClassFacts("Detection Finding", 2, List.of("finding_info"),
                    Map.of(1, "Create", 2, "Update", 3, "Close")));

    /** dictionary.json: severity_id. */
    static final Map<Integer, String> SEVERITY = Map.of(0, "Unknown", 1, "Informational", 2, "Low", 3, "Medium",
            4, "High", 5, "Critical", 6, "Fatal", 99, "Other");
    /** dictionary.json: status_id of activity events. */
    static final Map<Integer, String> STATUS = Map.of(0, "Unknown", 1, "Success", 2, "Failure", 99, "Other");
    /** finding.json: a finding's status_id is its triage state. */
    static final Map<Integer, String> FINDING_STATUS = Map.of(1, "New", 2, "In Progress", 3, "Suppressed",
            4, "Resolved", 5, "Archived", 6, "Deleted");
    /** objects/user.json: type_id. */
    static final Map<Integer, String> USER_TYPE = Map.of(0, "Unknown", 1, "User", 2, "Admin", 3, "System",
            4, "Service", 99, "Other");

    private final EventFormat format = new OcsfFormat();

    @Test
    void everyCatalogueTypeHasAMapping() {
        assertThat(OcsfFormat.mappings().keySet())
                .containsExactlyElementsOf(EventCatalog.all().stream().map(EventType::name).toList());
    }

    @Test
    void everyOutputOfEveryCatalogueTypeSatisfiesTheSchema() throws IOException {
        for (EventType t : EventCatalog.all()) {
            AuditEvent sample = Fixtures.event(t);
            EntryPosition integrity = Fixtures.integrity(t).orElseThrow();
            List<AuditEvent> variants = new ArrayList<>();
            variants.add(sample);
            variants.add(AuditEvent.builder(t).id(sample.id()).timestamp(sample.timestamp()).build());
            for (Outcome o : Outcome.values()) {
                variants.add(sample.toBuilder().outcome(o).build());
            }
            for (AuditEvent e : variants) {
                JsonNode out = JSON.readTree(format.format(e, Optional.of(integrity)));
                checkSchema(t.name(), out);
                assertThat(out.get("time").asLong()).as(t.name()).isEqualTo(e.timestamp().toEpochMilli());
                assertThat(out.at("/metadata/uid").asText()).isEqualTo(e.id().toString());
                assertThat(out.at("/unmapped/vigil/seq").asLong()).isEqualTo(integrity.seq());
                assertThat(out.at("/unmapped/vigil/hash").asText()).isEqualTo(integrity.hash());
                if (out.get("class_uid").asInt() == 6004 && e.outcome() == Outcome.DENIED) {
                    assertThat(out.get("activity_id").asInt()).as(t.name()).isEqualTo(2);
                }
                if (out.get("class_uid").asInt() != 2004) {
                    assertThat(out.get("status_id").asInt()).as(t.name())
                            .isEqualTo(e.outcome() == Outcome.SUCCESS ? 1 : 2);
                }
            }
        }
    }

    @Test
    void aCustomTypeIsApiActivityOther() throws IOException {
        AuditEvent e = Fixtures.event(EventCatalog.DATA_READ).toBuilder().type("x.billing.invoice_voided").build();
        JsonNode out = JSON.readTree(format.format(e, Optional.empty()));
        checkSchema(e.type(), out);
        assertThat(out.get("class_uid").asInt()).isEqualTo(6003);
        assertThat(out.get("activity_id").asInt()).isEqualTo(99);
        assertThat(out.get("activity_name").asText()).isEqualTo("x.billing.invoice_voided");
    }

    @Test
    void everyGoldenFileSatisfiesTheSchema() throws IOException {
        for (EventType t : Fixtures.types()) {
            String name = "ocsf/" + t.name() + ".json";
            checkSchema(name, JSON.readTree(Goldens.read(name).orElseThrow(() -> new AssertionError("no " + name))));
        }
    }

    @Test
    void theChecksRefuseABrokenMapping() throws IOException {
        // the checks can fail: each edit breaks one fact the mapper must keep
        String line = format.format(Fixtures.event(EventCatalog.AUTH_LOGIN_FAILURE), Optional.empty());
        List<Consumer<ObjectNode>> breaks = List.of(
                o -> o.remove("user"),
                o -> o.remove("metadata"),
                o -> o.put("type_uid", 300202),
                o -> o.put("activity_name", "Logoff"),
                o -> o.put("activity_id", 8),
                o -> o.put("severity_id", 7),
                o -> o.put("status", "Success"),
                o -> o.put("category_uid", 6),
                o -> o.put("time", "2026-03-14T09:26:53.589Z"),
                o -> o.remove("service"),
                o -> ((ObjectNode) o.get("user")).removeAll());
        for (Consumer<ObjectNode> edit : breaks) {
            ObjectNode o = (ObjectNode) JSON.readTree(line);
            checkSchema("intact", o);
            edit.accept(o);
            assertThatThrownBy(() -> checkSchema("broken", o)).isInstanceOf(AssertionError.class);
        }
    }

    void checkSchema(String what, JsonNode o) {
        int classUid = o.path("class_uid").asInt();
        ClassFacts c = CLASSES.get(classUid);
        assertThat(c).as("%s: class_uid %s is a class of 1.8.0", what, classUid).isNotNull();
        for (String required : Stream.concat(BASE_REQUIRED.stream(), c.required().stream()).toList()) {
            assertThat(o.has(required)).as("%s: required %s", what, required).isTrue();
            assertThat(o.get(required).isNull()).as("%s: required %s", what, required).isFalse();
        }
        assertThat(o.get("class_name").asText()).as(what).isEqualTo(c.name());
        assertThat(o.get("category_uid").asInt()).as(what).isEqualTo(c.categoryUid());
        assertThat(o.get("category_name").asText()).as(what).isEqualTo(CATEGORIES.get(c.categoryUid()));

        int activity = o.get("activity_id").asInt();
        String activityName = o.get("activity_name").asText();
        if (activity == 99) {
            assertThat(activityName).as("%s: 99 Other carries the source's label", what).isNotBlank();
        } else {
            assertThat(c.activities()).as(what).containsEntry(activity, activityName);
        }
        assertThat(o.get("type_uid").asLong()).as("%s: type_uid", what).isEqualTo(classUid * 100L + activity);
        assertThat(o.get("type_name").asText()).as(what).isEqualTo(c.name() + ": " + activityName);

        assertThat(SEVERITY).as(what).containsEntry(o.get("severity_id").asInt(), o.get("severity").asText());
        Map<Integer, String> status = classUid == 2004 ? FINDING_STATUS : STATUS;
        assertThat(status).as(what).containsEntry(o.get("status_id").asInt(), o.get("status").asText());
        assertThat(o.get("time").isIntegralNumber()).as("%s: time in ms", what).isTrue();

        JsonNode md = o.get("metadata");
        assertThat(md.path("version").asText()).as(what).isEqualTo("1.8.0");
        assertThat(md.path("product").path("name").asText()).as(what).isEqualTo("Vigil");

        // objects' own requirements and constraints
        for (String userPath : List.of("/user", "/actor/user")) {
            JsonNode u = o.at(userPath);
            if (!u.isMissingNode()) {
                assertAtLeastOne(what + userPath, u, "account", "name", "uid");
                if (u.has("type_id")) {
                    assertThat(USER_TYPE).as(what).containsKey(u.get("type_id").asInt());
                    if (u.get("type_id").asInt() != 99) {
                        assertThat(USER_TYPE.get(u.get("type_id").asInt())).isEqualTo(u.get("type").asText());
                    }
                }
            }
        }
        if (o.has("actor")) {
            assertAtLeastOne(what + " actor", o.get("actor"), "process", "user", "invoked_by", "session",
                    "app_name", "app_uid");
        }
        if (o.has("src_endpoint")) {
            assertAtLeastOne(what + " src_endpoint", o.get("src_endpoint"), "ip", "uid", "name", "hostname",
                    "svc_name", "instance_uid", "interface_uid", "interface_name", "domain");
        }
        switch (classUid) {
            case 3002 -> assertAtLeastOne(what, o, "service", "dst_endpoint");
            case 3003 -> assertThat(o.has("privileges") ^ o.has("group")).as("%s: just one", what).isTrue();
            case 3004 -> assertAtLeastOne(what + " entity", o.get("entity"), "name", "uid", "device", "group",
                    "org", "policy", "user");
            case 3005 -> assertThat(o.get("privileges").isArray() && !o.get("privileges").isEmpty()).isTrue();
            case 6003 -> assertThat(o.at("/api/operation").asText()).as(what).isNotBlank();
            case 6004 -> assertThat(o.get("web_resources").isArray()).as(what).isTrue();
            case 2004 -> {
                assertThat(o.at("/finding_info/uid").asText()).as(what).isNotBlank();
                for (JsonNode ev : o.path("evidences")) {
                    assertThat(ev.isEmpty()).as("%s: an evidence holds something", what).isFalse();
                }
            }
            default -> {
            }
        }
    }

    private static void assertAtLeastOne(String what, JsonNode node, String... names) {
        assertThat(Set.of(names).stream().anyMatch(node::has)).as("%s: at least one of %s", what, Set.of(names))
                .isTrue();
    }
}
