package io.vigil;

import io.vigil.event.AuditEvent;
import io.vigil.event.EventCatalog;
import io.vigil.internal.Redactor;
import io.vigil.redact.HmacKey;
import io.vigil.redact.RedactionPolicy;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RedactionTest {

    private static AuditEvent.Builder base() {
        return AuditEvent.builder(EventCatalog.AUTH_LOGIN_FAILURE).id(UUID.randomUUID())
                .timestamp(java.time.Instant.parse("2026-01-29T12:00:00Z"));
    }

    private static AuditEvent redact(RedactionPolicy policy, AuditEvent.Builder b) {
        return new Redactor(policy, true).apply(b.build());
    }

    @Test
    void secretLookingKeysAreMaskedAtAnyDepthByDefault() {
        AuditEvent e = redact(RedactionPolicy.DEFAULT, base()
                .detail("password", "hunter2")
                .detail("X-Api-Key", "k-123")
                .detail("headers", Map.of("Authorization", "Basic YWxhZGRpbjpvcGVuc2VzYW1l", "Cookie", "sid=1",
                        "accept", "json"))
                .detail("client_secret", "s3cr3t")
                .detail("accessToken", "abc")
                .detail("private-key", "-----BEGIN")
                .detail("tokenId", "tok-42")
                .detail("username", "alice")
                .detail("attempts", 0)
                .detail("remember", false));
        Map<String, Object> d = e.details();
        assertThat(d.get("password")).isEqualTo("[REDACTED]");
        assertThat(d.get("X-Api-Key")).isEqualTo("[REDACTED]");
        assertThat(d.get("client_secret")).isEqualTo("[REDACTED]");
        assertThat(d.get("accessToken")).isEqualTo("[REDACTED]");
        assertThat(d.get("private-key")).isEqualTo("[REDACTED]");
        @SuppressWarnings("unchecked")
        Map<String, Object> headers = (Map<String, Object>) d.get("headers");
        assertThat(headers).containsEntry("Authorization", "[REDACTED]").containsEntry("Cookie", "[REDACTED]")
                .containsEntry("accept", "json");
        assertThat(d).containsEntry("tokenId", "tok-42").containsEntry("username", "alice")
                .containsEntry("attempts", 0L).containsEntry("remember", false);
    }

    @Test
    void bearerTokensAndJwtsAreMaskedWhateverTheirKey() {
        AuditEvent e = redact(RedactionPolicy.DEFAULT, base()
                .detail("header", "Bearer abc.def.ghi")
                .detail("note", "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.c2lnbmF0dXJl")
                .detail("plain", "just words here"));
        assertThat(e.details()).containsEntry("header", "[REDACTED]").containsEntry("note", "[REDACTED]")
                .containsEntry("plain", "just words here");
    }

    @Test
    void anEventWithNothingToRedactIsPassedThroughUntouched() {
        AuditEvent in = base().detail("method", "password_form").detail("attempt", 3).build();
        assertThat(new Redactor(RedactionPolicy.DEFAULT, true).apply(in)).isSameAs(in);
    }

    @Test
    void keyedHashingKeepsValuesCorrelatableButUnreadable() {
        HmacKey key = HmacKey.of(new byte[32]);
        RedactionPolicy p = RedactionPolicy.DEFAULT.withHmac(Set.of("email"), key);
        AuditEvent a = redact(p, base().detail("email", "alice@example.com"));
        AuditEvent b = redact(p, base().detail("email", "alice@example.com"));
        AuditEvent c = redact(p, base().detail("email", "bob@example.com"));
        String ha = (String) a.details().get("email");
        assertThat(ha).startsWith("hmac-sha256:").hasSize("hmac-sha256:".length() + 64).doesNotContain("alice");
        assertThat(b.details().get("email")).isEqualTo(ha);
        assertThat(c.details().get("email")).isNotEqualTo(ha);
        assertThat(key.toString()).doesNotContain("0");
    }

    @Test
    void hmacKeysWithoutAKeyAreRejected() {
        assertThatThrownBy(() -> new RedactionPolicy(true, Set.of(), Set.of(), "x", Set.of("email"),
                java.util.Optional.empty(), 4096, 32768, 8)).hasMessageContaining("hmacKeyFile");
    }

    @Test
    void overlongFieldsAreCutAndMarked() {
        RedactionPolicy p = RedactionPolicy.DEFAULT.withLimits(16, 32768, 8);
        AuditEvent e = redact(p, base().reason("r".repeat(40)).error("e".repeat(17)).detail("body", "b".repeat(100))
                .detail("short", "ok"));
        assertThat(e.reason()).contains("r".repeat(16));
        assertThat(e.error()).contains("e".repeat(16));
        assertThat(e.details()).containsEntry("body", "b".repeat(16)).containsEntry("short", "ok");
        assertThat(e.details().get(Redactor.TRUNCATED_KEY)).isEqualTo(List.of("reason", "error", "details.body"));
    }

    @Test
    void tooDeepAndTooLargeDetailsAreCutAndMarked() {
        RedactionPolicy p = RedactionPolicy.DEFAULT.withLimits(4096, 300, 2);
        AuditEvent e = redact(p, base()
                .detail("a", Map.of("b", Map.of("c", "deep")))
                .detail("big1", "x".repeat(200))
                .detail("big2", "y".repeat(200)));
        assertThat(e.details().get("a")).isEqualTo(Map.of("b", "[TRUNCATED]"));
        assertThat(e.details()).doesNotContainKey("big2");
        @SuppressWarnings("unchecked")
        List<String> cut = (List<String>) e.details().get(Redactor.TRUNCATED_KEY);
        assertThat(cut).contains("details.a.b", "details.big2");
    }

    @Test
    void disabledMaskingStillAppliesLimits() {
        RedactionPolicy p = RedactionPolicy.DEFAULT.withEnabled(false).withLimits(16, 32768, 8);
        AuditEvent e = redact(p, base().detail("password", "shown-by-choice").detail("long", "z".repeat(20)));
        assertThat(e.details()).containsEntry("password", "shown-by-choice").containsEntry("long", "z".repeat(16));
    }
}
