package io.vigil.siem;

import io.vigil.event.AuditEvent;
import io.vigil.event.EventType;
import io.vigil.siem.internal.CefFormat;
import io.vigil.siem.internal.EcsMapping;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** The per-type tables of {@code docs/siem.md} say what the code does. */
class SiemDocsTest {
    private static String ecsSection;
    private static String cefSection;

    static List<EventType> types() {
        return Fixtures.types();
    }

    @BeforeAll
    static void read() throws IOException {
        // The tests run from the module's directory; the docs are one level up.
        String doc = Files.readString(Path.of("../docs/siem.md"), StandardCharsets.UTF_8);
        int ecs = doc.indexOf("\n## ECS\n");
        int cef = doc.indexOf("\n## CEF\n");
        assertThat(ecs).isPositive();
        assertThat(cef).isGreaterThan(ecs);
        int after = doc.indexOf("\n## ", cef + 1);
        ecsSection = doc.substring(ecs, cef);
        cefSection = doc.substring(cef, after < 0 ? doc.length() : after);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("types")
    void ecsRow(EventType type) {
        EcsMapping m = EcsMapping.of(type.name(), type.category());
        String outcome = type.outcome().jsonName().equals("success") ? "success" : "failure";
        AuditEvent event = Fixtures.event(type);
        String severity = new CefFormat("0").format(event, Optional.empty()).split("\\|")[6];
        assertThat(ecsSection).contains("| `" + type.name() + "` | " + m.kind() + " | "
                + String.join(", ", m.categories()) + " | " + String.join(", ", m.types()) + " | " + outcome
                + " | " + severity + " |\n");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("types")
    void cefRow(EventType type) {
        String[] header = new CefFormat("0").format(Fixtures.event(type), Optional.empty()).split("\\|");
        assertThat(cefSection).contains("| `" + header[4] + "` | " + header[5] + " | " + header[6] + " |\n");
    }
}
