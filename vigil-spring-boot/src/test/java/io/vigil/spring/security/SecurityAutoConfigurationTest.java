package io.vigil.spring.security;

import io.vigil.event.Actor;
import io.vigil.spring.TokenAudit;
import io.vigil.spring.boot.autoconfigure.VigilAuthorizationServerAutoConfiguration;
import io.vigil.spring.boot.autoconfigure.VigilSecurityAutoConfiguration;
import io.vigil.spring.boot.autoconfigure.VigilWebAutoConfiguration;
import io.vigil.spring.internal.authserver.AuthorizationServicePostProcessor;
import io.vigil.spring.internal.authserver.TokenEndpointAuditor;
import io.vigil.spring.internal.security.AccessEventPublisher;
import io.vigil.spring.internal.security.AuthenticationAuditor;
import io.vigil.spring.internal.security.AuthorizationAuditor;
import io.vigil.spring.internal.security.SessionAuditor;
import io.vigil.spring.internal.token.RecordingTokenAudit;
import io.vigil.spring.internal.web.AuditContextFilter;
import io.vigil.spring.web.RecordedEvents;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.security.autoconfigure.SecurityAutoConfiguration;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.boot.web.servlet.ServletListenerRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.authentication.AuthenticationEventPublisher;
import org.springframework.security.authentication.DefaultAuthenticationEventPublisher;
import org.springframework.security.authorization.AuthorizationEventPublisher;
import org.springframework.security.authorization.AuthorizationResult;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.session.HttpSessionEventPublisher;

import java.time.Instant;
import java.util.Map;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/** The web, security and Authorization Server auto-configurations: what they add, and what makes them back off. */
class SecurityAutoConfigurationTest {

    private WebApplicationContextRunner runner() {
        return new WebApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(SecurityAutoConfiguration.class,
                        VigilWebAutoConfiguration.class, VigilSecurityAutoConfiguration.class,
                        VigilAuthorizationServerAutoConfiguration.class))
                .withUserConfiguration(RecordedEvents.Beans.class);
    }

    @Test
    void everyPartIsThereByDefault() {
        runner().run(ctx -> {
            assertThat(ctx).hasSingleBean(AuthenticationAuditor.class).hasSingleBean(AuthorizationAuditor.class)
                    .hasSingleBean(SessionAuditor.class).hasSingleBean(RecordingTokenAudit.class)
                    .hasSingleBean(TokenEndpointAuditor.class).hasSingleBean(AuthorizationServicePostProcessor.class);
            assertThat(ctx.getBean(AuthorizationEventPublisher.class)).isInstanceOf(AccessEventPublisher.class);
            // Boot's publisher, given a default failure event rather than replaced
            assertThat(ctx.getBean(AuthenticationEventPublisher.class))
                    .isInstanceOf(DefaultAuthenticationEventPublisher.class);
            assertThat(ctx.getBeansOfType(FilterRegistrationBean.class).values())
                    .anySatisfy(r -> assertThat(r.getFilter()).isInstanceOf(AuditContextFilter.class));
            assertThat(ctx.getBeansOfType(ServletListenerRegistrationBean.class).values())
                    .anySatisfy(r -> assertThat(r.getListener()).isInstanceOf(HttpSessionEventPublisher.class));
        });
    }

    @Test
    void theApplicationsOwnBeansWin() {
        runner().withUserConfiguration(OwnBeans.class).run(ctx -> {
            assertThat(ctx.getBean(AuthorizationEventPublisher.class)).isSameAs(ctx.getBean("ownAuthorizationPublisher"));
            assertThat(ctx.getBean(TokenAudit.class)).isSameAs(ctx.getBean("ownTokenAudit"));
            assertThat(ctx).doesNotHaveBean(RecordingTokenAudit.class);
            assertThat(ctx.getBeansOfType(ServletListenerRegistrationBean.class)).isEmpty();
            assertThat(ctx).hasSingleBean(HttpSessionEventPublisher.class);
        });
    }

    @Test
    void switchingSecurityOffLeavesTheRequestContextAndTokenAudit() {
        runner().withPropertyValues("vigil.security.enabled=false").run(ctx -> {
            assertThat(ctx).doesNotHaveBean(AuthenticationAuditor.class).doesNotHaveBean(AuthorizationAuditor.class)
                    .doesNotHaveBean(SessionAuditor.class).doesNotHaveBean(AccessEventPublisher.class)
                    .doesNotHaveBean(AuthorizationServicePostProcessor.class);
            assertThat(ctx).hasSingleBean(TokenAudit.class);
            assertThat(ctx.getBeansOfType(FilterRegistrationBean.class).values())
                    .anySatisfy(r -> assertThat(r.getFilter()).isInstanceOf(AuditContextFilter.class));
        });
    }

    @Test
    void switchingTheWebContextOffRemovesTheFilterOnly() {
        runner().withPropertyValues("vigil.web.enabled=false").run(ctx -> {
            assertThat(ctx.getBeansOfType(FilterRegistrationBean.class).values())
                    .noneSatisfy(r -> assertThat(r.getFilter()).isInstanceOf(AuditContextFilter.class));
            assertThat(ctx).hasSingleBean(AuthenticationAuditor.class);
        });
    }

    @Test
    void withoutAnAuditLogNothingIsAdded() {
        new WebApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(SecurityAutoConfiguration.class,
                        VigilWebAutoConfiguration.class, VigilSecurityAutoConfiguration.class,
                        VigilAuthorizationServerAutoConfiguration.class))
                .run(ctx -> {
                    assertThat(ctx).doesNotHaveBean(AuthenticationAuditor.class).doesNotHaveBean(TokenAudit.class)
                            .doesNotHaveBean(AuthorizationServicePostProcessor.class);
                    assertThat(ctx.getBeansOfType(FilterRegistrationBean.class)).isEmpty();
                });
    }

    @Test
    void aBadTrustedProxyFailsStartUpNamingTheKeyAndWhatIsAllowed() {
        runner().withPropertyValues("vigil.web.trusted-proxies=10.0.0.0/8,proxy.internal").run(ctx -> {
            assertThat(ctx).hasFailed();
            assertThat(ctx.getStartupFailure()).rootCause()
                    .hasMessageContaining("vigil.web.trusted-proxies[1]")
                    .hasMessageContaining("proxy.internal")
                    .hasMessageContaining("CIDR");
        });
        runner().withPropertyValues("vigil.web.request-id-header=X Request").run(ctx -> {
            assertThat(ctx).hasFailed();
            assertThat(ctx.getStartupFailure()).rootCause().hasMessageContaining("vigil.web.request-id-header");
        });
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnBeans {
        @Bean
        AuthorizationEventPublisher ownAuthorizationPublisher() {
            return new AuthorizationEventPublisher() {
                @Override
                public <T> void publishAuthorizationEvent(Supplier<Authentication> a,
                                                          T object,
                                                          AuthorizationResult r) {
                }
            };
        }

        @Bean
        TokenAudit ownTokenAudit() {
            return new TokenAudit() {
                public void created(String t, String id, String o, Instant e, Map<String, ?> d) { }
                public void used(String t, String id, String o) { }
                public void refreshed(String a, String b, String id, String o) { }
                public void revoked(String t, String id, String o, Actor by) { }
                public boolean rejected(String t, String r) { return false; }
                public boolean isRevoked(String t) { return false; }
            };
        }

        @Bean
        HttpSessionEventPublisher httpSessionEventPublisher() {
            return new HttpSessionEventPublisher();
        }
    }
}
