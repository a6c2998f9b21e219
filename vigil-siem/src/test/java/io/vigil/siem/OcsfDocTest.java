package io.vigil.siem;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.event.EventCatalog;
import io.vigil.event.EventType;
import io.vigil.siem.internal.OcsfFormat;
import io.vigil.sink.EventFormat;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** Keeps the OCSF table of {@code docs/siem.md} equal to what the mapper writes for each type's default outcome. */
class OcsfDocTest {
    /** Relative to the module directory, surefire's working directory. */
    private static final Path DOC = Path.of("..", "docs", "siem.md");
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void theCatalogueTableMatchesTheMapper() throws IOException {
        String doc = Files.readString(DOC, StandardCharsets.UTF_8);
        int from = doc.indexOf("### Catalogue types", doc.indexOf("## OCSF"));
        String table = doc.substring(from, doc.indexOf("\n### ", from + 1));
        List<String> documented = table.lines().filter(l -> l.startsWith("| `")).toList();

        List<String> expected = new ArrayList<>();
        EventFormat format = new OcsfFormat();
        for (EventType t : EventCatalog.all()) {
            JsonNode o = JSON.readTree(format.format(Fixtures.event(t), Optional.empty()));
            expected.add("| `" + t.name() + "` | " + o.get("class_name").asText() + " (" + o.get("class_uid").asInt()
                    + ") | " + o.get("activity_id").asInt() + " " + o.get("activity_name").asText() + " |");
        }
        assertThat(documented).containsExactlyElementsOf(expected);
    }
}
