package io.vigil.json;

import io.vigil.event.AuditEvent;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Reading an event as a client sends it: what it left out is stamped, what it gave is kept, the rest is strict. */
class EventJsonParseSentTest {

    private static final String SENT = "{\"v\":1,\"type\":\"auth.login.success\",\"category\":\"auth\","
            + "\"action\":\"login\",\"outcome\":\"success\",\"severity\":\"low\",\"actor\":{\"type\":\"user\","
            + "\"id\":\"alice\"}}";
    private static final UUID ID = UUID.fromString("019c0000-0000-7000-8000-000000000001");
    private static final Instant NOW = Instant.parse("2026-01-29T09:00:00.123456Z");

    @Test
    void stampsWhatTheClientLeftOut() {
        AuditEvent e = EventJson.parseSent(SENT, ID, NOW, "acme");
        assertThat(e.id()).isEqualTo(ID);
        assertThat(e.timestamp()).as("milliseconds, as the model keeps them").isEqualTo(
                Instant.parse("2026-01-29T09:00:00.123Z"));
        assertThat(e.tenant()).contains("acme");
    }

    @Test
    void keepsWhatTheClientGave() {
        String given = SENT.replace("{\"v\":1,", "{\"v\":1,\"id\":\"019c0000-0000-7000-8000-0000000000aa\","
                + "\"timestamp\":\"2025-12-31T23:59:59.999Z\",\"tenant\":\"globex\",");
        AuditEvent e = EventJson.parseSent(given, ID, NOW, "acme");
        assertThat(e.id()).isEqualTo(UUID.fromString("019c0000-0000-7000-8000-0000000000aa"));
        assertThat(e.timestamp()).isEqualTo(Instant.parse("2025-12-31T23:59:59.999Z"));
        assertThat(e.tenant()).as("read as given; the caller refuses another tenant").contains("globex");
    }

    @Test
    void isAsStrictAsParseOtherwise() {
        assertThatThrownBy(() -> EventJson.parseSent(SENT.replace("\"low\"", "\"loud\""), ID, NOW, "acme"))
                .isInstanceOf(EventJsonException.class).hasMessageContaining("severity");
        assertThatThrownBy(() -> EventJson.parseSent(SENT.replace("{\"v\":1,", "{\"v\":1,\"extra\":1,"), ID, NOW,
                "acme")).isInstanceOf(EventJsonException.class).hasMessageContaining("unknown field 'extra'");
        assertThatThrownBy(() -> EventJson.parseSent("[1]", ID, NOW, "acme")).isInstanceOf(EventJsonException.class);
        assertThatThrownBy(() -> EventJson.parseSent(SENT.replace("\"v\":1,", ""), ID, NOW, "acme"))
                .isInstanceOf(EventJsonException.class).hasMessageContaining("'v'");
    }
}
