package io.vigil.siem;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.event.Actor;
import io.vigil.event.ActorType;
import io.vigil.event.AuditEvent;
import io.vigil.event.EventCatalog;
import io.vigil.event.EventType;
import io.vigil.event.Outcome;
import io.vigil.event.Target;
import io.vigil.siem.internal.OcsfFormat;
import io.vigil.sink.EntryPosition;
import io.vigil.sink.EventFormat;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.io.IOException;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** Whatever the event, OCSF output is one line of JSON that parses back, with the integrity when it is given. */
class OcsfFormatPropertiesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final EventFormat format = new OcsfFormat();

    @Provide
    Arbitrary<AuditEvent> events() {
        // odd text: control characters, line breaks, quotes, backslashes, non-BMP characters
        Arbitrary<String> plain = Arbitraries.strings().withCharRange(' ', '~').withChars('\n', '\r', '\t', '"',
                '\\', '\u2028', '\u00e9', '\u0001').ofMinLength(1).ofMaxLength(40)
                .filter(s -> !s.isBlank()); // the model refuses blank ids and names
        Arbitrary<String> text = Arbitraries.oneOf(plain, plain.map(s -> s + "\uD83D\uDE00" + s)); // a whole pair
        Arbitrary<EventType> types = Arbitraries.of(EventCatalog.all());
        Arbitrary<Actor> actors = Combinators.combine(Arbitraries.of(ActorType.class), text.optional(),
                text.optional(), Arbitraries.of("203.0.113.7", "2001:db8::1").optional(), text.optional())
                .as((t, id, name, ip, ua) -> new Actor(t, id, name, ip, ua));
        Arbitrary<Target> targets = Combinators.combine(text, text.optional(), text.optional()).as(Target::new);
        return Combinators.combine(types, actors.optional(), targets.optional(), text.optional(), text,
                Arbitraries.of(Outcome.class), Arbitraries.longs().between(0, 4_102_444_800_000L),
                Arbitraries.doubles().between(0, 1).optional())
                .as((type, actor, target, reason, detail, outcome, millis, risk) -> {
                    AuditEvent.Builder b = AuditEvent.builder(type).id(UUID.randomUUID())
                            .timestamp(Instant.ofEpochMilli(millis)).outcome(outcome)
                            .actor(actor.orElse(null)).target(target.orElse(null)).reason(reason.orElse(null))
                            .detail(detail, detail + "\n" + detail).detail("n", millis);
                    risk.ifPresent(b::riskScore);
                    return b.build();
                });
    }

    @Property(tries = 1_000)
    void oneLineOfValidJsonWithTheIntegrity(@ForAll("events") AuditEvent e) throws IOException {
        EntryPosition integrity = new EntryPosition(e.timestamp().toEpochMilli() % 100_000, "0a".repeat(32));
        String line = format.format(e, Optional.of(integrity));
        assertThat(line).doesNotContain("\n", "\r").doesNotEndWith("\n");
        JsonNode o = JSON.readTree(line);
        assertThat(o.isObject()).isTrue();
        assertThat(JSON.writeValueAsString(o)).isEqualTo(line);
        assertThat(o.at("/unmapped/vigil/seq").asLong()).isEqualTo(integrity.seq());
        assertThat(o.at("/unmapped/vigil/hash").asText()).isEqualTo(integrity.hash());
        assertThat(o.get("time").asLong()).isEqualTo(e.timestamp().toEpochMilli());
        assertThat(o.get("type_uid").asLong())
                .isEqualTo(o.get("class_uid").asLong() * 100 + o.get("activity_id").asLong());
        new OcsfSchemaFactsTest().checkSchema(e.type(), o);
    }

    @Property(tries = 200)
    void withoutIntegrityThereIsNoSeqOrHash(@ForAll("events") AuditEvent e) throws IOException {
        JsonNode o = JSON.readTree(format.format(e, Optional.empty()));
        assertThat(o.at("/unmapped/vigil").has("seq")).isFalse();
        assertThat(o.at("/unmapped/vigil").has("hash")).isFalse();
    }
}
