package io.vigil.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.event.AuditEvent;
import io.vigil.json.EventJson;
import io.vigil.ledger.FileLayout;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

class QueryCommandTest {
    private static final Set<String> LEDGER = Set.of("seq", "prevHash", "hash");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path shared;
    static Path demo;
    static List<String> all;

    @BeforeAll
    static void writeDemo() throws Exception {
        demo = Cli.demo(shared.resolve("demo"), 4000, 21);
        all = Files.readAllLines(demo.resolve("segments/00000000000000000000.jsonl"));
    }

    private static AuditEvent event(String line) {
        return EventJson.parseLine(line, LEDGER).event();
    }

    private static List<String> lines(Cli.Result r) {
        assertThat(r.exit()).as(r.toString()).isEqualTo(0);
        return r.out().isEmpty() ? List.of() : List.of(r.out().split("\n"));
    }

    private static List<String> expected(Predicate<AuditEvent> p) {
        return all.stream().filter(l -> p.test(event(l))).toList();
    }

    @Test
    void filtersByTypeOutcomeActorAndIp() {
        List<String> failures = lines(Cli.run("query", demo.toString(), "--type", "auth.login.failure"));
        assertThat(failures).isNotEmpty().isEqualTo(expected(e -> e.type().equals("auth.login.failure")));

        List<String> denied = lines(Cli.run("query", demo.toString(), "--outcome", "denied"));
        assertThat(denied).isNotEmpty().isEqualTo(expected(e -> e.outcome().jsonName().equals("denied")));

        List<String> alice = lines(Cli.run("query", demo.toString(), "--actor", "alice"));
        assertThat(alice).isNotEmpty()
                .isEqualTo(expected(e -> e.actor().flatMap(a -> a.id()).filter("alice"::equals).isPresent()));

        List<String> bruteForce = lines(Cli.run("query", demo.toString(), "--ip", "203.0.113.66", "--type",
                "auth.login.failure"));
        assertThat(bruteForce).as("the burst of 25 failed logins").hasSize(25);

        List<String> security = lines(Cli.run("query", demo.toString(), "--type", "security.*"));
        assertThat(security).as("the brute force findings, one per guessed account, and the traveller's")
                .hasSize(6)
                .allMatch(l -> l.contains("\"type\":\"security."));

        List<String> authzDenied = lines(Cli.run("query", demo.toString(), "--category", "authz", "--outcome", "denied"));
        assertThat(authzDenied).isNotEmpty().isEqualTo(expected(e -> e.category().jsonName().equals("authz")
                && e.outcome().jsonName().equals("denied")));
    }

    @Test
    void filtersByResource() {
        List<String> invoices = lines(Cli.run("query", demo.toString(), "--resource", "invoice"));
        assertThat(invoices).isNotEmpty()
                .isEqualTo(expected(e -> e.target().filter(t -> t.type().equals("invoice")).isPresent()));
        AuditEvent first = event(invoices.get(0));
        String id = first.target().get().id().get();
        List<String> one = lines(Cli.run("query", demo.toString(), "--resource", "invoice:" + id));
        assertThat(one).isNotEmpty().allMatch(l -> l.contains("\"id\":\"" + id + "\""));
    }

