package io.vigil.spring.internal.authserver;

import io.vigil.AuditLog;
import io.vigil.spring.SecretHasher;
import io.vigil.spring.internal.token.RevokedTokens;
import io.vigil.spring.internal.web.IntegrationFailures;
import org.springframework.beans.BeansException;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;

import java.util.function.Supplier;

/**
 * Decorates the application's {@link OAuth2AuthorizationService} bean with {@link AuditingAuthorizationService}.
 * The Authorization Server finds the service as a bean, so it uses the decorated one; the application needs no code.
 */
public final class AuthorizationServicePostProcessor implements BeanPostProcessor {
    private final TokenEvents events;

    public AuthorizationServicePostProcessor(ObjectProvider<AuditLog> log, ObjectProvider<SecretHasher> hasher,
                                             ObjectProvider<RegisteredClientRepository> clients,
                                             ObjectProvider<IntegrationFailures> failures,
                                             Supplier<RevokedTokens> spentRefreshTokens) {
        this.events = new TokenEvents(log, hasher, clients, failures, spentRefreshTokens);
    }

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) throws BeansException {
        if (bean instanceof OAuth2AuthorizationService service && !(bean instanceof AuditingAuthorizationService)) {
            return new AuditingAuthorizationService(service, events);
        }
        return bean;
    }

    /** The listener for refused grants, sharing this decorator's event builder. */
    public TokenEndpointAuditor tokenEndpointAuditor() {
        return new TokenEndpointAuditor(events);
    }
}
