package io.vigil.spring.boot.autoconfigure;

import io.vigil.AuditLog;
import io.vigil.spring.SecretHasher;
import io.vigil.spring.internal.authserver.AuthorizationServicePostProcessor;
import io.vigil.spring.internal.authserver.TokenEndpointAuditor;
import io.vigil.spring.internal.token.RevokedTokens;
import io.vigil.spring.internal.web.IntegrationFailures;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Role;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;

import java.time.Clock;

/**
 * The Authorization Server's tokens audited (it publishes no token events of its own): the application's
 * {@link OAuth2AuthorizationService} bean is decorated to record tokens created, refreshed, revoked and reused, and
 * grants the token endpoint refuses are recorded from Spring Security's failure events. Part of
 * {@code vigil.security.*}: off with {@code vigil.security.enabled=false}.
 */
@AutoConfiguration(after = {VigilAutoConfiguration.class, VigilSecurityAutoConfiguration.class})
@ConditionalOnClass(OAuth2AuthorizationService.class)
@ConditionalOnBean({AuditLog.class, SecretHasher.class})
@ConditionalOnBooleanProperty(name = "vigil.security.enabled", matchIfMissing = true)
public class VigilAuthorizationServerAutoConfiguration {

    /** Static, with its dependencies looked up late: it must see the authorization service when it is created. */
    @Bean
    @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
    static AuthorizationServicePostProcessor vigilAuthorizationServicePostProcessor(
            ObjectProvider<AuditLog> log, ObjectProvider<SecretHasher> hasher,
            ObjectProvider<RegisteredClientRepository> clients, ObjectProvider<IntegrationFailures> failures,
            ObjectProvider<VigilProperties> properties, ObjectProvider<Clock> clocks) {
        return new AuthorizationServicePostProcessor(log, hasher, clients, failures, () -> {
            VigilProperties.Tokens tokens = properties.getObject().getTokens();
            return new RevokedTokens(Math.max(0, tokens.getRevokedMemory()), tokens.getRevokedRetention(),
                    clocks.getIfUnique(Clock::systemUTC));
        });
    }

    @Bean
    @ConditionalOnMissingBean
    TokenEndpointAuditor vigilTokenEndpointAuditor(AuthorizationServicePostProcessor decorator) {
        return decorator.tokenEndpointAuditor();
    }
}
