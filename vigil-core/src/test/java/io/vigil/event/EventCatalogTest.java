package io.vigil.event;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.AlphaChars;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EventCatalogTest {

    /** The 37 legacy security_audit_log type names, which must survive unchanged. */
    static final List<String> LEGACY_TYPE_NAMES = List.of(
            "auth.login.success", "auth.login.failure", "auth.logout", "auth.token.created", "auth.token.revoked",
            "auth.token.refreshed", "auth.password.changed", "auth.password.reset.requested",
            "auth.password.reset.completed", "auth.mfa.enabled", "auth.mfa.disabled", "auth.mfa.challenged",
            "auth.mfa.verified", "auth.session.created", "auth.session.revoked", "auth.device.registered",
            "auth.device.revoked",
            "authz.access.granted", "authz.access.denied", "authz.permission.granted", "authz.permission.revoked",
            "authz.role.assigned", "authz.role.removed",
            "data.read", "data.write", "data.delete", "data.export", "data.share",
            "admin.user.created", "admin.user.suspended", "admin.user.reactivated", "admin.user.deleted",
            "admin.settings.changed",
            "security.anomaly.detected", "security.rate.limited", "security.brute.force.detected",
            "security.suspicious.activity");

    @Test
    void keepsEveryLegacySecurityAuditLogTypeName() {
        assertThat(LEGACY_TYPE_NAMES).hasSize(37).doesNotHaveDuplicates();
        long present = LEGACY_TYPE_NAMES.stream().filter(n -> EventCatalog.find(n).isPresent()).count();
        assertThat(present).isEqualTo(37);
    }

    @Test
    void coversTheAuditSystemItself() {
        assertThat(EventCatalog.byCategory(Category.AUDIT)).extracting(EventType::name).contains(
                "audit.started", "audit.stopped", "audit.config.changed", "audit.log.read",
                "audit.verification.failed", "audit.events.dropped", "audit.sink.failed", "audit.ledger.recovered");
    }

    @Test
    void namesAreUnique() {
        List<String> names = EventCatalog.all().stream().map(EventType::name).toList();
        assertThat(names).doesNotHaveDuplicates();
    }

    @Test
    void everyNameStartsWithItsCategory() {
        for (EventType t : EventCatalog.all()) {
            assertThat(t.name()).as(t.name()).startsWith(t.category().jsonName() + ".");
            assertThat(t.isCustom()).as(t.name()).isFalse();
        }
        assertThat(EventCatalog.byCategory(Category.RATE_LIMIT))
                .allSatisfy(t -> assertThat(t.name()).startsWith("rate_limit."));
    }

    @Test
    void everyConstantIsRegisteredUnderTheUpperSnakeOfItsName() throws IllegalAccessException {
        List<EventType> constants = new ArrayList<>();
        for (Field f : EventCatalog.class.getDeclaredFields()) {
            if (f.getType() == EventType.class && Modifier.isPublic(f.getModifiers())
                    && Modifier.isStatic(f.getModifiers()) && Modifier.isFinal(f.getModifiers())) {
                EventType t = (EventType) f.get(null);
                assertThat(f.getName()).isEqualTo(t.name().replace('.', '_').toUpperCase(Locale.ROOT));
                constants.add(t);
            }
        }
        assertThat(constants).containsExactlyElementsOf(EventCatalog.all());
    }

    @Test
    void descriptionsAreOneNonBlankLine() {
        for (EventType t : EventCatalog.all()) {
            assertThat(t.description()).as(t.name()).isNotBlank().doesNotContain("\n", "\r", "|").endsWith(".");
        }
    }

    @Test
    void byCategoryPartitionsTheCatalogueInOrder() {
        List<EventType> joined = new ArrayList<>();
        for (Category c : Category.values()) {
            List<EventType> types = EventCatalog.byCategory(c);
            assertThat(types).as(c.jsonName()).isNotEmpty().allSatisfy(t -> assertThat(t.category()).isEqualTo(c));
            joined.addAll(types);
        }
        assertThat(joined).containsExactlyElementsOf(EventCatalog.all());
    }

    @Test
    void successAndFailureOfOneAttemptShareTheAction() {
        assertThat(EventCatalog.AUTH_LOGIN_FAILURE.action()).isEqualTo(EventCatalog.AUTH_LOGIN_SUCCESS.action());
        assertThat(EventCatalog.AUTH_TOKEN_REFRESH_FAILED.action()).isEqualTo("token_refresh");
        assertThat(EventCatalog.AUTH_API_KEY_REJECTED.action()).isEqualTo("api_key_use");
        assertThat(EventCatalog.DATA_UPLOAD_REJECTED.action()).isEqualTo(EventCatalog.DATA_UPLOAD.action());
    }

    @Test
    void defaultSeveritiesFollowTheRisk() {
        assertThat(EventCatalog.AUTH_LOGIN_SUCCESS.severity()).isEqualTo(Severity.INFO);
        assertThat(EventCatalog.AUTH_LOGIN_FAILURE.severity()).isEqualTo(Severity.LOW);
        assertThat(EventCatalog.SECURITY_BRUTE_FORCE_DETECTED.severity()).isEqualTo(Severity.HIGH);
        assertThat(EventCatalog.AUDIT_VERIFICATION_FAILED.severity()).isEqualTo(Severity.CRITICAL);
        for (EventType t : EventCatalog.all()) {
            if (t.outcome() != Outcome.SUCCESS) {
                assertThat(t.severity()).as(t.name()).isNotEqualTo(Severity.INFO);
            }
        }
    }

    @Test
    void findsAndRequiresByName() {
        assertThat(EventCatalog.find("auth.login.failure")).contains(EventCatalog.AUTH_LOGIN_FAILURE);
        assertThat(EventCatalog.find("auth.login.nope")).isEmpty();
        assertThat(EventCatalog.require("rate_limit.auth.backoff")).isSameAs(EventCatalog.RATE_LIMIT_AUTH_BACKOFF);
        assertThatThrownBy(() -> EventCatalog.require("auth.login.nope"))
                .isInstanceOf(EventValidationException.class)
                .hasMessageContaining("unknown event type 'auth.login.nope'")
                .hasMessageContaining("docs/event-catalog.md")
                .hasMessageContaining("'x.'");
    }

    @Test
    void customTypesNeedThePrefix() {
        EventType invoice = EventType.custom("x.billing.invoice.exported", Category.DATA, "export",
                Outcome.SUCCESS, Severity.LOW, "An invoice was exported.");
        assertThat(invoice.isCustom()).isTrue();
        assertThat(EventCatalog.find(invoice.name())).isEmpty();

        assertThatThrownBy(() -> EventType.custom("billing.invoice.exported", Category.DATA, "export",
                Outcome.SUCCESS, Severity.LOW, "An invoice was exported."))
                .isInstanceOf(EventValidationException.class)
                .hasMessage("custom type 'billing.invoice.exported' must start with 'x.'; names without it are"
                        + " reserved for the catalogue");
        assertThatThrownBy(() -> EventType.custom("auth.login.success", Category.AUTH, "login",
                Outcome.SUCCESS, Severity.INFO, "Clash."))
                .isInstanceOf(EventValidationException.class).hasMessageContaining("must start with 'x.'");
    }

    @Test
    void badNamesAndActionsAreRejectedWithTheRule() {
        assertThatThrownBy(() -> custom("x.Billing.Invoice", "export"))
                .isInstanceOf(EventValidationException.class)
                .hasMessageContaining("type 'x.Billing.Invoice' must be dotted lowercase segments of [a-z0-9_]");
        assertThatThrownBy(() -> custom("x.", "export"))
                .isInstanceOf(EventValidationException.class).hasMessageContaining("dotted lowercase");
        assertThatThrownBy(() -> custom("x.billing invoice", "export"))
                .isInstanceOf(EventValidationException.class).hasMessageContaining("dotted lowercase");
        assertThatThrownBy(() -> custom("x.billing.invoice", "Export!"))
                .isInstanceOf(EventValidationException.class)
                .hasMessageContaining("action 'Export!' must be lowercase [a-z0-9_]");
        assertThatThrownBy(() -> new EventType("auth.invoice.exported", Category.DATA, "export",
                Outcome.SUCCESS, Severity.LOW, "Wrong category."))
                .isInstanceOf(EventValidationException.class)
                .hasMessageContaining("must start with its category 'data.'");
    }

    @Test
    void anEventOfACatalogueTypeMustKeepItsCategory() {
        assertThatThrownBy(() -> AuditEvent.builder(EventCatalog.AUTH_LOGOUT).category(Category.SESSION)
                .id(UUID.randomUUID()).timestamp(Instant.EPOCH).build())
                .isInstanceOf(EventValidationException.class)
                .hasMessageContaining("belongs to category 'auth'");
    }

    @Property
    void everyWellFormedCustomNameIsAccepted(@ForAll @AlphaChars @StringLength(min = 1, max = 20) String a,
                                            @ForAll @AlphaChars @StringLength(min = 1, max = 20) String b) {
        String name = "x." + a.toLowerCase(Locale.ROOT) + "." + b.toLowerCase(Locale.ROOT);
        assertThat(custom(name, "act").name()).isEqualTo(name);
    }

    @Property
    void noNameWithoutThePrefixIsACustomType(@ForAll @AlphaChars @StringLength(min = 1, max = 20) String a) {
        String name = "y." + a.toLowerCase(Locale.ROOT);
        assertThatThrownBy(() -> custom(name, "act")).isInstanceOf(EventValidationException.class)
                .hasMessageContaining("must start with 'x.'");
    }

    @Test
    void actionsAreValidEverywhere() {
        Set<String> seen = new HashSet<>();
        for (EventType t : EventCatalog.all()) {
            assertThat(t.action()).as(t.name()).matches("[a-z][a-z0-9_]*");
            seen.add(t.action());
        }
        assertThat(seen).contains("login", "logout", "token_refresh", "password_change", "api_key_use",
                "access_granted", "access_denied", "permission_check", "role_assigned", "config_change", "user_add",
                "user_remove", "channel_add", "channel_remove", "elevated_exec", "request_limited",
                "channel_limited", "auth_backoff", "session_start", "session_end", "session_timeout");
    }

    private static EventType custom(String name, String action) {
        return EventType.custom(name, Category.DATA, action, Outcome.SUCCESS, Severity.LOW, "A test type.");
    }
}
