package io.vigil.spring.boot.autoconfigure;

import io.micrometer.core.instrument.binder.MeterBinder;
import io.vigil.AuditLog;
import io.vigil.spring.SecretHasher;
import io.vigil.spring.TokenAudit;
import io.vigil.spring.internal.security.AccessEventPublisher;
import io.vigil.spring.internal.security.AuthenticationAuditor;
import io.vigil.spring.internal.security.AuthenticationEventPublisherPostProcessor;
import io.vigil.spring.internal.security.AuthorizationAuditor;
import io.vigil.spring.internal.security.AuthorizationRequirements;
import io.vigil.spring.internal.security.SecurityEvents;
import io.vigil.spring.internal.security.SessionAuditor;
import io.vigil.spring.internal.token.RecordingTokenAudit;
import io.vigil.spring.internal.token.RevokedTokens;
import io.vigil.spring.internal.web.IntegrationFailureMeter;
import io.vigil.spring.internal.web.IntegrationFailures;
import jakarta.servlet.http.HttpSessionListener;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.web.servlet.ServletListenerRegistrationBean;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Role;
import org.springframework.security.authentication.AuthenticationEventPublisher;
import org.springframework.security.authentication.DefaultAuthenticationEventPublisher;
import org.springframework.security.authorization.AuthorizationEventPublisher;
import org.springframework.security.authorization.event.AuthorizationDeniedEvent;
import org.springframework.security.web.session.HttpSessionEventPublisher;

import java.time.Clock;

/**
 * Spring Security's events audited ({@code vigil.security.*}): logins and their failures, logouts, sessions, access
 * denials (web and method security), privileged grants, user switches; and the {@link TokenAudit} API for tokens
 * the application issues itself (available whenever Vigil is, also with {@code vigil.security.enabled=false}).
 *
 * <p>To make Spring Security publish what it otherwise keeps to itself, this configuration provides an
 * {@link AuthorizationEventPublisher} (method security publishes nothing without one), registers
 * {@link HttpSessionEventPublisher} (no session events without it), and makes every
 * {@link AuthenticationEventPublisher} publish a failure event for every failed authentication.
 */
@AutoConfiguration(after = {VigilAutoConfiguration.class, VigilWebAutoConfiguration.class},
        afterName = "org.springframework.boot.security.autoconfigure.SecurityAutoConfiguration")
@ConditionalOnBean({AuditLog.class, SecretHasher.class})
@EnableConfigurationProperties(VigilProperties.class)
public class VigilSecurityAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    IntegrationFailures vigilIntegrationFailures() {
        return new IntegrationFailures();
    }

    @Bean
    @ConditionalOnMissingBean(TokenAudit.class)
    RecordingTokenAudit vigilTokenAudit(AuditLog log, SecretHasher hasher, VigilProperties properties,
                                        ObjectProvider<Clock> clocks, IntegrationFailures failures) {
        VigilProperties.Tokens tokens = properties.getTokens();
        if (tokens.getRevokedMemory() < 0) {
            throw new InvalidConfigurationPropertyValueException("vigil.tokens.revoked-memory",
                    tokens.getRevokedMemory(), "0 or more revoked tokens remembered.");
        }
        if (tokens.getRevokedRetention() == null || tokens.getRevokedRetention().isNegative()) {
            throw new InvalidConfigurationPropertyValueException("vigil.tokens.revoked-retention",
                    tokens.getRevokedRetention(), "A duration of 0 or more, e.g. 30d.");
        }
        return new RecordingTokenAudit(log, hasher, new RevokedTokens(tokens.getRevokedMemory(),
                tokens.getRevokedRetention(), clocks.getIfUnique(Clock::systemUTC)), failures);
    }

    /** The integration's own failures as a meter, where Micrometer is. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(MeterBinder.class)
    static class FailureMetrics {
        @Bean
        @ConditionalOnMissingBean
        IntegrationFailureMeter vigilIntegrationFailureMeter(IntegrationFailures failures) {
            return new IntegrationFailureMeter(failures);
        }
    }

    /** The listeners and publishers; only where Spring Security's web support runs. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass({DefaultAuthenticationEventPublisher.class, AuthorizationDeniedEvent.class,
            HttpSessionEventPublisher.class})
    @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
    @ConditionalOnBooleanProperty(name = "vigil.security.enabled", matchIfMissing = true)
    static class SpringSecurityEvents {

        /** Static, and of the infrastructure role: it must post-process publishers created early. */
        @Bean
        @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
        static AuthenticationEventPublisherPostProcessor vigilAuthenticationEventPublisherPostProcessor() {
            return new AuthenticationEventPublisherPostProcessor();
        }

        /** Where Spring Boot's security auto-configuration does not provide one. */
        @Bean
        @ConditionalOnMissingBean(AuthenticationEventPublisher.class)
        DefaultAuthenticationEventPublisher authenticationEventPublisher(ApplicationEventPublisher publisher) {
            return new DefaultAuthenticationEventPublisher(publisher);
        }

        @Bean
        @ConditionalOnMissingBean
        SecurityEvents vigilSecurityEvents(AuditLog log, SecretHasher hasher, IntegrationFailures failures) {
            return new SecurityEvents(log, hasher, failures);
        }

        @Bean
        @ConditionalOnMissingBean
        AuthorizationRequirements vigilAuthorizationRequirements(VigilProperties properties) {
            return new AuthorizationRequirements(properties.getSecurity().getPrivilegedAuthorities());
        }

        @Bean
        @ConditionalOnMissingBean(AuthorizationEventPublisher.class)
        AccessEventPublisher vigilAuthorizationEventPublisher(ApplicationEventPublisher publisher,
                                                              AuthorizationRequirements requirements,
                                                              VigilProperties properties) {
            return new AccessEventPublisher(publisher, requirements,
                    properties.getSecurity().getGranted() == VigilProperties.Granted.PRIVILEGED);
        }

        @Bean
        @ConditionalOnMissingBean
        AuthenticationAuditor vigilAuthenticationAuditor(SecurityEvents events, VigilProperties properties) {
            return new AuthenticationAuditor(events, properties.getSecurity().isStatelessSuccess());
        }

        @Bean
        @ConditionalOnMissingBean
        AuthorizationAuditor vigilAuthorizationAuditor(SecurityEvents events, AuthorizationRequirements requirements,
                                                       VigilProperties properties) {
            VigilProperties.Security s = properties.getSecurity();
            return new AuthorizationAuditor(events, requirements, s.isAnonymousDenials(),
                    s.getGranted() == VigilProperties.Granted.PRIVILEGED);
        }

        @Bean
        @ConditionalOnMissingBean
        SessionAuditor vigilSessionAuditor(SecurityEvents events, ObjectProvider<Clock> clocks) {
            return new SessionAuditor(events, clocks.getIfUnique(Clock::systemUTC));
        }

        /** Sessions publish nothing to Spring without this listener; registered unless the application has one. */
        @Bean
        @ConditionalOnClass(HttpSessionListener.class)
        @ConditionalOnMissingBean(value = HttpSessionEventPublisher.class,
                parameterizedContainer = ServletListenerRegistrationBean.class)
        ServletListenerRegistrationBean<HttpSessionEventPublisher> vigilHttpSessionEventPublisher() {
            return new ServletListenerRegistrationBean<>(new HttpSessionEventPublisher());
        }
    }
}
