package io.vigil.json;

import io.vigil.event.AuditEvent;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link ExtraMembers}: names checked once, then written per event without a map, as the map-taking writer does. */
class ExtraMembersTest {
    private static final AuditEvent EVENT = EventJsonTest.fullEvent();

    @Test
    void namesMustBeInCanonicalOrderDistinctAndNoEventField() {
        assertThat(ExtraMembers.of("prevHash", "seq").names()).containsExactly("prevHash", "seq");
        assertThatThrownBy(() -> ExtraMembers.of("seq", "prevHash")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("canonical order");
        assertThatThrownBy(() -> ExtraMembers.of("seq", "seq")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ExtraMembers.of("type")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("extra field 'type' collides with the event field of that name");
    }

    @Test
    void writesTheSameBytesAndInsertOffsetAsTheMapTakingWriter() {
        Map<String, Object> extras = new LinkedHashMap<>();
        extras.put("seq", 41L);
        extras.put("prevHash", "ab".repeat(32));
        CanonicalBuffer byMap = new CanonicalBuffer(64);
        int atByMap = EventJson.writeCanonical(EVENT, extras, byMap, "hash");
        CanonicalBuffer byMembers = new CanonicalBuffer(64);
        int atByMembers = EventJson.writeCanonical(EVENT, ExtraMembers.of("prevHash", "seq"),
                new Object[] {"ab".repeat(32), 41L}, byMembers, "hash");
        assertThat(byMembers.toString()).isEqualTo(byMap.toString());
        assertThat(atByMembers).isEqualTo(atByMap);
    }

    @Test
    void valuesMustMatchTheMembersAndTheInsertNameMustBeNew() {
        ExtraMembers members = ExtraMembers.of("prevHash", "seq");
        CanonicalBuffer out = new CanonicalBuffer(64);
        assertThatThrownBy(() -> EventJson.writeCanonical(EVENT, members, new Object[] {"x"}, out, "hash"))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("2 member value(s) expected, 1 given");
        assertThatThrownBy(() -> EventJson.writeCanonical(EVENT, members, new Object[] {"x", null}, out, "hash"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'seq' is null");
        assertThatThrownBy(() -> EventJson.writeCanonical(EVENT, members, new Object[] {"x", 1L}, out, "seq"))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("'seq' is already a member of the object");
        assertThat(out.length()).isZero();
    }
}
