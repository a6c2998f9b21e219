package io.vigil.siem;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.event.EventType;
import io.vigil.siem.internal.OcsfFormat;
import io.vigil.sink.EventFormat;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each catalogue type's sample event in OCSF, against a reviewed golden file. Run with
 * {@code -Dvigil.golden.update=true} to rewrite the goldens from the code, then review the diff.
 */
class OcsfGoldenTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final EventFormat format = new OcsfFormat();

    @TestFactory
    Stream<DynamicTest> everyCatalogueTypeMatchesItsGoldenFile() {
        return Fixtures.types().stream().map(t -> DynamicTest.dynamicTest(t.name(), () -> check(t)));
    }

    private void check(EventType type) throws IOException {
        String line = format.format(Fixtures.event(type), Fixtures.integrity(type));
        assertThat(line).doesNotContain("\n", "\r");
        JsonNode actual = JSON.readTree(line);
        String name = "ocsf/" + type.name() + ".json";
        if (Goldens.updating()) {
            Goldens.write(name, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(actual) + "\n");
            return;
        }
        String golden = Goldens.read(name).orElseThrow(() -> new AssertionError("no golden file " + name
                + "; run with -Dvigil.golden.update=true"));
        assertThat(actual).isEqualTo(JSON.readTree(golden));
    }
}
