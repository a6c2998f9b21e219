package io.vigil.event;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AuditEventValidationTest {

    private static AuditEvent.Builder valid() {
        return AuditEvent.builder(EventCatalog.AUTH_LOGIN_FAILURE).id(UUID.randomUUID())
                .timestamp(Instant.parse("2026-01-29T12:00:00.123456Z"));
    }

    @Test
    void aValidEventKeepsMillisecondsAndTurnsIntegersIntoLongs() {
        AuditEvent e = valid().detail("count", 3).detail("ratio", 0.5f).detail("none", null).build();
        assertThat(e.timestamp()).isEqualTo(Instant.parse("2026-01-29T12:00:00.123Z"));
        assertThat(e.details()).containsEntry("count", 3L).containsEntry("ratio", 0.5).doesNotContainKey("none");
        assertThatThrownBy(() -> e.details().put("x", 1)).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void unknownCategoryNamesTheAllowedValues() {
        assertThatThrownBy(() -> Category.fromJson("auth_z")).hasMessageContaining("unknown category 'auth_z'")
                .hasMessageContaining("rate_limit");
    }

    @Test
    void missingTypeAndMissingIdAreNamed() {
        assertThatThrownBy(() -> valid().type((String) null).build()).isInstanceOf(EventValidationException.class)
                .hasMessageContaining("type is required");
        assertThatThrownBy(() -> valid().id(null).build()).hasMessageContaining("id is required");
    }

    @Test
    void oversizeFieldsAreRejectedWithTheirSize() {
        assertThatThrownBy(() -> valid().reason("r".repeat(65_537)).build())
                .hasMessageContaining("reason is 65537 characters; the limit is 65536");
        assertThatThrownBy(() -> valid().actor(Actor.user("u".repeat(2000))).build())
                .hasMessageContaining("actor.id is 2000 characters");
        assertThatThrownBy(() -> valid().detail("k", "v".repeat(70_000)).build()).hasMessageContaining("details.k");
    }

    @Test
    void aCatalogueTypeCannotBeFiledUnderAnotherCategory() {
        assertThatThrownBy(() -> valid().category(Category.DATA).build())
                .hasMessageContaining("belongs to category 'auth'");
    }

    @Test
    void unpairedSurrogatesAreRejectedWherePairsAreKept() {
        assertThat(valid().reason("smile \ud83d\ude00").build().reason()).contains("smile \ud83d\ude00");
        assertThatThrownBy(() -> valid().reason("bad \ud83d").build()).hasMessageContaining("unpaired UTF-16 surrogate");
        assertThatThrownBy(() -> valid().detail("k", "\ude00x").build()).hasMessageContaining("details.k");
    }

    @Test
    void riskScoreIsBoundedAndNegativeZeroBecomesZero() {
        assertThatThrownBy(() -> valid().riskScore(1.5).build()).hasMessageContaining("between 0 and 1");
        assertThatThrownBy(() -> valid().riskScore(Double.NaN).build()).hasMessageContaining("between 0 and 1");
        double score = valid().riskScore(-0.0).build().riskScore().getAsDouble();
        assertThat(Double.doubleToRawLongBits(score)).isEqualTo(Double.doubleToRawLongBits(0.0));
    }

    @Test
    void detailsRejectNonJsonValuesAndNaN() {
        assertThatThrownBy(() -> valid().detail("when", new Object()).build()).hasMessageContaining("unsupported type");
        assertThatThrownBy(() -> valid().detail("x", Double.POSITIVE_INFINITY).build())
                .hasMessageContaining("JSON cannot represent");
        assertThatThrownBy(() -> valid().details(Map.of("a", Arrays.asList(1, null))).build())
                .hasMessageContaining("details.a[1] is null");
    }

    @Test
    void ipMustBeALiteralAddress() {
        assertThat(Actor.user("u").withIp("2001:db8::1").ip()).contains("2001:db8::1");
        assertThatThrownBy(() -> Actor.user("u").withIp("evil.example.com")).hasMessageContaining("not an IP address literal");
        assertThatThrownBy(() -> Actor.user("u").withIp("10.0.0.1; DROP TABLE")).hasMessageContaining("not an IP");
    }
}
