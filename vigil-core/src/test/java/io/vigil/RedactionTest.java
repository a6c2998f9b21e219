package io.vigil;

import io.vigil.event.Actor;
import io.vigil.event.AuditEvent;
import io.vigil.event.EventCatalog;
import io.vigil.event.Target;
import io.vigil.internal.Redactor;
import io.vigil.json.CanonicalBuffer;
import io.vigil.json.CanonicalJson;
import io.vigil.redact.HmacKey;
import io.vigil.redact.RedactionPolicy;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RedactionTest {

    private static AuditEvent.Builder base() {
        return AuditEvent.builder(EventCatalog.AUTH_LOGIN_FAILURE).id(UUID.randomUUID())
                .timestamp(Instant.parse("2026-01-29T12:00:00Z"));
    }

    private static AuditEvent redact(RedactionPolicy policy, AuditEvent.Builder b) {
        return new Redactor(policy, true).apply(b.build());
    }

    @Test
    void aKeyedHashIsKeptUnderASecretLookingKeyAndNothingElseIs() {
        String hash = "hmac-sha256:0123456789abcdef0123456789abcdef";
        AuditEvent e = redact(RedactionPolicy.DEFAULT, base()
                .detail("tokenHash", hash)
                .detail("previousTokenHash", "hmac-sha256:" + "ab".repeat(32))
                .detail("nested", Map.of("refreshTokenHash", hash))
                .detail("passwordHash", "$2a$10$abcdefghijklmnopqrstuv")
                .detail("tokenHashShort", "hmac-sha256:0123")
                .detail("tokenHashUpper", "hmac-sha256:0123456789ABCDEF0123456789ABCDEF")
                .detail("tokenHashTail", hash + " and then the token itself")
                .detail("token", hash.substring(0, 20)));
        Map<String, Object> d = e.details();
        assertThat(d.get("tokenHash")).isEqualTo(hash);
        assertThat(d.get("previousTokenHash")).isEqualTo("hmac-sha256:" + "ab".repeat(32));
        assertThat(d.get("nested")).isEqualTo(Map.of("refreshTokenHash", hash));
        for (String masked : List.of("passwordHash", "tokenHashShort", "tokenHashUpper", "tokenHashTail", "token")) {
            assertThat(d.get(masked)).as(masked).isEqualTo("[REDACTED]");
        }
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
        // only the credential part is replaced; the scheme word stays so the value still says what it was
        assertThat(e.details()).containsEntry("header", "Bearer [REDACTED]").containsEntry("note", "[REDACTED]")
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
                Optional.empty(), 4096, 32768, 8)).hasMessageContaining("hmacKeyFile");
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

    // ---- key rules ------------------------------------------------------------------------------------------------

    private static final List<String> MASKED_KEYS = List.of(
            "token_value", "tokenValue", "token", "tokens", "access_token", "id_token_hint", "idTokenHint",
            "csrfTokenSecret", "pass", "dbPass", "smtp_pass", "userPass", "passcode", "otp", "totp", "otpCode",
            "sms_otp", "pin", "cardPin", "pins", "pincode", "pin_number", "jwt", "jwtClaims", "password",
            "X-Api-Key", "client_secret", "Cookie", "cvv");
    private static final List<String> KEPT_KEYS = List.of(
            "tokenId", "token_ids", "token_type", "tokenCount", "refreshTokenTtl", "tokenExpiry", "token_expires_at",
            "tokenExpiresIn", "passwordLength", "tokenKind", "passenger", "passport", "compass", "bypass",
            "overpass", "footprint", "memoryFootprint", "footpath", "pinned", "shipping", "username", "method");

    @Test
    void keyRulesMaskSecretsAndKeepIdentifiersAndCommonWords() {
        for (String k : MASKED_KEYS) {
            assertThat(RedactionPolicy.DEFAULT.isSecretKey(k)).as(k).isTrue();
        }
        for (String k : KEPT_KEYS) {
            assertThat(RedactionPolicy.DEFAULT.isSecretKey(k)).as(k).isFalse();
        }
        AuditEvent.Builder b = base();
        MASKED_KEYS.forEach(k -> b.detail(k, "v-" + k));
        KEPT_KEYS.forEach(k -> b.detail(k, "v-" + k));
        Map<String, Object> d = redact(RedactionPolicy.DEFAULT, b).details();
        MASKED_KEYS.forEach(k -> assertThat(d).as(k).containsEntry(k, "[REDACTED]"));
        KEPT_KEYS.forEach(k -> assertThat(d).as(k).containsEntry(k, "v-" + k));
    }

    @Test
    void allowKeysStillWinOverTheRules() {
        RedactionPolicy p = new RedactionPolicy(true, RedactionPolicy.DEFAULT_SECRET_KEYS, Set.of("passwordPolicy"),
                "***", Set.of(), Optional.empty(), 4096, 32768, 8);
        assertThat(p.isSecretKey("password_policy")).isFalse();
        assertThat(p.isSecretKey("password")).isTrue();
    }

    // ---- credentials inside text ----------------------------------------------------------------------------------

    private static final String JWT = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.c2lnbmF0dXJl";

    private static String maskText(String text) {
        AuditEvent e = redact(RedactionPolicy.DEFAULT, base().detail("text", text));
        return (String) e.details().get("text");
    }

    @Test
    void onlyTheCredentialPartOfLongerTextIsMasked() {
        assertThat(maskText("url=https://x/cb?access_token=" + JWT + "&state=ok"))
                .isEqualTo("url=https://x/cb?access_token=[REDACTED]&state=ok");
        assertThat(maskText("Authorization: Bearer abc123xyz")).isEqualTo("Authorization: Bearer [REDACTED]");
        assertThat(maskText("sent BEARER abcdefgh12 twice; bearer zyxw9876+/= again"))
                .isEqualTo("sent BEARER [REDACTED] twice; bearer [REDACTED] again");
        assertThat(maskText("token " + JWT + " expired")).isEqualTo("token [REDACTED] expired");
        assertThat(maskText("unsigned eyJhbGciOiJub25lIn0.eyJzdWIiOiIxIn0. accepted"))
                .isEqualTo("unsigned [REDACTED] accepted");
        assertThat(maskText("POST body: user=alice&Password=hunter2&remember=1"))
                .isEqualTo("POST body: user=alice&Password=[REDACTED]&remember=1");
        assertThat(maskText("?client_secret=s3&api_key=k1 refresh_token=r-1\tid_token=i.d pwd=x"))
                .isEqualTo("?client_secret=[REDACTED]&api_key=[REDACTED] refresh_token=[REDACTED]\t"
                        + "id_token=[REDACTED] pwd=[REDACTED]");
        assertThat(maskText("a=1&apikey=ABC==&token=t&secret=s&passwd=p"))
                .isEqualTo("a=1&apikey=[REDACTED]&token=[REDACTED]&secret=[REDACTED]&passwd=[REDACTED]");
    }

    @Test
    void textThatOnlyResemblesACredentialIsKept() {
        for (String kept : List.of("Bearer short", "bearers of news", "my_token=abc", "monkey=banana",
                "token=&next=1", "x=1&y=2", "eyJ alone", "eyJabc.def", "Basic subscription", "Basic plan",
                "Basic Subscription Plan", "Basicsubscription", "the basic dXNlcjpwYXNzd29yZA== in a sentence",
                "pin=1234 is not a parameter we mask", "a=b=c")) {
            AuditEvent in = base().detail("text", kept).reason(kept).build();
            assertThat(new Redactor(RedactionPolicy.DEFAULT, true).apply(in)).as(kept).isSameAs(in);
        }
    }

    @Test
    void basicCredentialsAreMaskedOnlyAsTheWholeValue() {
        String creds = Base64.getEncoder().encodeToString("aladdin:opensesame".getBytes(StandardCharsets.UTF_8));
        assertThat(maskText("Basic " + creds)).isEqualTo("Basic [REDACTED]");
        assertThat(maskText("basic dXNlcjpwYXNzd29yZA")).isEqualTo("basic [REDACTED]"); // padding left out
        assertThat(maskText("Basic subscription")).isEqualTo("Basic subscription");
    }

    @Test
    void freeTextFieldsAreScannedToo() {
        AuditEvent e = redact(RedactionPolicy.DEFAULT, base()
                .reason("refresh failed for Bearer abcdefgh1234")
                .error("GET /cb?code=1&access_token=tok-123 -> 401")
                .actor(Actor.user("alice").withName("alice password=hunter2").withUserAgent("curl " + JWT))
                .target(Target.of("url", "u-1").withName("https://h/x?apikey=K-9&page=2")));
        assertThat(e.reason()).contains("refresh failed for Bearer [REDACTED]");
        assertThat(e.error()).contains("GET /cb?code=1&access_token=[REDACTED] -> 401");
        Actor a = e.actor().orElseThrow();
        assertThat(a.name()).contains("alice password=[REDACTED]");
        assertThat(a.userAgent()).contains("curl [REDACTED]");
        assertThat(a.id()).contains("alice");
        assertThat(e.target().orElseThrow().name()).contains("https://h/x?apikey=[REDACTED]&page=2");
        assertThat(e.target().orElseThrow().id()).contains("u-1");
        assertThat(e.details()).isEmpty();
    }

    @Test
    void freeTextIsMaskedBeforeItIsCut() {
        RedactionPolicy p = RedactionPolicy.DEFAULT.withLimits(20, 32768, 8);
        AuditEvent e = redact(p, base().reason("x Bearer abcdefgh1234567890"));
        assertThat(e.reason()).contains("x Bearer [REDACTED]");
        AuditEvent cut = redact(p, base().reason("Bearer abcdefgh1234567890 and then a long tail"));
        assertThat(cut.reason()).contains("Bearer [REDACTED] an");
        assertThat(cut.details().get(Redactor.TRUNCATED_KEY)).isEqualTo(List.of("reason"));
    }

    @Test
    void disabledMaskingLeavesFreeTextAlone() {
        AuditEvent in = base().reason("Bearer abcdefgh1234").actor(Actor.user("u").withName("pwd=x"))
                .detail("note", "Bearer abcdefgh1234").build();
        assertThat(new Redactor(RedactionPolicy.DEFAULT.withEnabled(false), true).apply(in)).isSameAs(in);
    }

    @Test
    void anEventWithCleanFreeTextIsPassedThroughUntouched() {
        AuditEvent in = base().reason("bad password").error("timeout after 3 tries")
                .actor(Actor.user("alice").withName("Alice").withUserAgent("Mozilla/5.0 (X11; Linux x86_64)")
                        .withIp("10.0.0.1"))
                .target(Target.of("document", "d-1").withName("Q3 report")).detail("query", "a=1&b=2").build();
        assertThat(new Redactor(RedactionPolicy.DEFAULT, true).apply(in)).isSameAs(in);
    }

    // ---- details size ---------------------------------------------------------------------------------------------

    private static int canonicalSize(Map<String, Object> details) {
        CanonicalBuffer buf = new CanonicalBuffer();
        CanonicalJson.writeValue(details, buf);
        return buf.length();
    }

    @Test
    void fortyThousandKeysAreCutToTheLimitInLinearTime() {
        Map<String, Object> many = new LinkedHashMap<>();
        for (int i = 0; i < 40_000; i++) {
            many.put(String.format("key%05d", i), "value-" + i);
        }
        AuditEvent e = redact(RedactionPolicy.DEFAULT, base().details(many));
        assertThat(canonicalSize(e.details())).isLessThanOrEqualTo(RedactionPolicy.DEFAULT.maxDetailsBytes());
        @SuppressWarnings("unchecked")
        List<String> cut = (List<String>) e.details().get(Redactor.TRUNCATED_KEY);
        int kept = e.details().size() - 1;
        int dropped = 40_000 - kept;
        assertThat(kept).isGreaterThan(1000);
        assertThat(cut).hasSize(33);
        assertThat(cut.get(0)).isEqualTo("details.key39999");
        assertThat(cut.get(31)).isEqualTo("details.key" + (39999 - 31));
        assertThat(cut.get(32)).isEqualTo("details: " + (dropped - 32) + " more keys");
        assertThat(e.details()).containsKey("key00000").containsKey(String.format("key%05d", kept - 1))
                .doesNotContainKey(String.format("key%05d", kept));
    }

    @Test
    void theResultFitsTheLimitWithItsMarkerWhateverTheShape() {
        Random random = new Random(42);
        for (int round = 0; round < 300; round++) {
            int limit = 256 + random.nextInt(4000);
            Map<String, Object> d = new LinkedHashMap<>();
            int n = random.nextInt(200);
            for (int i = 0; i < n; i++) {
                String key = "k" + i + "é\n\u0001".substring(0, random.nextInt(4)) + "x".repeat(random.nextInt(80));
                Object value = switch (random.nextInt(6)) {
                    case 0 -> "v\"\t€😀".repeat(random.nextInt(30));
                    case 1 -> random.nextDouble() * Math.pow(10, random.nextInt(40) - 20);
                    case 2 -> random.nextLong();
                    case 3 -> List.of(1e21, 1e-7, 123456789.0, true, "s".repeat(random.nextInt(50)));
                    case 4 -> Map.of("inner", Map.of("deep", "x".repeat(random.nextInt(300))));
                    default -> random.nextBoolean();
                };
                d.put(key, value);
            }
            RedactionPolicy p = RedactionPolicy.DEFAULT.withLimits(16 + random.nextInt(300), limit, 1 + random.nextInt(4));
            AuditEvent.Builder b = base().details(d);
            if (random.nextBoolean()) {
                b.reason("r".repeat(500));
            }
            AuditEvent e = redact(p, b);
            assertThat(canonicalSize(e.details())).as("round %d", round).isLessThanOrEqualTo(limit);
        }
    }

    @Test
    void theMarkerIsCountedAgainstTheLimit() {
        // details that fit alone, but not once a cut of the reason adds the marker
        RedactionPolicy p = RedactionPolicy.DEFAULT.withLimits(200, 256, 8);
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("a", "x".repeat(100));
        d.put("b", "y".repeat(130));
        assertThat(canonicalSize(d)).isLessThanOrEqualTo(256);
        AuditEvent e = redact(p, base().reason("r".repeat(300)).details(d));
        assertThat(canonicalSize(e.details())).isLessThanOrEqualTo(256);
        assertThat(e.details().get(Redactor.TRUNCATED_KEY)).isEqualTo(List.of("reason", "details.b"));
    }

    @Test
    void hugeKeysFoldIntoTheCountWhenEvenTheMarkerWouldNotFit() {
        RedactionPolicy p = RedactionPolicy.DEFAULT.withLimits(4096, 256, 8);
        Map<String, Object> d = new LinkedHashMap<>();
        for (int i = 0; i < 5; i++) {
            d.put(i + "k".repeat(900), "v");
        }
        AuditEvent e = redact(p, base().details(d));
        assertThat(canonicalSize(e.details())).isLessThanOrEqualTo(256);
        assertThat(e.details().get(Redactor.TRUNCATED_KEY)).isEqualTo(List.of("details: 5 more keys"));
    }

    // ---- toString -------------------------------------------------------------------------------------------------

    @Test
    void toStringNamesTheEventButShowsNoContent() {
        AuditEvent e = base().id(UUID.fromString("00000000-0000-7000-8000-000000000001")).detail("password", "hunter2")
                .reason("Bearer abcdefgh123").actor(Actor.user("alice")).build();
        assertThat(e.toString()).isEqualTo("AuditEvent[id=00000000-0000-7000-8000-000000000001, "
                + "type=auth.login.failure, outcome=failure, timestamp=2026-01-29T12:00:00Z]");
    }
}
