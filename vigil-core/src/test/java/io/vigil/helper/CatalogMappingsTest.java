package io.vigil.helper;

import io.vigil.event.Category;
import io.vigil.event.EventCatalog;
import io.vigil.event.EventType;
import io.vigil.event.EventValidationException;
import io.vigil.event.Outcome;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.vigil.event.EventCatalog.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CatalogMappingsTest {

    /** The legacy helpers and their action names. */
    static final Map<Category, List<String>> LEGACY_ACTIONS = Map.of(
            Category.AUTH, List.of("login", "logout", "token_refresh", "password_change", "api_key_use"),
            Category.AUTHZ, List.of("access_granted", "access_denied", "permission_check", "role_assigned"),
            Category.ADMIN, List.of("config_change", "user_add", "user_remove", "channel_add", "channel_remove",
                    "elevated_exec"),
            Category.RATE_LIMIT, List.of("request_limited", "channel_limited", "auth_backoff"),
            Category.SESSION, List.of("session_start", "session_end", "session_timeout"));

    /** Every event name of the OWASP Application Logging Vocabulary Cheat Sheet. */
    static final List<String> OWASP_NAMES = List.of(
            "authn_login_success", "authn_login_successafterfail", "authn_login_fail", "authn_login_fail_max",
            "authn_login_lock", "authn_password_change", "authn_password_change_fail", "authn_impossible_travel",
            "authn_token_created", "authn_token_revoked", "authn_token_reuse", "authn_token_delete",
            "authz_fail", "authz_change", "authz_admin",
            "crypt_decrypt_fail", "crypt_encrypt_fail",
            "excess_rate_limit_exceeded",
            "upload_complete", "upload_stored", "upload_validation", "upload_delete",
            "input_validation_fail", "input_validation_discrete_fail",
            "malicious_excess_404", "malicious_extraneous", "malicious_attack_tool", "malicious_cors",
            "malicious_direct_reference",
            "privilege_permissions_changed",
            "sensitive_create", "sensitive_read", "sensitive_update", "sensitive_delete",
            "sequence_fail",
            "session_created", "session_renewed", "session_expired", "session_use_after_expire",
            "sys_startup", "sys_shutdown", "sys_restart", "sys_crash", "sys_monitor_disabled", "sys_monitor_enabled",
            "user_created", "user_updated", "user_archived", "user_deleted");

    @Test
    void everyLegacyActionMapsForEveryOutcome() {
        int count = 0;
        for (Map.Entry<Category, List<String>> e : LEGACY_ACTIONS.entrySet()) {
            for (String action : e.getValue()) {
                CatalogMappings.ActionMapping m = CatalogMappings.action(e.getKey(), action);
                assertThat(m.origin()).isEqualTo(CatalogMappings.Origin.LEGACY);
                for (Outcome o : Outcome.values()) {
                    assertThat(CatalogMappings.typeFor(e.getKey(), action, o).category()).isEqualTo(e.getKey());
                }
                count++;
            }
        }
        assertThat(count).isEqualTo(21);
        assertThat(CatalogMappings.actions()).filteredOn(m -> m.origin() == CatalogMappings.Origin.LEGACY)
                .hasSize(21);
    }

    @Test
    void legacyActionsReuseLegacyTypeNamesWhereTheyMeanTheSame() {
        assertThat(CatalogMappings.typeFor(Category.AUTH, "login", Outcome.SUCCESS)).isEqualTo(AUTH_LOGIN_SUCCESS);
        assertThat(CatalogMappings.typeFor(Category.AUTH, "login", Outcome.FAILURE)).isEqualTo(AUTH_LOGIN_FAILURE);
        assertThat(CatalogMappings.typeFor(Category.AUTH, "login", Outcome.ERROR)).isEqualTo(AUTH_LOGIN_FAILURE);
        assertThat(CatalogMappings.typeFor(Category.AUTH, "token_refresh", Outcome.SUCCESS))
                .isEqualTo(AUTH_TOKEN_REFRESHED);
        assertThat(CatalogMappings.typeFor(Category.AUTHZ, "access_denied", Outcome.DENIED))
                .isEqualTo(AUTHZ_ACCESS_DENIED);
        assertThat(CatalogMappings.typeFor(Category.AUTHZ, "role_assigned", Outcome.SUCCESS))
                .isEqualTo(AUTHZ_ROLE_ASSIGNED);
        assertThat(CatalogMappings.typeFor(Category.ADMIN, "config_change", Outcome.SUCCESS))
                .isEqualTo(ADMIN_SETTINGS_CHANGED);
        assertThat(CatalogMappings.typeFor(Category.ADMIN, "user_add", Outcome.SUCCESS)).isEqualTo(ADMIN_USER_CREATED);
        assertThat(CatalogMappings.typeFor(Category.ADMIN, "user_remove", Outcome.SUCCESS))
                .isEqualTo(ADMIN_USER_DELETED);
        assertThat(CatalogMappings.typeFor(Category.RATE_LIMIT, "request_limited", Outcome.DENIED))
                .isEqualTo(RATE_LIMIT_REQUEST_LIMITED);
        assertThat(CatalogMappings.typeFor(Category.SESSION, "session_timeout", Outcome.SUCCESS))
                .isEqualTo(SESSION_TIMEOUT);
    }

    @Test
    void configAndChannelHaveActionsToo() {
        assertThat(CatalogMappings.typeFor(Category.CONFIG, "config_reload", Outcome.ERROR))
                .isEqualTo(CONFIG_VALIDATION_FAILED);
        assertThat(CatalogMappings.typeFor(Category.CHANNEL, "channel_connect", Outcome.ERROR))
                .isEqualTo(CHANNEL_ERROR);
    }

    @Test
    void everyHelperEnumConstantHasAMapping() {
        for (AuthAction a : AuthAction.values()) {
            assertThat(CatalogMappings.action(Category.AUTH, a.action())).isNotNull();
        }
        for (AuthzAction a : AuthzAction.values()) {
            assertThat(CatalogMappings.action(Category.AUTHZ, a.action())).isNotNull();
        }
        for (AdminAction a : AdminAction.values()) {
            assertThat(CatalogMappings.action(Category.ADMIN, a.action())).isNotNull();
        }
        for (ConfigAction a : ConfigAction.values()) {
            assertThat(CatalogMappings.action(Category.CONFIG, a.action())).isNotNull();
        }
        for (RateLimitAction a : RateLimitAction.values()) {
            assertThat(CatalogMappings.action(Category.RATE_LIMIT, a.action())).isNotNull();
        }
        for (ChannelAction a : ChannelAction.values()) {
            assertThat(CatalogMappings.action(Category.CHANNEL, a.action())).isNotNull();
        }
        for (SessionAction a : SessionAction.values()) {
            assertThat(CatalogMappings.action(Category.SESSION, a.action())).isNotNull();
        }
        for (DataAction a : DataAction.values()) {
            assertThat(CatalogMappings.action(Category.DATA, a.action())).isNotNull();
        }
    }

    @Test
    void actionsAreUniquePerCategoryAndTypesStayInTheirCategory() {
        Set<String> keys = new HashSet<>();
        for (CatalogMappings.ActionMapping m : CatalogMappings.actions()) {
            assertThat(keys.add(m.category().jsonName() + "/" + m.action())).as(m.action()).isTrue();
            assertThat(m.onSuccess().category()).isEqualTo(m.category());
            assertThat(m.otherwise().category()).isEqualTo(m.category());
            assertThat(m.onSuccess().outcome()).as(m.action()).isIn(Outcome.SUCCESS, Outcome.DENIED);
        }
    }

    @Test
    void unknownActionsAreRefusedWithTheAllowedOnes() {
        assertThatThrownBy(() -> CatalogMappings.typeFor(Category.AUTH, "sign_in", Outcome.SUCCESS))
                .isInstanceOf(EventValidationException.class)
                .hasMessage("unknown auth action 'sign_in'; allowed: login, logout, token_refresh, password_change,"
                        + " api_key_use");
    }

    @Test
    void everyOwaspNameMaps() {
        assertThat(CatalogMappings.owasp()).extracting(CatalogMappings.VocabularyMapping::name)
                .containsExactlyElementsOf(OWASP_NAMES);
        for (String name : OWASP_NAMES) {
            assertThat(CatalogMappings.owasp(name)).as(name).isPresent();
        }
        assertThat(CatalogMappings.owasp()).allSatisfy(m -> assertThat(m.note()).doesNotContain("\n", "|"));
    }

    @Test
    void owaspNamesAreFoundAsTheyAppearInLogs() {
        assertThat(CatalogMappings.owasp("AUTHN_login_fail:joebob1")).contains(AUTH_LOGIN_FAILURE);
        assertThat(CatalogMappings.owasp("authn_login_successafterfail:joebob1,2"))
                .contains(AUTH_LOGIN_SUCCESS_AFTER_FAILURE);
        assertThat(CatalogMappings.owasp("session_use_after_expire")).contains(SESSION_USED_AFTER_EXPIRY);
        assertThat(CatalogMappings.owasp("authz_fail")).contains(AUTHZ_ACCESS_DENIED);
        assertThat(CatalogMappings.owasp("sensitive_update")).contains(DATA_UPDATE);
        assertThat(CatalogMappings.owasp("not_a_name")).isEmpty();
    }

    @Test
    void owaspNamesMentionedInDescriptionsMapToThatType() {
        Pattern mention = Pattern.compile("OWASP ([a-z0-9_]+(?:, [a-z0-9_]+)*)");
        int mentions = 0;
        for (EventType t : EventCatalog.all()) {
            Matcher m = mention.matcher(t.description());
            while (m.find()) {
                for (String name : m.group(1).split(", ")) {
                    assertThat(CatalogMappings.owasp(name)).as(t.name() + " mentions " + name).contains(t);
                    mentions++;
                }
            }
        }
        assertThat(mentions).isGreaterThan(20);
    }

    @Property
    void theTypeOfAnyActionAndOutcomeStaysInTheActionsCategory(
            @ForAll("mappings") CatalogMappings.ActionMapping m, @ForAll Outcome outcome) {
        EventType type = CatalogMappings.typeFor(m.category(), m.action(), outcome);
        assertThat(type.category()).isEqualTo(m.category());
        assertThat(type).isEqualTo(outcome == Outcome.SUCCESS ? m.onSuccess() : m.otherwise());
    }

    @Provide
    Arbitrary<CatalogMappings.ActionMapping> mappings() {
        return Arbitraries.of(CatalogMappings.actions());
    }
}
