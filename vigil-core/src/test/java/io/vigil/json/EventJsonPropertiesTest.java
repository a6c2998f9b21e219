package io.vigil.json;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.event.AuditEvent;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.LongRange;

class EventJsonPropertiesTest {
    private static final Set<String> LEDGER_EXTRAS = Set.of("seq", "prevHash", "hash");
    private final CanonicalBuffer reused = new CanonicalBuffer(16);

    @Provide
    Arbitrary<AuditEvent> events() {
        return JsonArbitraries.events();
    }

    @Property(tries = 2_000)
    void splicingAMemberAtTheReportedOffsetGivesTheCanonicalObjectWithIt(@ForAll("events") AuditEvent e,
                                                                        @ForAll @LongRange(min = 0) long seq) {
        String hash = "ab".repeat(32);
        Map<String, Object> without = new LinkedHashMap<>();
        without.put("seq", seq);
        without.put("prevHash", "cd".repeat(32));
        CanonicalBuffer c = new CanonicalBuffer(64);
        int at = EventJson.writeCanonical(e, without, c, "hash");
        String cn = c.toString();
        int charAt = new String(c.toByteArray(), 0, at, StandardCharsets.UTF_8).length();
        String spliced = cn.substring(0, charAt) + ",\"hash\":\"" + hash + "\"" + cn.substring(charAt);
        Map<String, Object> with = new LinkedHashMap<>(without);
        with.put("hash", hash);
        CanonicalBuffer full = new CanonicalBuffer(64);
        EventJson.writeCanonical(e, with, full);
        assertThat(spliced).isEqualTo(full.toString());
    }

    @Property(tries = 2_000)
    void readsBackAsTheSameEvent(@ForAll("events") AuditEvent e) {
        assertThat(EventJson.parse(EventJson.toCanonicalString(e))).isEqualTo(e);
    }

    @Property(tries = 2_000)
    void writesCanonicalJson(@ForAll("events") AuditEvent e) {
        String json = EventJson.toCanonicalString(e);
        assertThat(CanonicalJson.canonicalize(json)).isEqualTo(json);
        assertThat(EventJson.toCanonicalBytes(e)).isEqualTo(json.getBytes(StandardCharsets.UTF_8));
    }

    @Property(tries = 2_000)
    void equalsTheCanonicalFormOfAnyOtherSerialization(@ForAll("events") AuditEvent e) throws Exception {
        String other = CanonicalJsonPropertiesTest.JACKSON.writeValueAsString(EventJsonTest.plainMap(e));
        assertThat(EventJson.toCanonicalString(e)).isEqualTo(CanonicalJson.canonicalize(other));
    }

    @Property(tries = 1_000)
    void ledgerExtrasGoInTheirCanonicalPlace(@ForAll("events") AuditEvent e,
                                             @ForAll @LongRange(min = 0, max = 1L << 53) long seq) throws Exception {
        Map<String, Object> extras = new LinkedHashMap<>();
        extras.put("seq", seq);
        extras.put("prevHash", "ab".repeat(32));
        extras.put("hash", "cd".repeat(32));
        reused.reset();
        EventJson.writeCanonical(e, extras, reused);
        String line = reused.toString();

        Map<String, Object> plain = EventJsonTest.plainMap(e);
        plain.putAll(extras);
        assertThat(line).isEqualTo(CanonicalJson.canonicalize(CanonicalJsonPropertiesTest.JACKSON.writeValueAsString(plain)));

        ParsedEvent parsed = EventJson.parseLine(line, LEDGER_EXTRAS);
        assertThat(parsed.event()).isEqualTo(e);
        assertThat(parsed.extras()).isEqualTo(extras);
    }

    @Property(tries = 500)
    void aReusedBufferWritesTheSameBytesAsAFreshOne(@ForAll("events") AuditEvent a, @ForAll("events") AuditEvent b) {
        reused.reset();
        EventJson.writeCanonical(a, reused);
        reused.reset();
        EventJson.writeCanonical(b, reused);
        assertThat(reused.toByteArray()).isEqualTo(EventJson.toCanonicalBytes(b));
    }
}
