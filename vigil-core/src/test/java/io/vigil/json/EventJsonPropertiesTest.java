package io.vigil.json;

import io.vigil.event.AuditEvent;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

class EventJsonPropertiesTest {
    private static final Set<String> LEDGER_EXTRAS = Set.of("seq", "prevHash", "hash");
    private static final Pattern SYNTAX_ERROR = Pattern.compile("invalid JSON at line \\d+");
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
    void membersSplicedInAtTheirSlotsGiveTheObjectWrittenWithThem(@ForAll("events") AuditEvent e,
            @ForAll @LongRange(min = 0, max = 1L << 53) long seq) { // JSON numbers are exact up to 2^53
        String prevHash = "0f".repeat(32);
        CanonicalBuffer entry = new CanonicalBuffer(64);
        int hashAt = EventJson.writeCanonical(e, ExtraMembers.of("prevHash", "seq"), new Object[] {prevHash, seq},
                entry, "hash");

        CanonicalBuffer template = new CanonicalBuffer(8);
        template.appendAscii('x'); // the template need not start at offset 0
        int[] table = new int[5];
        EventJson.writeWithSlots(e, ExtraMembers.of("hash", "prevHash", "seq"), template, table, 2);
        int[] slots = {table[2], table[3], table[4]};
        byte[] t = template.toByteArray();
        assertThat(slots[0]).isGreaterThan(1).isLessThanOrEqualTo(slots[1]);
        assertThat(slots[1]).isLessThanOrEqualTo(slots[2]);
        assertThat(slots[2]).isLessThan(t.length);
        String spliced = utf8(t, 1, slots[1]) + ",\"prevHash\":\"" + prevHash + "\"" + utf8(t, slots[1], slots[2])
                + ",\"seq\":" + seq + utf8(t, slots[2], t.length);
        assertThat(spliced).isEqualTo(entry.toString());
        // the hash slot falls where the insert offset says the hash member goes (before prevHash, so same offset)
        assertThat(slots[0] - 1).isEqualTo(hashAt);
    }

    private static String utf8(byte[] b, int from, int to) {
        return new String(b, from, to - from, StandardCharsets.UTF_8);
    }

    @Property(tries = 2_000)
    void readsBackAsTheSameEvent(@ForAll("events") AuditEvent e) {
        assertThat(EventJson.parse(EventJson.toCanonicalString(e))).isEqualTo(e);
    }

    @Property(tries = 2_000)
    void readsBackFromUtf8AsTheSameEvent(@ForAll("events") AuditEvent e) {
        assertThat(EventJson.parse(EventJson.toCanonicalBytes(e))).isEqualTo(e);
    }

    /**
     * Reading UTF-8 takes its own path (Jackson's byte parser for ASCII); on any text, valid or damaged, it must give
     * what reading the decoded string gives: the same event, or a refusal with the same message. Only the wording of
     * Jackson's own syntax errors differs between its two parsers, so for those both must refuse the text as invalid JSON on the same line.
     */
    @Property(tries = 3_000)
    void readingUtf8AgreesWithReadingTheText(@ForAll("events") AuditEvent e, @ForAll("damage") String insert,
                                             @ForAll @IntRange(min = 0, max = 1_000) int at,
                                             @ForAll @IntRange(min = 0, max = 3) int cut) {
        String json = EventJson.toCanonicalString(e);
        int from = Math.min(at, json.length());
        String damaged = json.substring(0, from) + insert + json.substring(Math.min(json.length(), from + cut));
        byte[] utf8 = damaged.getBytes(StandardCharsets.UTF_8);
        Assume.that(new String(utf8, StandardCharsets.UTF_8).equals(damaged)); // a cut may split a surrogate pair
        Object fromText = outcome(() -> EventJson.parse(damaged));
        Object fromUtf8 = outcome(() -> EventJson.parse(utf8));
        assertThat(fromUtf8).isEqualTo(fromText);
    }

    @Provide
    Arbitrary<String> damage() {
        return Arbitraries.of("", "null", "\"x\":1,", "\"v\":1,", "\"tenant\":null,", "\u0000", "\u00e9", "}", "[", ",",
                "\"", "\\", "1e999", "\"details\":{\"a\":null},", " ", "\u65e5\u672c", "\ud83d\ude00");
    }

    private static Object outcome(Supplier<AuditEvent> read) {
        try {
            return read.get();
        } catch (EventJsonException x) {
            Matcher syntax = SYNTAX_ERROR.matcher(x.getMessage());
            return "refused: " + (syntax.lookingAt() ? syntax.group() : x.getMessage());
        }
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
