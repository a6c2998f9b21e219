package io.vigil.siem.internal.syslog;

import io.vigil.event.AuditEvent;
import io.vigil.event.EventCatalog;
import io.vigil.sink.EventFormats;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.StringLength;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class Rfc5424PropertiesTest {

    @Property
    void escapedValuesRoundTripAndHoldNoBareSpecials(@ForAll String value) {
        StringBuilder sb = new StringBuilder();
        Rfc5424.escapeParamValue(value, sb);
        String escaped = sb.toString();
        for (int i = 0; i < escaped.length(); i++) {
            char c = escaped.charAt(i);
            if (c == '\\') {
                assertThat(i + 1).as("a backslash ends the value").isLessThan(escaped.length());
                assertThat("\"\\]").as("escaped character").contains(String.valueOf(escaped.charAt(i + 1)));
                i++;
            } else {
                assertThat(c).isNotIn('"', ']');
            }
        }
        assertThat(SyslogRecord.unescape(escaped)).isEqualTo(value);
    }

    @Property
    void tenantsSurviveTheWholeMessage(@ForAll @StringLength(min = 1, max = 60) String tenant) {
        Assume.that(wellFormed(tenant));
        AuditEvent e = AuditEvent.builder(EventCatalog.DATA_READ).id(new UUID(1, 2)).timestamp(Instant.EPOCH)
                .tenant(tenant).build();
        Rfc5424.Message m = new Rfc5424(13, "h", "a", "1", 1, EventFormats.jsonl()).encode(e, Optional.empty(), 8192);
        assertThat(SyslogRecord.parse(m.bytes()).params()).containsEntry("tenant", tenant);
    }

    @Property
    void octetCountedFramesParseBackToExactlyTheMessages(
            @ForAll @Size(max = 20) List<@Size(min = 1, max = 300) List<Byte>> messages) {
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        for (List<Byte> m : messages) {
            stream.writeBytes(OctetCounting.frame(bytes(m)));
        }
        List<byte[]> parsed = deframe(stream.toByteArray());
        assertThat(parsed).hasSameSizeAs(messages);
        for (int i = 0; i < parsed.size(); i++) {
            assertThat(parsed.get(i)).isEqualTo(bytes(messages.get(i)));
        }
    }

    @Property
    void cutMessagesStayWithinTheLimitAndValidUtf8(@ForAll @StringLength(max = 3000) String reason,
                                                   @ForAll @IntRange(min = 480, max = 2000) int max) {
        Assume.that(wellFormed(reason) && !reason.contains("\uFFFD"));
        AuditEvent e = AuditEvent.builder(EventCatalog.DATA_READ).id(new UUID(1, 2)).timestamp(Instant.EPOCH)
                .reason(reason.isEmpty() ? "x" : reason).build();
        String line = EventFormats.jsonl().format(e, Optional.empty());
        Rfc5424.Message m = new Rfc5424(13, "h", "a", "1", 1, EventFormats.jsonl()).encode(e, Optional.empty(), max);
        assertThat(m.bytes().length).isLessThanOrEqualTo(max);
        SyslogRecord r = SyslogRecord.parse(m.bytes());
        assertThat(line).startsWith(r.msg());
        assertThat(r.msg()).doesNotContain("\uFFFD");
        assertThat(r.params().containsKey("truncated")).isEqualTo(m.truncated());
        assertThat(m.truncated()).isEqualTo(!r.msg().equals(line));
    }

    /** No unpaired surrogate, which an event refuses. */
    private static boolean wellFormed(String s) {
        return StandardCharsets.UTF_8.newEncoder().canEncode(s);
    }

    private static byte[] bytes(List<Byte> list) {
        byte[] b = new byte[list.size()];
        for (int i = 0; i < b.length; i++) {
            b[i] = list.get(i);
        }
        return b;
    }

    /** A receiver's reading of octet-counted frames: digits, a space, then exactly that many octets. */
    private static List<byte[]> deframe(byte[] stream) {
        List<byte[]> out = new ArrayList<>();
        int p = 0;
        while (p < stream.length) {
            int len = 0;
            while (stream[p] != ' ') {
                assertThat(stream[p]).isBetween((byte) '0', (byte) '9');
                len = len * 10 + (stream[p++] - '0');
            }
            p++;
            byte[] m = new byte[len];
            System.arraycopy(stream, p, m, 0, len);
            out.add(m);
            p += len;
        }
        return out;
    }
}
