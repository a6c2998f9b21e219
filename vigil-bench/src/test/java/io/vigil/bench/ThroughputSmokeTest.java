package io.vigil.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs each throughput child on a few events (a few seconds in all) and checks that the three stacks wrote every
 * event with the same content, so the comparison stays apples to apples when any of them changes.
 */
class ThroughputSmokeTest {
    private static final int EVENTS = 1_500;
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void everyStackWritesTheSameEvents(@TempDir Path dir) throws Exception {
        // A small heap and C1 only: this checks correctness, and must stay quick in every build.
        List<String> jvm = new ArrayList<>(List.of("-Xmx256m", "-XX:TieredStopAtLevel=1", "-Xshare:auto"));
        jvm.addAll(ChildLauncher.stackArgs(1024));
        ChildLauncher launcher = new ChildLauncher(jvm);
        List<List<JsonNode>> outputs = new ArrayList<>();
        for (String impl : List.of("vigil-none", "log4j2", "logback")) {
            Path file = dir.resolve(impl + ".jsonl");
            ChildLauncher.Result r = launcher.run(impl, 1, EVENTS, file, 42, 120);
            assertThat(r.ok()).as("%s: %s", impl, r).isTrue();
            assertThat(r.lines()).isEqualTo(EVENTS);
            outputs.add(comparable(file));
        }
        assertThat(outputs.get(1)).as("Log4j2 vs Vigil").isEqualTo(outputs.get(0));
        assertThat(outputs.get(2)).as("Logback vs Vigil").isEqualTo(outputs.get(0));
    }

    /** Each line without the fields only Vigil writes (v, id) and the time, which differs by construction. */
    private static List<JsonNode> comparable(Path file) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            ObjectNode n = (ObjectNode) JSON.readTree(line);
            assertThat(n.path("timestamp").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
            n.remove(List.of("v", "id", "timestamp"));
            out.add(n);
        }
        return out;
    }
}
