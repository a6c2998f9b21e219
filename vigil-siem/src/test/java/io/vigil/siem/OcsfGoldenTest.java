package io.vigil.siem;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.event.EventCatalog;
import io.vigil.event.EventType;
import io.vigil.siem.internal.OcsfFormat;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each catalogue type's sample event in OCSF, against a reviewed golden file. Run with
 * {@code -Dvigil.golden.update=true} to rewrite the goldens from the code, then review the diff.
 */
class OcsfGoldenTest {
    static final Path DIR = Path.of("src/test/resources/io/vigil/siem/golden/ocsf");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final boolean UPDATE = Boolean.getBoolean("vigil.golden.update");

    private final SiemFormat format = new OcsfFormat();

    @TestFactory
    Stream<DynamicTest> everyCatalogueTypeMatchesItsGoldenFile() {
        return EventCatalog.all().stream().map(t -> DynamicTest.dynamicTest(t.name(), () -> check(t)));
    }

    private void check(EventType type) throws IOException {
        String line = format.format(SampleEvents.of(type), Optional.of(SampleEvents.INTEGRITY));
        assertThat(line).doesNotContain("\n", "\r");
        JsonNode actual = JSON.readTree(line);
        Path golden = DIR.resolve(type.name() + ".json");
        if (UPDATE) {
            Files.createDirectories(DIR);
            Files.writeString(golden, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(actual) + "\n",
                    StandardCharsets.UTF_8);
        }
        assertThat(golden).as("golden file for %s; run with -Dvigil.golden.update=true", type.name()).exists();
        assertThat(actual).isEqualTo(JSON.readTree(Files.readString(golden, StandardCharsets.UTF_8)));
    }
}
