package io.vigil.siem;

import io.vigil.AuditLog;
import io.vigil.config.ConfigLoader;
import io.vigil.event.AuditEvent;
import io.vigil.event.EventType;
import io.vigil.json.EventJson;
import io.vigil.sink.EventFormat;
import io.vigil.sink.EventFormats;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** A sink's {@code format} in configuration picks the line its events become, through the core's format lookup. */
class ConfiguredFormatTest {
    @TempDir
    Path dir;

    @Test
    void theCoreFindsEveryFormatOfThisModule() {
        assertThat(EventFormats.names()).containsExactly("jsonl", "ocsf", "ecs", "cef");
        for (String name : EventFormats.names()) {
            assertThat(EventFormats.named(name)).as(name).get().extracting(EventFormat::name).isEqualTo(name);
        }
        assertThat(EventFormats.named("leef")).isEmpty();
    }

    @Test
    void fileSinksWriteTheFormatTheirDeclarationNames() throws IOException {
        String yaml = """
                enabled: true
                sinks:
                  - {type: file, name: jsonl, path: %1$s/a.jsonl}
                  - {type: file, name: ocsf, path: %1$s/a.ocsf, format: ocsf}
                  - {type: file, name: ecs, path: %1$s/a.ecs, format: ecs}
                  - {type: file, name: cef, path: %1$s/a.cef, format: cef}
                """.formatted(dir);
        List<EventType> types = Fixtures.types();
        List<AuditEvent> events = types.stream().map(Fixtures::event).toList();
        try (AuditLog log = AuditLog.builder().config(ConfigLoader.parseYaml(yaml, "app.yml")).selfAudit(false)
                .build()) {
            for (AuditEvent e : events) {
                log.record(e).join();
            }
        }
        // The events as the sinks got them, after redaction: the JSONL file holds them exactly.
        List<AuditEvent> written = Files.readAllLines(dir.resolve("a.jsonl")).stream().map(EventJson::parse).toList();
        assertThat(written).extracting(AuditEvent::id).containsExactlyElementsOf(
                events.stream().map(AuditEvent::id).toList());
        for (String format : List.of("ocsf", "ecs", "cef")) {
            EventFormat f = EventFormats.require(format);
            List<String> expected = written.stream().map(e -> f.format(e, Optional.empty())).toList();
            assertThat(Files.readAllLines(dir.resolve("a." + format))).as(format).isEqualTo(expected);
        }
    }
}
