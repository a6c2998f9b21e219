package io.vigil.siem;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.event.EventType;
import io.vigil.siem.internal.EcsFormat;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Every catalogue type's ECS document equals its golden file, compared as JSON trees. */
class EcsGoldenTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final EcsFormat format = new EcsFormat();

    static List<EventType> types() {
        return Fixtures.types();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("types")
    void matchesGolden(EventType type) throws Exception {
        String line = format.format(Fixtures.event(type), Fixtures.integrity(type));
        assertThat(line).doesNotContain("\n", "\r");
        JsonNode actual = JSON.readTree(line);
        String name = "ecs/" + type.name() + ".json";
        if (Goldens.updating()) {
            Goldens.write(name, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(actual) + "\n");
            return;
        }
        String golden = Goldens.read(name).orElseThrow(() -> new AssertionError("no golden file " + name));
        assertThat(actual).isEqualTo(JSON.readTree(golden));
    }
}
