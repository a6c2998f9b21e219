package io.vigil.siem.internal.syslog;

import io.vigil.event.Actor;
import io.vigil.event.AuditEvent;
import io.vigil.event.EventCatalog;
import io.vigil.event.Severity;
import io.vigil.sink.EntryPosition;
import io.vigil.sink.EventFormat;
import io.vigil.sink.EventFormats;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class Rfc5424Test {
    private static final UUID ID = UUID.fromString("0b7e4a52-8a7c-4d1e-9a55-3f2c0d7f1e20");
    private static final EventFormat JSONL = EventFormats.jsonl();

    private static AuditEvent event() {
        return AuditEvent.builder(EventCatalog.AUTH_LOGIN_FAILURE).id(ID)
                .timestamp(Instant.parse("2026-03-14T09:26:53.589Z")).tenant("acme")
                .actor(Actor.user("u-1").withName("Zoë")).reason("bad password").build();
    }

    private static Rfc5424 encoder(String hostname) {
        return new Rfc5424(13, hostname, "vigil", "4242", 32473, JSONL);
    }

    private static String text(Rfc5424.Message m) {
        return new String(m.bytes(), StandardCharsets.UTF_8);
    }

    @Test
    void headerStructuredDataAndBodyAreLaidOutAsRfc5424Says() {
        AuditEvent e = event();
        Rfc5424.Message m = encoder("host-1").encode(e, Optional.empty(), 64 * 1024);
        String expected = "<" + (13 * 8 + 5) + ">1 2026-03-14T09:26:53.589Z host-1 vigil 4242 auth.login.failure "
                + "[vigil@32473 id=\"" + ID + "\" type=\"auth.login.failure\" outcome=\"failure\" tenant=\"acme\"] "
                + "\uFEFF" + JSONL.format(e, Optional.empty());
        assertThat(text(m)).isEqualTo(expected);
        assertThat(m.truncated()).isFalse();
        SyslogRecord r = SyslogRecord.parse(m.bytes());
        assertThat(r.bom()).isTrue();
        assertThat(r.params()).containsEntry("id", ID.toString()).doesNotContainKeys("seq", "hash", "truncated");
    }

    @Test
    void severitiesMapToSyslogSeverities() {
        assertThat(Rfc5424.severity(Severity.CRITICAL)).isEqualTo(2);
        assertThat(Rfc5424.severity(Severity.HIGH)).isEqualTo(3);
        assertThat(Rfc5424.severity(Severity.MEDIUM)).isEqualTo(4);
        assertThat(Rfc5424.severity(Severity.LOW)).isEqualTo(5);
        assertThat(Rfc5424.severity(Severity.INFO)).isEqualTo(6);
        AuditEvent critical = event().toBuilder().severity(Severity.CRITICAL).build();
        Rfc5424 local7 = new Rfc5424(23, "h", "a", "1", 1, JSONL);
        assertThat(SyslogRecord.parse(local7.encode(critical, Optional.empty(), 4096).bytes()).pri())
                .isEqualTo(23 * 8 + 2);
    }

    @Test
    void positionIsCarriedWhenKnown() {
        Rfc5424.Message m = encoder("h").encode(event(), Optional.of(new EntryPosition(1042, "ab12")), 4096);
        assertThat(SyslogRecord.parse(m.bytes()).params()).containsEntry("seq", "1042").containsEntry("hash", "ab12");
    }

    @Test
    void headerFieldsArePrintableAsciiOrNil() {
        assertThat(Rfc5424.headerField("", 255)).isEqualTo("-");
        assertThat(Rfc5424.headerField("héllo wörld\n", 255)).isEqualTo("hllowrld");
        assertThat(Rfc5424.headerField("日本", 255)).isEqualTo("-");
        assertThat(Rfc5424.headerField("a".repeat(40), 32)).hasSize(32);
        SyslogRecord r = SyslogRecord.parse(encoder("日本").encode(event(), Optional.empty(), 4096).bytes());
        assertThat(r.hostname()).isEqualTo("-");
    }

    @Test
    void msgIdIsTheTypeCutTo32Characters() {
        AuditEvent e = AuditEvent.builder(EventCatalog.AUTH_LOGIN_FAILURE).id(ID).timestamp(Instant.EPOCH)
                .type("custom.type.with.a.rather.long.name.indeed").build();
        SyslogRecord r = SyslogRecord.parse(encoder("h").encode(e, Optional.empty(), 4096).bytes());
        assertThat(r.msgId()).isEqualTo("custom.type.with.a.rather.long.n");
        assertThat(r.params()).containsEntry("type", "custom.type.with.a.rather.long.name.indeed");
    }

    @Test
    void parameterValuesEscapeQuoteBackslashAndBracket() {
        StringBuilder sb = new StringBuilder();
        Rfc5424.escapeParamValue("a\"b\\c]d[e", sb);
        assertThat(sb).hasToString("a\\\"b\\\\c\\]d[e");
        AuditEvent e = event().toBuilder().tenant("x\"] [y\\").build();
        String raw = text(encoder("h").encode(e, Optional.empty(), 4096));
        assertThat(raw).contains("tenant=\"x\\\"\\] [y\\\\\"]");
        assertThat(SyslogRecord.parse(raw).params()).containsEntry("tenant", "x\"] [y\\");
    }

    @Test
    void parameterNamesKeepOnlyValidCharacters() {
        assertThat(Rfc5424.paramName("a=b c]d\"e")).isEqualTo("abcde");
        assertThat(Rfc5424.paramName("n".repeat(40))).hasSize(32);
    }

    @Test
    void anOversizedBodyIsCutAtACharacterBoundaryAndMarked() {
        AuditEvent e = event().toBuilder().reason("日本😀".repeat(400)).build();
        int full = JSONL.format(e, Optional.empty()).getBytes(StandardCharsets.UTF_8).length;
        for (int max = 480; max < 600; max++) {
            Rfc5424.Message m = encoder("h").encode(e, Optional.empty(), max);
            assertThat(m.bytes().length).isLessThanOrEqualTo(max).isGreaterThan(max - 4);
            assertThat(m.truncated()).isTrue();
            assertThat(m.originalLength()).isEqualTo(full);
            SyslogRecord r = SyslogRecord.parse(m.bytes());
            assertThat(r.params()).containsEntry("truncated", "true").containsEntry("length", Integer.toString(full));
            assertThat(JSONL.format(e, Optional.empty())).startsWith(r.msg());
            assertThat(r.msg()).doesNotContain("\uFFFD");
        }
    }
}
