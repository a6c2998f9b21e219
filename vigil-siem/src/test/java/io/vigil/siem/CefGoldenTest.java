package io.vigil.siem;

import io.vigil.event.EventType;
import io.vigil.siem.internal.CefFormat;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Every catalogue type's CEF line equals its golden file. */
class CefGoldenTest {
    private final CefFormat format = new CefFormat("0.1.0");

    static List<EventType> types() {
        return Fixtures.types();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("types")
    void matchesGolden(EventType type) {
        String line = format.format(Fixtures.event(type), Fixtures.integrity(type));
        String name = "cef/" + type.name() + ".cef";
        if (Goldens.updating()) {
            Goldens.write(name, line + "\n");
            return;
        }
        String golden = Goldens.read(name).orElseThrow(() -> new AssertionError("no golden file " + name));
        assertThat(line + "\n").isEqualTo(golden);
    }
}