    @Test
    void findsOneEventById() {
        AuditEvent wanted = event(all.get(1234));
        List<String> one = lines(Cli.run("query", demo.toString(), "--id", wanted.id().toString()));
        assertThat(one).containsExactly(all.get(1234));
        assertThat(one.get(0)).contains("\"seq\":1234,");
        List<String> none = lines(Cli.run("query", demo.toString(), "--id", "00000000-0000-7000-8000-000000000000"));
        assertThat(none).isEmpty();
        Cli.Result bad = Cli.run("query", demo.toString(), "--id", "12345");
        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.err()).contains("--id '12345' is not an event id; expected a UUID");
    }

    @Test
    void filtersByTimeAndLimits() {
        Instant since = event(all.get(1000)).timestamp();
        Instant until = event(all.get(2000)).timestamp();
        List<String> window = lines(Cli.run("query", demo.toString(), "--since", since.toString(), "--until",
                until.toString()));
        assertThat(window).isEqualTo(expected(e -> !e.timestamp().isBefore(since) && e.timestamp().isBefore(until)));
        assertThat(window.get(0)).contains("\"seq\":1000,");
        assertThat(window.get(window.size() - 1)).contains("\"seq\":1999,");

        List<String> offset = lines(Cli.run("query", demo.toString(), "--since", "2026-03-02T09:00:00+01:00"));
        assertThat(offset).as("an offset time: 08:00Z, the start of the demo").hasSize(4000);

        List<String> day = lines(Cli.run("query", demo.toString(), "--since", "2026-03-02", "--until", "2026-03-02"));
        assertThat(day).as("a date means the whole day").hasSize(4000);
        List<String> nextDay = lines(Cli.run("query", demo.toString(), "--since", "2026-03-03"));
        assertThat(nextDay).isEmpty();

        List<String> three = lines(Cli.run("query", demo.toString(), "--outcome", "failure", "--limit", "3"));
        assertThat(three).hasSize(3).isEqualTo(expected(e -> e.outcome().jsonName().equals("failure")).subList(0, 3));
    }

    @Test
    void printsAnAlignedTable() {
        Cli.Result r = Cli.run("query", demo.toString(), "--ip", "203.0.113.66", "--format", "table");
        List<String> rows = lines(r);
        assertThat(rows.get(0)).contains("seq").contains("timestamp").contains("type").contains("outcome")
                .contains("actor").contains("ip").contains("target");
        assertThat(rows.get(1)).matches("[- ]+");
        assertThat(rows.get(rows.size() - 1)).as("25 failures, the guess that worked, the backoff, 11 findings")
                .isEqualTo("(38 entries)");
        int typeColumn = rows.get(0).indexOf("type");
        int ipColumn = rows.get(0).indexOf("ip ");
        for (String row : rows.subList(2, rows.size() - 1)) {
            assertThat(row.substring(typeColumn)).matches("(auth|security|rate_limit)\\..*");
            assertThat(row.substring(ipColumn)).startsWith("203.0.113.66");
        }
        assertThat(rows).anyMatch(l -> l.contains("security.brute.force.detected") && l.contains("user:admin"));
        assertThat(rows).anyMatch(l -> l.contains("auth.login.failure") && l.contains("user:support"));
        assertThat(rows).anyMatch(l -> l.contains("rate_limit.") && l.contains("anonymous"));

        Cli.Result none = Cli.run("query", demo.toString(), "--actor", "nobody", "--format", "table");
        assertThat(lines(none)).last().isEqualTo("(0 entries)");
    }

    @Test
    void readsEverySegmentInOrder(@TempDir Path tmp) throws Exception {
        Path ledger = Cli.smallSegmentLedger(tmp.resolve("l"), 200);
        assertThat(FileLayout.of(ledger).segmentFirstSeqs()).hasSizeGreaterThan(3);
        List<String> got = lines(Cli.run("query", ledger.toString()));
        assertThat(got).hasSize(200);
        for (int i = 0; i < 200; i++) {
            assertThat(got.get(i)).contains("\"seq\":" + i + ",");
        }
        List<String> u1 = lines(Cli.run("query", ledger.toString(), "--actor", "u1", "--resource", "doc:d100"));
        assertThat(u1).hasSize(1).allMatch(l -> l.contains("\"seq\":100,"));
    }

    @Test
    void badInputIsExplainedWithExitCodeTwo(@TempDir Path tmp) {
        Cli.Result category = Cli.run("query", demo.toString(), "--category", "login");
        assertThat(category.exit()).isEqualTo(2);
        assertThat(category.err()).contains("unknown category 'login'").contains("auth, authz, admin");

        Cli.Result outcome = Cli.run("query", demo.toString(), "--outcome", "ok");
        assertThat(outcome.exit()).isEqualTo(2);
        assertThat(outcome.err()).contains("unknown outcome 'ok'").contains("success, failure, denied, error");

        Cli.Result since = Cli.run("query", demo.toString(), "--since", "yesterday");
        assertThat(since.exit()).isEqualTo(2);
        assertThat(since.err()).contains("--since 'yesterday' is not a time").contains("2026-03-02T08:00:00Z");

        Cli.Result order = Cli.run("query", demo.toString(), "--since", "2026-03-03", "--until", "2026-03-02");
        assertThat(order.exit()).isEqualTo(2);
        assertThat(order.err()).contains("must be before");

        Cli.Result limit = Cli.run("query", demo.toString(), "--limit", "0");
        assertThat(limit.exit()).isEqualTo(2);
        assertThat(limit.err()).contains("--limit must be at least 1");

        Cli.Result type = Cli.run("query", demo.toString(), "--type", "Auth Login");
        assertThat(type.exit()).isEqualTo(2);
        assertThat(type.err()).contains("is not an event type").contains("auth.login.failure");

        Cli.Result format = Cli.run("query", demo.toString(), "--format", "xml");
        assertThat(format.exit()).isEqualTo(2);
        assertThat(format.err()).contains("jsonl").contains("table");

        Cli.Result ip = Cli.run("query", demo.toString(), "--ip", "not-an-ip");
        assertThat(ip.exit()).isEqualTo(2);
        assertThat(ip.err()).contains("is not an IP address");

        Cli.Result resource = Cli.run("query", demo.toString(), "--resource", "invoice:");
        assertThat(resource.exit()).isEqualTo(2);
        assertThat(resource.err()).contains("TYPE or TYPE:ID");

        Cli.Result unknownType = Cli.run("query", demo.toString(), "--type", "auth.login.sucess");
        assertThat(unknownType.exit()).as("an unknown type is matched literally, with a hint").isEqualTo(0);
        assertThat(unknownType.err()).contains("not in the event catalogue").contains("auth.login.success");

        Cli.Result notLedger = Cli.run("query", tmp.toString());
        assertThat(notLedger.exit()).isEqualTo(2);
        assertThat(notLedger.err()).contains("not a ledger directory");
    }

    @Test
    void printsEachEventInTheSchemaASiemReadsWithItsSeqAndHash() throws Exception {
        List<String> stored = lines(Cli.run("query", demo.toString(), "--type", "auth.login.failure", "--limit", "5"));
        List<String> ocsf = lines(Cli.run("query", demo.toString(), "--type", "auth.login.failure", "--limit", "5",
                "--format", "ocsf"));
        List<String> ecs = lines(Cli.run("query", demo.toString(), "--type", "auth.login.failure", "--limit", "5",
                "--format", "ecs"));
        List<String> cef = lines(Cli.run("query", demo.toString(), "--type", "auth.login.failure", "--limit", "5",
                "--format", "cef"));
        assertThat(stored).hasSize(5);
        assertThat(ocsf).hasSize(5);
        assertThat(ecs).hasSize(5);
        assertThat(cef).hasSize(5);
        for (int i = 0; i < 5; i++) {
            JsonNode entry = JSON.readTree(stored.get(i));
            long seq = entry.get("seq").asLong();
            String hash = entry.get("hash").asText();
            JsonNode o = JSON.readTree(ocsf.get(i));
            assertThat(o.get("class_uid").asInt()).as("Authentication").isEqualTo(3002);
            assertThat(o.at("/unmapped/vigil/seq").asLong()).isEqualTo(seq);
            assertThat(o.at("/unmapped/vigil/hash").asText()).isEqualTo(hash);
            JsonNode e = JSON.readTree(ecs.get(i));
            assertThat(e.at("/event/action").asText()).isEqualTo("auth.login.failure");
            assertThat(e.at("/event/hash").asText()).isEqualTo(hash);
            assertThat(e.at("/vigil/seq").asLong()).isEqualTo(seq);
            assertThat(cef.get(i)).startsWith("CEF:0|Vigil|Vigil|").contains("|auth.login.failure|")
                    .contains("cn1=" + seq + " ").contains("cs6=" + hash);
        }
        Cli.Result bad = Cli.run("query", demo.toString(), "--format", "leef");
        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.err()).contains("ocsf").contains("ecs").contains("cef");
    }
}
